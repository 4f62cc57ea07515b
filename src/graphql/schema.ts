import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { createPubSub } from '@graphql-yoga/subscription';
import { buildSchema } from 'type-graphql';
import './enums.ts';
import { RunConnectionResolver } from './run-connection/run-connection.resolver.ts';
import { StatusCountsResolver } from './status-counts/status-counts.resolver.ts';
import { TrendPointResolver } from './trend-point/trend-point.resolver.ts';
import { WorkflowStatsResolver } from './workflow-stats/workflow-stats.resolver.ts';
import { StepLogResolver } from './log/step-log.resolver.ts';
import { ProjectResolver } from './project/project.resolver.ts';
import { RunEventResolver } from './run-event/run-event.resolver.ts';
import { RunResolver } from './run/run.resolver.ts';
import { DateTimeScalar } from './scalars.ts';
import { MembershipResolver } from './viewer/membership.resolver.ts';
import { UserResolver } from './user/user.resolver.ts';
import { MemberResolver } from './member/member.resolver.ts';
import { TokenResolver } from './token/token.resolver.ts';
import { SessionResolver } from './session/session.resolver.ts';
import { WorkflowResolver } from './workflow/workflow.resolver.ts';
import { RetentionPolicyResolver } from './retention-policy/retention-policy.resolver.ts';
import { ArchiveSummaryResolver } from './archive-summary/archive-summary.resolver.ts';
import { ArchiveProjectCountResolver } from './archive-summary/archive-project-count.resolver.ts';
import { ArchiveResolver } from './archive/archive.resolver.ts';
import { AlertRuleResolver } from './alert-rule/alert-rule.resolver.ts';
import { AlertResolver } from './alert/alert.resolver.ts';
import { AlertEventResolver } from './alert/alert-event.resolver.ts';
import { SilenceResolver } from './silence/silence.resolver.ts';
import { ContactPointResolver } from './contact-point/contact-point.resolver.ts';
import { AnomalyResolver } from './anomaly/anomaly.resolver.ts';
import { IncidentMemberResolver, IncidentResolver } from './incident/incident.resolver.ts';
import { RunsAggregateResolver } from './runs-aggregate/runs-aggregate.resolver.ts';
import { ReportDefinitionResolver } from './report-definition/report-definition.resolver.ts';
import { ReportResolver } from './report/report.resolver.ts';

export function buildRuntrailSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [SessionResolver, UserResolver, MemberResolver, TokenResolver, MembershipResolver, ProjectResolver, WorkflowResolver, RunResolver, RunConnectionResolver, StatusCountsResolver, TrendPointResolver, WorkflowStatsResolver, StepLogResolver, RunEventResolver, RetentionPolicyResolver, ArchiveSummaryResolver, ArchiveProjectCountResolver, ArchiveResolver, AlertRuleResolver, AlertResolver, AlertEventResolver, SilenceResolver, ContactPointResolver, AnomalyResolver, IncidentResolver, IncidentMemberResolver, RunsAggregateResolver, ReportDefinitionResolver, ReportResolver],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: false,
    // type-graphql insists on a PubSub even though every subscription here brings its own
    // `subscribe` (fed by src/events); this one is never published to.
    pubSub: createPubSub(),
  });
}
