import { AppError } from './errors.ts';

export interface BudgetLease {
  /** Gives back what the value turned out not to need. */
  settle(usedBytes: number): void;
}

/**
 * The bytes one operation may put in its answer from large values (step logs, workflow
 * definitions). A value takes
 * its share before it is read, so that many aliases of a large read are refused before memory
 * holds them; what it did not need goes back once it is read.
 */
export class ResponseBudget {
  private remaining: number;

  constructor(readonly maxBytes: number) {
    this.remaining = maxBytes;
  }

  reserve(bytes: number, what: string): BudgetLease {
    if (bytes > this.remaining) {
      throw new AppError(
        'RESPONSE_TOO_LARGE',
        `${what} would take the answer past ${this.maxBytes} bytes (RESPONSE_MAX_BYTES): ask for less in one operation (smaller pages or limits, fewer aliases) and for the rest in the next`,
        { limit: this.maxBytes },
      );
    }
    this.remaining -= bytes;
    let reserved = bytes;
    return {
      settle: (usedBytes) => {
        const unused = Math.max(0, reserved - usedBytes);
        this.remaining += unused;
        reserved -= unused;
      },
    };
  }
}
