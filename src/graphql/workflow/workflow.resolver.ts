import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context.ts';
import { Project } from '../project/project.type.ts';
import { required } from '../required.ts';
import { Workflow } from './workflow.type.ts';

@Resolver(() => Workflow)
export class WorkflowResolver {
  @FieldResolver(() => Project)
  project(@Root() workflow: Workflow, @Ctx() { loaders }: GraphQLContext): Promise<Project> {
    return required(loaders.projectById.load(workflow.projectId), `Project ${workflow.projectId} of workflow ${workflow.id}`);
  }
}
