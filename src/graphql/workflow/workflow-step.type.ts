import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A step of a workflow definition: a node of its graph and the edges into it' })
export class WorkflowStep {
  @Field()
  name!: string;

  @Field(() => [String], { description: 'The steps that must finish first (resolved: a step written without depends follows the one before it)' })
  depends!: string[];

  @Field({ description: 'command, approval, http, jq, mail, ssh or call (a sub-workflow)' })
  kind!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true, description: 'The workflow a call step runs; null for other kinds' })
  call!: string | null;
}

@ObjectType({ description: 'A param a workflow declares, with the default a run gets when it does not set it' })
export class WorkflowParam {
  @Field()
  name!: string;

  @Field(() => String, { nullable: true, description: 'As written in the file, before expansion' })
  default!: string | null;
}
