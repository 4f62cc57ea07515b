/** A status change as the run page has it: of the run (no step) or of one of its steps. */
export interface AttemptEvent {
  seq: string;
  at: string;
  to: string;
  message: string | null;
  step: { name: string } | null;
}

export interface StepAttempt {
  /** 1 for the first start. */
  number: number;
  startedAt: string;
  /** Null while the attempt runs. */
  endedAt: string | null;
  /** The status it ended in; RUNNING while it runs. */
  outcome: string;
  durationMs: number | null;
  /** What the ending event said (an exit code, a timeout). */
  message: string | null;
}

/**
 * The attempts of one step from its run's status history: each change to RUNNING starts one,
 * the step's next change ends it (a failed attempt that is retried goes FAILED, then RUNNING again).
 */
export function stepAttempts(events: readonly AttemptEvent[], step: string): StepAttempt[] {
  const ordered = events.filter((event) => event.step?.name === step).sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
  const attempts: StepAttempt[] = [];
  let open: StepAttempt | null = null;
  for (const event of ordered) {
    if (open) {
      open.endedAt = event.at;
      open.outcome = event.to;
      open.durationMs = Date.parse(event.at) - Date.parse(open.startedAt);
      open.message = event.message;
      open = null;
    }
    if (event.to === 'RUNNING') {
      open = { number: attempts.length + 1, startedAt: event.at, endedAt: null, outcome: 'RUNNING', durationMs: null, message: null };
      attempts.push(open);
    }
  }
  return attempts;
}
