import { Arg, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { ReportRecord } from '../../domain/reports/report-definition.ts';
import { cursorOf } from '../../services/reports/report.service.ts';
import type { GraphQLContext } from '../context.ts';
import { reportView } from './report.mappers.ts';
import { Report, ReportConnection } from './report.type.ts';

const DEFAULT_PAGE = 20;

interface ReportGeneratedArgs {
  projectIds?: string[] | null;
  afterId?: string | null;
}

@Resolver(() => Report)
export class ReportResolver {
  @Query(() => ReportConnection, { description: 'The reports of a definition you may read (every project of it), latest period first' })
  async reports(
    @Ctx() { principal, services }: GraphQLContext,
    @Arg('definitionId', () => ID) definitionId: string,
    @Arg('first', () => Int, { defaultValue: DEFAULT_PAGE, description: '1 to 100' }) first: number = DEFAULT_PAGE,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<ReportConnection> {
    const page = await services.reports.reports(principal, definitionId, first, after ?? null);
    const edges = page.nodes.map((node) => ({ cursor: cursorOf(node), node: reportView(node) }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, hasPreviousPage: after !== null && after !== undefined, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  @Query(() => Report, { nullable: true, description: 'A report you may read (every project of it), with the URL of each stored format; null otherwise' })
  async report(@Arg('id', () => ID) id: string, @Ctx() { principal, services }: GraphQLContext): Promise<Report | null> {
    const report = await services.reports.report(principal, id);
    return report && reportView(report);
  }

  @Mutation(() => Report, {
    description:
      'Generates the report of a period now (OPERATOR in every project of the definition). period: a local date YYYY-MM-DD inside the day, week or month to report ' +
      '(the window ending that day for a rolling one); left out: the period of the latest fire. A period reported already answers its report',
  })
  async runReportNow(
    @Arg('definitionId', () => ID) definitionId: string,
    @Ctx() { principal, services }: GraphQLContext,
    @Arg('period', () => String, { nullable: true }) period?: string | null,
  ): Promise<Report> {
    return reportView(await services.reports.runNow(principal, definitionId, period ?? null));
  }

  @Subscription(() => Report, {
    description: 'Each report generated from now on (or after the report afterId) of definitions covering these projects (default: every one you may read), if you may read all of its projects',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, ReportGeneratedArgs, GraphQLContext>) =>
      context.services.reports.subscribe(context.principal, args.projectIds ?? null, args.afterId ?? null),
  })
  reportGenerated(
    @Root() report: ReportRecord,
    @Arg('projectIds', () => [ID], { nullable: true }) _projectIds?: string[],
    @Arg('afterId', () => ID, { nullable: true, description: 'Resume after this report' }) _afterId?: string,
  ): Report {
    return reportView(report);
  }
}
