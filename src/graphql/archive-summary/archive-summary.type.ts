import { Field, ID, Int, ObjectType } from 'type-graphql';
import { StatusCount } from '../status-counts/status-counts.type.ts';

@ObjectType({ description: 'The runs of one project archival moves, per status' })
export class ArchiveProjectCount {
  @Field(() => ID)
  projectId!: string;

  @Field(() => Int)
  total!: number;

  @Field(() => [StatusCount], { description: 'Every finished status, zeros included (active runs never move)' })
  byStatus!: StatusCount[];
}

@ObjectType({ description: 'What archival moves (or, in a dry run, would move) out of the live store' })
export class ArchiveSummary {
  @Field()
  dryRun!: boolean;

  @Field({ description: 'The time ages are counted back from: a run moves once it is more than its policy’s days older than this' })
  cutoff!: Date;

  @Field(() => Int)
  total!: number;

  @Field(() => [ArchiveProjectCount], { description: 'Each project with runs to move' })
  projects!: ArchiveProjectCount[];
}
