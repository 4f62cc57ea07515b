import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { ArchiveState } from '../../domain/archive/archive-period.ts';
import { ArchiveStateEnum } from '../enums.ts';

@ObjectType({ description: 'A period of history moved to the archive: the whole period, or one project’s part of it' })
export class Archive {
  @Field(() => ID, { description: 'What restoreArchive takes' })
  id!: string;

  @Field({ description: 'The runs created from here (inclusive)…' })
  periodStart!: Date;

  @Field({ description: '…to here (exclusive) that left the live store are in it' })
  periodEnd!: Date;

  @Field(() => ArchiveStateEnum)
  state!: ArchiveState;

  @Field(() => Int, { description: 'Archived runs (of the project, when listed for one)' })
  runs!: number;

  @Field(() => Int, { description: 'Their status changes (run and step events)' })
  events!: number;

  @Field(() => Float, { nullable: true, description: 'The size of the period’s archive file; null in one project’s listing (the file holds every project’s runs)' })
  bytes!: number | null;

  @Field()
  createdAt!: Date;

  @Field({ description: 'When a batch last moved in or out' })
  updatedAt!: Date;

  projectId!: string | null;
}
