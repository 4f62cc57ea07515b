import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { RunStatus } from '../../domain/status.ts';
import { RunStatusEnum } from '../enums.ts';

@ObjectType({ description: 'The chance that the workflow’s next run fails: recent failures weigh more, and the last outcome counts (a failure is often followed by another). Given only where replaying its recent runs shows it predicts better than the plain failure rate' })
export class FailureProbability {
  @Field(() => Float)
  probability!: number;

  @Field(() => Float, { description: 'The plain share of failures over the same runs' })
  baseRate!: number;

  @Field(() => Float, { description: '1 - Brier(model) / Brier(base rate) over the replayed runs: how much better than the base rate it predicted' })
  skill!: number;

  @Field(() => Int, { description: 'Runs the replay predicted' })
  backtestRuns!: number;
}

@ObjectType({ description: 'Runs expected on a day, with a band of about 95%' })
export class VolumeBand {
  @Field(() => Float)
  expected!: number;

  @Field(() => Float)
  lower!: number;

  @Field(() => Float)
  upper!: number;
}

@ObjectType()
export class StatusVolumeBand extends VolumeBand {
  @Field(() => RunStatusEnum)
  status!: RunStatus;
}

@ObjectType({ description: 'Tomorrow’s runs (UTC) of the workflow: the mean of the same weekday over the last four weeks, per status they end in' })
export class WorkflowForecast {
  @Field({ description: 'The day forecast (its UTC midnight)' })
  day!: Date;

  @Field(() => VolumeBand)
  total!: VolumeBand;

  @Field(() => [StatusVolumeBand], { description: 'The statuses its runs end in on such days (those with any)' })
  byStatus!: StatusVolumeBand[];
}
