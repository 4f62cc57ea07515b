/** "Something changed since you last looked": notifications coalesce until the next wait. */
export class ChangeSignal {
  private pending = false;
  private closed = false;
  private waiter: ((changed: boolean) => void) | null = null;

  notify(): void {
    if (this.waiter) {
      const wake = this.waiter;
      this.waiter = null;
      wake(true);
    } else {
      this.pending = true;
    }
  }

  /** Resolves true at the next change (at once if one is pending), false once closed. */
  next(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (this.pending) {
      this.pending = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Forgets changes notified so far (they are covered by what is read now). */
  clear(): void {
    this.pending = false;
  }

  close(): void {
    this.closed = true;
    this.waiter?.(false);
    this.waiter = null;
  }
}
