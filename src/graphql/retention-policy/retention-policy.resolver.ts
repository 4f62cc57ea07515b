import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RetentionPolicyView } from '../../domain/retention/retention-policy.ts';
import type { StoredWorkflow } from '../../domain/records.ts';
import type { GraphQLContext } from '../context.ts';
import { Project } from '../project/project.type.ts';
import { required } from '../required.ts';
import { Workflow } from '../workflow/workflow.type.ts';
import { RetentionPolicyInput } from './retention-policy.inputs.ts';
import { RetentionPolicy } from './retention-policy.type.ts';

@Resolver(() => RetentionPolicy)
export class RetentionPolicyResolver {
  @Query(() => RetentionPolicy, { description: 'The retention policy of a project you may read, with each value’s source, and its workflows that set their own' })
  retentionPolicy(@Arg('projectId', () => ID) projectId: string, @Ctx() { principal, services }: GraphQLContext): Promise<RetentionPolicyView> {
    return services.retention.ofProject(principal, projectId);
  }

  @Mutation(() => RetentionPolicy, {
    description: 'Replaces the policy of a workflow or a project (ADMIN there) or the instance’s defaults (an instance admin); answers the policy now in force there',
  })
  setRetentionPolicy(@Arg('input', () => RetentionPolicyInput) input: RetentionPolicyInput, @Ctx() { principal, services }: GraphQLContext): Promise<RetentionPolicyView> {
    return services.retention.set(principal, input);
  }

  @FieldResolver(() => Project, { nullable: true })
  async project(@Root() policy: RetentionPolicyView, @Ctx() { loaders }: GraphQLContext): Promise<Project | null> {
    return policy.projectId === null ? null : required(loaders.projectById.load(policy.projectId), `Project ${policy.projectId} of a retention policy`);
  }

  @FieldResolver(() => Workflow, { nullable: true })
  async workflow(@Root() policy: RetentionPolicyView, @Ctx() { loaders }: GraphQLContext): Promise<StoredWorkflow | null> {
    return policy.workflowId === null ? null : required(loaders.workflowById.load(policy.workflowId), `Workflow ${policy.workflowId} of a retention policy`);
  }
}
