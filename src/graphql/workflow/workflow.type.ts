import { Field, ID, ObjectType } from 'type-graphql';
import { PageInfo } from '../common/page-info.type.ts';

@ObjectType({ description: 'A DAG of shell steps, defined in Dagu-style YAML' })
export class Workflow {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  projectId!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true, description: 'Cron expression(s) the scheduler fires it on, one per line' })
  schedule!: string | null;

  @Field({ description: 'Where the definition comes from: api, example or file:<path>' })
  source!: string;

  @Field(() => String, { nullable: true, description: 'Why the latest edit of its file was refused; the previous version stays in force' })
  loadError!: string | null;

  @Field(() => Date, { nullable: true, description: 'The last cron tick fired' })
  lastFiredAt!: Date | null;

  @Field()
  enabled!: boolean;

  @Field({ description: 'The YAML definition' })
  definition!: string;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

@ObjectType()
export class WorkflowEdge {
  @Field()
  cursor!: string;

  @Field(() => Workflow)
  node!: Workflow;
}

@ObjectType({ description: 'Workflows by name' })
export class WorkflowConnection {
  @Field(() => [WorkflowEdge])
  edges!: WorkflowEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
