import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { ReportDefinitionView } from '../../services/reports/report-definition.service.ts';
import type { GraphQLContext } from '../context.ts';
import { previewView } from '../report/report.mappers.ts';
import { ReportPreview } from '../report/report.type.ts';
import { ReportDefinitionInput } from './report-definition.inputs.ts';
import { ReportDefinition } from './report-definition.type.ts';

@Resolver(() => ReportDefinition)
export class ReportDefinitionResolver {
  @Query(() => [ReportDefinition], { description: 'The report definitions covering a project you may read, those of which you may read every project, by name' })
  reportDefinitions(@Arg('projectId', () => ID) projectId: string, @Ctx() { principal, services }: GraphQLContext): Promise<ReportDefinitionView[]> {
    return services.reportDefinitions.list(principal, projectId);
  }

  @Mutation(() => ReportDefinition, { description: 'Creates a report definition, or replaces one (ADMIN in every project it covers)' })
  saveReportDefinition(@Arg('input', () => ReportDefinitionInput) input: ReportDefinitionInput, @Ctx() { principal, services }: GraphQLContext): Promise<ReportDefinitionView> {
    return services.reportDefinitions.save(principal, input);
  }

  @Mutation(() => ID, { description: 'Removes a report definition with its reports (ADMIN in every project it covers); answers its id' })
  async deleteReportDefinition(@Arg('id', () => ID) id: string, @Ctx() { principal, services }: GraphQLContext): Promise<string> {
    await services.reportDefinitions.delete(principal, id);
    return id;
  }

  @Query(() => ReportPreview, { description: 'What a definition would report for a period (default: the latest), without saving anything (VIEWER in every project)' })
  async previewReportDefinition(
    @Arg('input', () => ReportDefinitionInput) input: ReportDefinitionInput,
    @Ctx() { principal, services }: GraphQLContext,
    @Arg('period', () => String, { nullable: true, description: 'A local date YYYY-MM-DD inside the period' }) period?: string | null,
  ): Promise<ReportPreview> {
    return previewView(await services.reports.preview(principal, input, period ?? null));
  }
}
