import { Field, ID, ObjectType } from 'type-graphql';

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

  @Field(() => String, { nullable: true, description: 'Cron expression(s) the scheduler fires it on' })
  schedule!: string | null;

  @Field()
  enabled!: boolean;

  @Field({ description: 'The YAML definition' })
  definition!: string;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}
