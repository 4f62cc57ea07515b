import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { ReportFormat, ReportSection } from '../../domain/reports/report-content.ts';
import type { ReportPeriodKind } from '../../domain/reports/report-period.ts';
import type { RunStatus } from '../../domain/status.ts';
import type { RunTrigger } from '../../domain/vocabulary.ts';
import { RunStatusEnum, RunTriggerEnum } from '../enums.ts';
import { ReportFormatEnum, ReportPeriodKindEnum, ReportSectionEnum } from '../report/report.enums.ts';

@ObjectType({ description: 'Which runs a report counts; every run of its projects when all lists are empty' })
export class ReportRunFilter {
  @Field(() => [ID])
  workflowIds!: string[];

  @Field(() => [String])
  workflowNames!: string[];

  @Field(() => [RunTriggerEnum])
  triggers!: RunTrigger[];

  @Field(() => [RunStatusEnum])
  statuses!: RunStatus[];
}

@ObjectType({ description: 'A scheduled report of one project, or of several for someone who may read them all' })
export class ReportDefinition {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => [ID])
  projectIds!: string[];

  @Field({ description: 'A five-field cron expression, read in timeZone' })
  schedule!: string;

  @Field({ description: 'An IANA time zone: the schedule and the period boundaries are local to it' })
  timeZone!: string;

  @Field(() => ReportPeriodKindEnum)
  periodKind!: ReportPeriodKind;

  @Field(() => Int, { nullable: true, description: 'ROLLING: the window, in hours' })
  windowHours!: number | null;

  @Field(() => ReportRunFilter)
  filter!: ReportRunFilter;

  @Field(() => [ReportSectionEnum])
  sections!: ReportSection[];

  @Field(() => [ReportFormatEnum])
  formats!: ReportFormat[];

  @Field(() => [ID], { description: 'Contact points of its projects that each report is delivered to' })
  contactPointIds!: string[];

  @Field(() => [ID], { description: 'Users the report is for; each may read every project of it' })
  recipientIds!: string[];

  @Field({ description: 'A period without runs is recorded SKIPPED: nothing generated or delivered' })
  skipIfEmpty!: boolean;

  @Field()
  enabled!: boolean;

  @Field(() => Date, { nullable: true, description: 'When it fires next (null when disabled)' })
  nextRunAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}
