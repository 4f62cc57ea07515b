import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context.ts';
import { FailureProbability, WorkflowForecast } from './workflow-insight.type.ts';
import { MAX_PAGE_SIZE } from '../../domain/cursor.ts';
import { connectionOf } from '../../domain/page.ts';
import { sizeForCost } from '../connection-cost.ts';
import { Project } from '../project/project.type.ts';
import { RECENT_RUNS_PER_WORKFLOW } from '../loaders.ts';
import { Run } from '../run/run.type.ts';
import type { StoredRun, StoredWorkflow } from '../../domain/records.ts';
import { required } from '../required.ts';
import { Workflow, WorkflowConnection } from './workflow.type.ts';
import { WorkflowParam, WorkflowStep } from './workflow-step.type.ts';
import { workflowParamsOf, workflowStepsOf, type WorkflowParamView, type WorkflowStepView } from '../../domain/workflow/workflow-shape.ts';

const DEFAULT_WORKFLOW_PAGE = 50;
// Steps are an unpaged list; the cost estimate counts a typical ten of them.
const STEP_LIST_COMPLEXITY = 10;

@Resolver(() => Workflow)
export class WorkflowResolver {
  @Query(() => WorkflowConnection, {
    description: 'Workflows of one project (or of every readable one), by name',
    complexity: ({ args, childComplexity }) => 1 + childComplexity * sizeForCost(args.first, DEFAULT_WORKFLOW_PAGE, MAX_PAGE_SIZE),
  })
  async workflows(
    @Ctx() { principal, services }: GraphQLContext,
    @Arg('projectId', () => ID, { nullable: true }) projectId?: string,
    @Arg('first', () => Int, { defaultValue: DEFAULT_WORKFLOW_PAGE }) first = DEFAULT_WORKFLOW_PAGE,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<WorkflowConnection> {
    return connectionOf(await services.workflows.list(principal, projectId ?? null, first, after ?? null));
  }

  @Query(() => Workflow, { nullable: true })
  workflow(@Arg('id', () => ID) id: string, @Ctx() { principal, services }: GraphQLContext): Promise<Workflow | null> {
    return services.workflows.get(principal, id);
  }

  @Mutation(() => Workflow, { description: 'Creates or replaces a workflow from YAML; BAD_USER_INPUT lists every problem with its line' })
  saveWorkflow(@Arg('projectId', () => ID) projectId: string, @Arg('yaml') yaml: string, @Ctx() { principal, services }: GraphQLContext): Promise<Workflow> {
    return services.workflows.save(principal, projectId, yaml);
  }

  @Mutation(() => Boolean, { description: 'Removes the workflow from lists and the schedule; its history stays' })
  deleteWorkflow(@Arg('id', () => ID) id: string, @Ctx() { principal, services }: GraphQLContext): Promise<boolean> {
    return services.workflows.delete(principal, id);
  }

  @Mutation(() => Workflow)
  setWorkflowEnabled(@Arg('id', () => ID) id: string, @Arg('enabled') enabled: boolean, @Ctx() { principal, services }: GraphQLContext): Promise<Workflow> {
    return services.workflows.setEnabled(principal, id, enabled);
  }

  @FieldResolver(() => Project)
  project(@Root() workflow: Workflow, @Ctx() { loaders }: GraphQLContext): Promise<Project> {
    return required(loaders.projectById.load(workflow.projectId), `Project ${workflow.projectId} of workflow ${workflow.id}`);
  }

  @FieldResolver(() => [Run], {
    description: `Its latest ${RECENT_RUNS_PER_WORKFLOW} runs, newest first: the last status, and the recent outcomes at a glance`,
    complexity: ({ childComplexity }) => 1 + childComplexity * RECENT_RUNS_PER_WORKFLOW,
  })
  recentRuns(@Root() workflow: StoredWorkflow, @Ctx() { loaders }: GraphQLContext): Promise<StoredRun[]> {
    return loaders.recentRunsByWorkflowId.load(workflow.id);
  }

  @FieldResolver(() => String, { description: 'The YAML definition' })
  definition(@Root() workflow: StoredWorkflow, @Ctx() { responseBudget }: GraphQLContext): string {
    // Characters, not bytes: a page of runs repeats its workflow's definition in every edge, so this is what the answer grows by.
    responseBudget.reserve(workflow.definition.length, `The definition of workflow ${workflow.name}`);
    return workflow.definition;
  }

  @FieldResolver(() => FailureProbability, { nullable: true, description: 'The chance its next run fails; null where the model does not predict better than the plain failure rate, or with 30 finished runs or fewer' })
  async failureProbability(@Root() workflow: StoredWorkflow, @Ctx() { loaders }: GraphQLContext): Promise<FailureProbability | null> {
    return loaders.failureProbabilityOfWorkflow.load(workflow.id);
  }

  @FieldResolver(() => WorkflowForecast, { nullable: true, description: 'Tomorrow’s runs per status, with bands; null before four weeks of history' })
  async forecast(@Root() workflow: StoredWorkflow, @Ctx() { loaders }: GraphQLContext): Promise<WorkflowForecast | null> {
    const forecast = await loaders.forecastOfWorkflow.load(workflow);
    return forecast && { ...forecast, day: new Date(forecast.day) };
  }

  @FieldResolver(() => [WorkflowStep], {
    description: 'The steps of its current definition, in file order (handlers are not part of the graph); empty when that definition no longer parses',
    complexity: ({ childComplexity }) => 1 + childComplexity * STEP_LIST_COMPLEXITY,
  })
  steps(@Root() workflow: StoredWorkflow, @Ctx() { services }: GraphQLContext): WorkflowStepView[] {
    const spec = services.workflowShapes.specOfWorkflow(workflow);
    return spec ? workflowStepsOf(spec) : [];
  }

  @FieldResolver(() => [WorkflowParam], { description: 'The params its current definition declares, with their defaults; empty when that definition no longer parses' })
  params(@Root() workflow: StoredWorkflow, @Ctx() { services }: GraphQLContext): WorkflowParamView[] {
    const spec = services.workflowShapes.specOfWorkflow(workflow);
    return spec ? workflowParamsOf(spec) : [];
  }

  @FieldResolver(() => [String])
  tags(@Root() workflow: StoredWorkflow): string[] {
    return Array.isArray(workflow.tags) ? workflow.tags.filter((tag): tag is string => typeof tag === 'string') : [];
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When the scheduler fires it next (null when unscheduled or disabled)' })
  nextFireAt(@Root() workflow: StoredWorkflow, @Ctx() { services }: GraphQLContext): Date | null {
    return services.workflows.nextFireAt(workflow);
  }
}
