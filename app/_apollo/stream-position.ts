/**
 * Where a stream of run events stands. It starts after the snapshot its page shows (the base);
 * after a dropped socket or a hidden tab it resumes after the last seq it delivered, so nothing
 * is missed, and it drops any seq it already delivered, so nothing arrives twice.
 */
export interface StreamPosition {
  /** The snapshot the page shows; null: the stream started at the moment it was opened. */
  readonly base: string | null;
  /** The last seq delivered (the base until an event arrives). */
  readonly last: bigint | null;
}

export function startAt(base: string | null): StreamPosition {
  return { base, last: base === null ? null : BigInt(base) };
}

/** The position after an event, or null when its seq was already delivered (a resumed stream replays). */
export function deliver(position: StreamPosition, seq: string): StreamPosition | null {
  const next = BigInt(seq);
  return position.last !== null && next <= position.last ? null : { base: position.base, last: next };
}

/** Where a resumed stream starts: after the last seq delivered. */
export function resumeAfter(position: StreamPosition): string | null {
  return position.last === null ? null : position.last.toString();
}

/**
 * The page now shows `base`. A base the stream has already delivered (the page wrote those
 * events into its data) changes nothing; any other base starts the stream over from there.
 */
export function follow(position: StreamPosition, base: string | null): { position: StreamPosition; restart: boolean } {
  if (base === position.base) return { position, restart: false };
  if (base !== null && position.last !== null && BigInt(base) <= position.last) return { position: { ...position, base }, restart: false };
  return { position: startAt(base), restart: true };
}
