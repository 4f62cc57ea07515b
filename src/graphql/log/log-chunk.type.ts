import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A byte range of a step log; ask again from nextOffset to follow it' })
export class LogChunk {
  @Field()
  content!: string;

  @Field(() => Int)
  offset!: number;

  @Field(() => Int)
  nextOffset!: number;

  @Field(() => Int, { description: 'The size of the log file now' })
  size!: number;

  @Field({ description: 'True when the step has finished and the whole log was read' })
  complete!: boolean;
}
