import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context.ts';
import { Project } from '../project/project.type.ts';
import { required } from '../required.ts';
import { RunEvent } from '../run-event/run-event.type.ts';
import { StepRun } from '../step-run/step-run.type.ts';
import { Workflow } from '../workflow/workflow.type.ts';
import { Run } from './run.type.ts';

@Resolver(() => Run)
export class RunResolver {
  @Query(() => Run, { nullable: true, description: 'A run the caller may read, or null' })
  run(@Arg('id', () => ID) id: string, @Ctx() { principal, services }: GraphQLContext): Promise<Run | null> {
    return services.runQueries.findRun(principal, id);
  }

  @Query(() => String, { description: 'The highest committed event seq (a decimal string)' })
  async headSnapshot(@Ctx() { services }: GraphQLContext): Promise<string> {
    return (await services.runQueries.headSnapshot()).toString();
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

  @FieldResolver(() => [StepRun])
  steps(@Root() run: Run, @Ctx() { loaders }: GraphQLContext): Promise<StepRun[]> {
    return loaders.stepRunsByRunId.load(run.id);
  }

  @FieldResolver(() => [RunEvent], { description: 'The status history of the run and its steps, oldest first' })
  events(@Root() run: Run, @Ctx() { loaders }: GraphQLContext): Promise<RunEvent[]> {
    return loaders.runEventsByRunId.load(run.id);
  }
}
