/**
 * The probability that a workflow's next run fails: failures weigh by how recent they are
 * (a half-life in runs), with a term for the last outcome (after a failure, the next run fails
 * more often than the base rate says: the cause is often still there). It is shown only where
 * replaying the same history beats the plain base rate: the Brier score of its predictions
 * against the base rate's, run by run.
 */

export interface FailureProbability {
  /** Of the next run failing. */
  probability: number;
  /** The plain share of failures over the same runs. */
  baseRate: number;
  /** 1 - Brier(model) / Brier(base rate) over the replayed runs: above 0, the model predicted better. */
  skill: number;
  /** Mean squared errors of the replay's predictions: the model's and the base rate's. */
  modelBrier: number;
  baseBrier: number;
  /** Runs the replay predicted. */
  backtestRuns: number;
}

export interface FailureModelSettings {
  /** Runs after which a failure weighs half as much. */
  halfLife: number;
  /** Runs replayed before one is predicted: the first are too few to predict from. */
  warmUp: number;
}

export const DEFAULT_FAILURE_MODEL: FailureModelSettings = { halfLife: 40, warmUp: 30 };

/** Decayed counts of outcomes after a success and after a failure: the model's whole state. */
class DecayedTransitions {
  // [after a success, after a failure] × [runs, failures], and every run's.
  private readonly runs = [0, 0];
  private readonly failures = [0, 0];
  private allRuns = 0;
  private allFailures = 0;
  private last: boolean | null = null;
  private readonly keep: number;

  constructor(halfLife: number) {
    this.keep = Math.pow(0.5, 1 / halfLife);
  }

  predict(): number {
    // Laplace's rule on the decayed rate; the last outcome's row, shrunk towards it by its own weight.
    const overall = (this.allFailures + 1) / (this.allRuns + 2);
    if (this.last === null) return overall;
    const row = this.last ? 1 : 0;
    const runs = this.runs[row] ?? 0;
    const failures = this.failures[row] ?? 0;
    const prior = 2;
    return (failures + prior * overall) / (runs + prior);
  }

  add(failed: boolean): void {
    this.allRuns = this.allRuns * this.keep + 1;
    this.allFailures = this.allFailures * this.keep + (failed ? 1 : 0);
    for (const row of [0, 1]) {
      this.runs[row] = (this.runs[row] ?? 0) * this.keep;
      this.failures[row] = (this.failures[row] ?? 0) * this.keep;
    }
    if (this.last !== null) {
      const row = this.last ? 1 : 0;
      this.runs[row] = (this.runs[row] ?? 0) + 1;
      if (failed) this.failures[row] = (this.failures[row] ?? 0) + 1;
    }
    this.last = failed;
  }
}

/** From the workflow's finished runs, oldest first (true: failed); null with too few to replay. */
export function failureProbability(outcomes: readonly boolean[], settings: FailureModelSettings = DEFAULT_FAILURE_MODEL): FailureProbability | null {
  if (outcomes.length <= settings.warmUp) return null;
  const model = new DecayedTransitions(settings.halfLife);
  let modelError = 0;
  let baseError = 0;
  let seenFailures = 0;
  outcomes.forEach((failed, index) => {
    if (index >= settings.warmUp) {
      const actual = failed ? 1 : 0;
      const base = (seenFailures + 1) / (index + 2);
      modelError += (model.predict() - actual) ** 2;
      baseError += (base - actual) ** 2;
    }
    model.add(failed);
    if (failed) seenFailures += 1;
  });
  const backtestRuns = outcomes.length - settings.warmUp;
  return {
    probability: model.predict(),
    baseRate: seenFailures / outcomes.length,
    skill: baseError === 0 ? 0 : 1 - modelError / baseError,
    modelBrier: modelError / backtestRuns,
    baseBrier: baseError / backtestRuns,
    backtestRuns,
  };
}
