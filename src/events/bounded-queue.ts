interface BoundedQueueOptions<T> {
  /** What the consumer gets last, in place of everything queued, once it fell `capacity` items behind. */
  overflowItem: T;
  /** Runs once, when the queue takes no more items: it overflowed, the producer ended it, or the consumer returned. */
  onEnd?: (overflowed: boolean) => void;
}

/**
 * The items waiting for one consumer. Bounded: a consumer that falls this far behind is cut off
 * (overflowed), its items dropped for the overflow item, so a slow client costs the server a
 * fixed amount of memory and never holds up the others. It is its own iterator, with no async
 * generator in between, as it sits on the path of every delivery.
 */
export class BoundedQueue<T> implements AsyncIterableIterator<T> {
  private items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private ended = false;
  overflowed = false;

  constructor(
    private readonly capacity: number,
    private readonly options: BoundedQueueOptions<T>,
  ) {}

  get isEnded(): boolean {
    return this.ended;
  }

  push(item: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: item, done: false });
      return;
    }
    if (this.items.length >= this.capacity) {
      this.overflowed = true;
      this.items = [this.options.overflowItem];
      this.end();
      return;
    }
    this.items.push(item);
  }

  /** Takes no more items; the consumer still gets those queued. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const resolve = this.waiting;
    this.waiting = null;
    resolve?.({ value: undefined, done: true });
    this.options.onEnd?.(this.overflowed);
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve({ value: item, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.items = [];
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
