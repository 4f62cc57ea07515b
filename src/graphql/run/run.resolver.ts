import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { LogChunk } from '../log/log-chunk.type.ts';
import { JSONScalar } from '../scalars.ts';
import type { GraphQLContext } from '../context.ts';
import { Project } from '../project/project.type.ts';
import { required } from '../required.ts';
import { RunEvent } from '../run-event/run-event.type.ts';
import { RunEta } from './run-eta.type.ts';
import { StepRun } from '../step-run/step-run.type.ts';
import { Workflow } from '../workflow/workflow.type.ts';
import { WorkflowStep } from '../workflow/workflow-step.type.ts';
import { runOutputsOf, workflowStepsOf, type WorkflowStepView } from '../../domain/workflow/workflow-shape.ts';
import { toRunEventMessage } from '../../domain/run-event-message.ts';
import { MAX_LOG_CHUNK } from '../../services/run-query.service.ts';
import { MAX_CHILD_RUNS_READ } from '../../services/run-relations.service.ts';
import { sizeForCost } from '../connection-cost.ts';
import { Run } from './run.type.ts';

// Steps and events of a run are unpaged lists; the cost estimate counts a typical ten of them.
const LIST_COMPLEXITY = 10;
// A log read costs what it may put in the answer.
const LOG_BYTES_PER_COST = 1024;
const DEFAULT_LOG_CHUNK = 65_536;

@Resolver(() => Run)
export class RunResolver {
  @Query(() => Run, { nullable: true, description: 'A run the caller may read, or null' })
  run(@Arg('id', () => ID) id: string, @Ctx() { principal, services }: GraphQLContext): Promise<Run | null> {
    return services.runQueries.findRun(principal, id);
  }

  @Query(() => String, { description: 'The highest committed event seq (a decimal string)' })
  async headSnapshot(@Ctx() { services }: GraphQLContext): Promise<string> {
    return (await services.history.headSnapshot()).toString();
  }

  @Query(() => LogChunk, {
    description: 'A byte range of a step log (default: the first 64 KiB)',
    complexity: ({ args }) => 1 + Math.ceil(sizeForCost(args.limit, DEFAULT_LOG_CHUNK, MAX_LOG_CHUNK) / LOG_BYTES_PER_COST),
  })
  stepLog(
    @Arg('runId', () => ID) runId: string,
    @Arg('step') step: string,
    @Ctx() { principal, services, responseBudget }: GraphQLContext,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset = 0,
    @Arg('limit', () => Int, { defaultValue: DEFAULT_LOG_CHUNK }) limit = DEFAULT_LOG_CHUNK,
  ): Promise<LogChunk> {
    return services.runQueries.stepLog(principal, runId, step, offset, limit, responseBudget);
  }

  @Mutation(() => Run, { description: 'Queues a run of the workflow; params override its defaults' })
  triggerRun(
    @Arg('workflowId', () => ID) workflowId: string,
    @Ctx() { principal, services }: GraphQLContext,
    @Arg('params', () => JSONScalar, { nullable: true }) params?: unknown,
  ): Promise<Run> {
    return services.control.triggerRun(principal, workflowId, params);
  }

  @Mutation(() => Run, { description: 'Aborts a queued or active run: SIGTERM to its steps, SIGKILL after the grace period' })
  cancelRun(@Arg('id', () => ID) id: string, @Ctx() { principal, services }: GraphQLContext): Promise<Run> {
    return services.control.cancelRun(principal, id);
  }

  @Mutation(() => Run, {
    description: 'A new run retrying a finished one; fromFailedStep keeps the steps that succeeded upstream; fromStep also reruns that step and the steps after it (Dagu retry --step)',
  })
  retryRun(
    @Arg('id', () => ID) id: string,
    @Ctx() { principal, services }: GraphQLContext,
    @Arg('fromFailedStep', () => Boolean, { nullable: true }) fromFailedStep?: boolean,
    @Arg('fromStep', () => String, { nullable: true, description: 'Keep the steps that succeeded upstream of this step and of every failure; rerun the rest' }) fromStep?: string,
  ): Promise<Run> {
    return services.control.retryRun(principal, id, fromFailedStep ?? false, fromStep ?? null);
  }

  @Mutation(() => Run)
  approveStep(@Arg('runId', () => ID) runId: string, @Arg('step') step: string, @Ctx() { principal, services }: GraphQLContext): Promise<Run> {
    return services.control.approveStep(principal, runId, step);
  }

  @Mutation(() => Run)
  rejectStep(
    @Arg('runId', () => ID) runId: string,
    @Arg('step') step: string,
    @Ctx() { principal, services }: GraphQLContext,
    @Arg('reason', () => String, { nullable: true }) reason?: string,
  ): Promise<Run> {
    return services.control.rejectStep(principal, runId, step, reason ?? null);
  }

