import { Field, ID, InputType, Int } from 'type-graphql';
import type { ReportFormat, ReportSection } from '../../domain/reports/report-content.ts';
import type { ReportDefinitionChange, ReportRunFilter } from '../../domain/reports/report-definition.ts';
import type { ReportPeriodKind } from '../../domain/reports/report-period.ts';
import type { RunStatus } from '../../domain/status.ts';
import type { RunTrigger } from '../../domain/vocabulary.ts';
import { RunStatusEnum, RunTriggerEnum } from '../enums.ts';
import { ReportFormatEnum, ReportPeriodKindEnum, ReportSectionEnum } from '../report/report.enums.ts';

@InputType({ description: 'Which runs a report counts; left out or empty: any' })
export class ReportRunFilterInput implements Partial<ReportRunFilter> {
  @Field(() => [ID], { nullable: true, description: 'At most 100' })
  workflowIds?: string[];

  @Field(() => [String], { nullable: true, description: 'At most 100, each 1 to 200 characters' })
  workflowNames?: string[];

  @Field(() => [RunTriggerEnum], { nullable: true })
  triggers?: RunTrigger[];

  @Field(() => [RunStatusEnum], { nullable: true })
  statuses?: RunStatus[];
}

@InputType({ description: 'A report definition to create (no id) or replace (its id)' })
export class ReportDefinitionInput implements ReportDefinitionChange {
  @Field(() => ID, { nullable: true, description: 'Replace this definition; left out: create one' })
  id?: string | null;

  @Field({ description: '1 to 100 characters' })
  name!: string;

  @Field(() => [ID], { description: '1 to 20 projects; ADMIN in each to save, VIEWER in each to preview' })
  projectIds!: string[];

  @Field({ description: 'A five-field cron expression (e.g. "0 6 * * 1"), firing at most every 15 minutes' })
  schedule!: string;

  @Field({ description: 'An IANA time zone, e.g. "Europe/Berlin"' })
  timeZone!: string;

  @Field(() => ReportPeriodKindEnum)
  periodKind!: ReportPeriodKind;

  @Field(() => Int, { nullable: true, description: 'ROLLING only: 1 to 744 hours' })
  windowHours?: number | null;

  @Field(() => ReportRunFilterInput, { nullable: true })
  filter?: ReportRunFilterInput | null;

  @Field(() => [ReportSectionEnum], { nullable: true, description: 'Left out: every section' })
  sections?: ReportSection[] | null;

  @Field(() => [ReportFormatEnum], { nullable: true, description: 'Left out: HTML and JSON' })
  formats?: ReportFormat[] | null;

  @Field(() => [ID], { nullable: true, description: 'At most 10 contact points of the report’s projects' })
  contactPointIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'At most 50 users, each able to read every project of the report' })
  recipientIds?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Default false' })
  skipIfEmpty?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Default true' })
  enabled?: boolean | null;
}
