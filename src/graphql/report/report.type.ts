import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { ReportFormat } from '../../domain/reports/report-content.ts';
import type { ReportDeliveryState, ReportOrigin, ReportRecipientState, ReportState } from '../../domain/reports/report-definition.ts';
import { PageInfo } from '../common/page-info.type.ts';
import { JSONScalar } from '../scalars.ts';
import { StatusCount } from '../status-counts/status-counts.type.ts';
import { ReportDeliveryStateEnum, ReportFormatEnum, ReportOriginEnum, ReportRecipientStateEnum, ReportStateEnum } from './report.enums.ts';

@ObjectType({ description: 'One stored format of a report, downloadable at its URL with the same access as the report' })
export class ReportFile {
  @Field(() => ReportFormatEnum)
  format!: ReportFormat;

  @Field()
  contentType!: string;

  @Field(() => Int, { description: 'Bytes' })
  size!: number;

  @Field({ description: 'The stable URL (/reports/<id>.<ext>), relative to the server' })
  url!: string;
}

@ObjectType({ description: 'A recipient of a report: the projects of it they could read when it was generated (their copy holds only those), and how mailing them went' })
export class ReportRecipient {
  @Field(() => ID)
  userId!: string;

  @Field(() => [ID])
  projectIds!: string[];

  @Field(() => ReportRecipientStateEnum)
  state!: ReportRecipientState;

  @Field(() => String, { nullable: true, description: 'Why it was skipped or failed, or the last error before another try' })
  detail!: string | null;

  @Field(() => Date, { nullable: true })
  sentAt!: Date | null;
}

@ObjectType({ description: 'The report of a definition for one period: generated once, kept, delivered' })
export class Report {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  definitionId!: string;

  @Field(() => Date, { description: 'The period’s first instant' })
  periodStart!: Date;

  @Field(() => Date, { description: 'The instant after the period' })
  periodEnd!: Date;

  @Field(() => ReportStateEnum)
  state!: ReportState;

  @Field(() => ReportOriginEnum)
  origin!: ReportOrigin;

  @Field(() => [ID])
  projectIds!: string[];

  @Field({ description: 'The history snapshot every number was read at: runStatusCounts with it and the same filter gives the same totals' })
  snapshot!: string;

  @Field(() => Date)
  generatedAt!: Date;

  @Field(() => Int)
  total!: number;

  @Field(() => [StatusCount], { description: 'Every status, zeros included' })
  byStatus!: StatusCount[];

  @Field(() => ReportDeliveryStateEnum)
  deliveryState!: ReportDeliveryState;

  @Field(() => String, { nullable: true, description: 'What went wrong in the latest delivery try' })
  deliveryError!: string | null;

  @Field(() => Date, { nullable: true })
  deliveredAt!: Date | null;

  @Field(() => [ReportFile])
  files!: ReportFile[];

  @Field(() => [ReportRecipient])
  recipients!: ReportRecipient[];
}

@ObjectType()
export class ReportEdge {
  @Field()
  cursor!: string;

  @Field(() => Report)
  node!: Report;
}

@ObjectType({ description: 'A definition’s reports, latest period first' })
export class ReportConnection {
  @Field(() => [ReportEdge])
  edges!: ReportEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'What a definition would report for a period, generated without saving anything' })
export class ReportPreview {
  @Field(() => Date)
  periodStart!: Date;

  @Field(() => Date)
  periodEnd!: Date;

  @Field()
  periodLabel!: string;

  @Field(() => Int)
  total!: number;

  @Field(() => [StatusCount])
  byStatus!: StatusCount[];

  @Field(() => JSONScalar, { description: 'The report’s content, as its JSON format holds it' })
  content!: unknown;
}