  @FieldResolver(() => Project)
  project(@Root() run: Run, @Ctx() { loaders }: GraphQLContext): Promise<Project> {
    return required(loaders.projectById.load(run.projectId), `Project ${run.projectId} of run ${run.id}`);
  }

  @FieldResolver(() => Workflow)
  workflow(@Root() run: Run, @Ctx() { loaders }: GraphQLContext): Promise<Workflow> {
    return required(loaders.workflowById.load(run.workflowId), `Workflow ${run.workflowId} of run ${run.id}`);
  }

  @FieldResolver(() => Run, { nullable: true, description: 'The run this one retried' })
  async retryOf(@Root() run: Run, @Ctx() { loaders }: GraphQLContext): Promise<Run | null> {
    return run.retryOfId ? loaders.runById.load(run.retryOfId) : null;
  }

  @FieldResolver(() => Run, { nullable: true, description: 'The run whose call step started this one (a sub-workflow run, trigger SUBDAG); null for any other run' })
  async parentRun(@Root() run: Run, @Ctx() { loaders }: GraphQLContext): Promise<Run | null> {
    return run.parentRunId ? loaders.runById.load(run.parentRunId) : null;
  }

  @FieldResolver(() => [Run], {
    description: `The sub-workflow runs this run's call steps started, oldest first (at most ${MAX_CHILD_RUNS_READ})`,
    complexity: ({ childComplexity }) => 1 + childComplexity * LIST_COMPLEXITY,
  })
  childRuns(@Root() run: Run, @Ctx() { loaders }: GraphQLContext): Promise<Run[]> {
    return loaders.childRunsOfRun.load(run.id);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Why a QUEUED run waits, such as "no live worker has the labels region=eu" (its workflow\'s workerSelector) or its workflow\'s maxActiveRuns limit; null when it is not QUEUED or waits for nothing but its turn',
  })
  queuedReason(@Root() run: Run, @Ctx() { loaders }: GraphQLContext): Promise<string | null> {
    return loaders.queuedReasonByRun.load(run);
  }

  @FieldResolver(() => RunEta, {
    nullable: true,
    description: 'When the run is expected to finish, with a p90 bound; null unless it is RUNNING, and while a step waits for a person or its steps have fewer than 5 past durations. Changes as steps do: select it in runEvents to have it pushed',
  })
  async eta(@Root() run: Run, @Ctx() { loaders }: GraphQLContext): Promise<RunEta | null> {
    if (run.status !== 'RUNNING') return null;
    const eta = await loaders.etaOfRun.load(run);
    return eta && { expectedAt: new Date(eta.expectedAt), p90At: new Date(eta.p90At), basedOn: eta.basedOn };
  }

  @FieldResolver(() => [StepRun], { complexity: ({ childComplexity }) => 1 + childComplexity * LIST_COMPLEXITY })
  steps(@Root() run: Run, @Ctx() { loaders }: GraphQLContext): Promise<StepRun[]> {
    return loaders.stepRunsOfRun.load(run);
  }

  @FieldResolver(() => [RunEvent], {
    description: 'The status history of the run and its steps, oldest first',
    complexity: ({ childComplexity }) => 1 + childComplexity * LIST_COMPLEXITY,
  })
  async events(@Root() run: Run, @Ctx() { loaders }: GraphQLContext): Promise<RunEvent[]> {
    return (await loaders.runEventsOfRun.load(run)).map((event) => toRunEventMessage(event, run));
  }

  @FieldResolver(() => [WorkflowStep], {
    description: 'The steps of the workflow version this run ran, in file order: its graph. Empty for a run recorded without its version (imported or seeded history)',
    complexity: ({ childComplexity }) => 1 + childComplexity * LIST_COMPLEXITY,
  })
  async workflowSteps(@Root() run: Run, @Ctx() { loaders }: GraphQLContext): Promise<WorkflowStepView[]> {
    const spec = await loaders.specOfRun.load(run);
    return spec ? workflowStepsOf(spec) : [];
  }

  @FieldResolver(() => JSONScalar, {
    nullable: true,
    description: "The outputs its steps captured so far, by the output's key (Dagu's output.key) or else its name, without those marked omit; null for a run recorded without its workflow version",
  })
  async outputs(@Root() run: Run, @Ctx() { loaders }: GraphQLContext): Promise<Record<string, string> | null> {
    const [spec, steps] = await Promise.all([loaders.specOfRun.load(run), loaders.stepRunsOfRun.load(run)]);
    return spec && runOutputsOf(spec, steps);
  }
}
