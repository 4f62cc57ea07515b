import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { RunStatus } from '../../domain/status.ts';
import type { RunTrigger } from '../../domain/vocabulary.ts';
import { RunStatusEnum, RunTriggerEnum } from '../enums.ts';
import { JSONScalar } from '../scalars.ts';

@ObjectType({ description: 'One execution of a workflow' })
export class Run {
  @Field(() => ID)
  id!: string;

  @Field(() => RunStatusEnum)
  status!: RunStatus;

  @Field(() => RunTriggerEnum)
  trigger!: RunTrigger;

  @Field(() => JSONScalar, { nullable: true })
  params!: unknown;

  @Field({ description: 'When the run was created; the time axis of history, never changes' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => Int, { nullable: true })
  durationMs!: number | null;

  @Field(() => Int)
  attempt!: number;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field({ description: 'Whether the run was moved to the archive: it is finished, and read-only (a retry of it is a new run in the live store)' })
  archived!: boolean;

  projectId!: string;
  workflowId!: string;
  /** The workflow version the run executes: its spec says which workers may take it. */
  versionId!: string | null;
  retryOfId!: string | null;
  parentRunId!: string | null;

  @Field(() => String, { name: 'parentStep', nullable: true, description: 'The call step of parentRun that started this run (a sub-workflow run, trigger SUBDAG); null for any other run' })
  parentStepName!: string | null;
}
