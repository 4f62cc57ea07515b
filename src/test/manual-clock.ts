import type { Clock } from '../domain/clock.ts';

/** A clock that moves only when the test says so. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}

  now(): Date {
    return new Date(this.current);
  }

  set(to: Date): void {
    this.current = new Date(to);
  }
}
