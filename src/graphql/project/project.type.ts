import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A space of workflows and their history, with its own members' })
export class Project {
  @Field(() => ID)
  id!: string;

  @Field()
  slug!: string;

  @Field()
  name!: string;

  @Field()
  createdAt!: Date;
}
