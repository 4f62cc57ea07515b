import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'When a running run is expected to finish: its remaining steps simulated along the workflow’s graph from their recent durations, the running ones given how long they have run' })
export class RunEta {
  @Field({ description: 'The median of the simulated finishes' })
  expectedAt!: Date;

  @Field({ description: '90 of 100 simulated finishes are by then' })
  p90At!: Date;

  @Field(() => Int, { description: 'The fewest past durations any unfinished step was estimated from (at least 5)' })
  basedOn!: number;
}
