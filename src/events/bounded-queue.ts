import { DONE, nextOf, type Pollable } from './pollable.ts';

interface BoundedQueueOptions<T> {
  /** What the consumer gets last, in place of everything queued, once it fell `capacity` items behind. */
  overflowItem: T;
  /** Runs once, when the queue takes no more items: it overflowed, the producer ended it, or the consumer returned. */
  onEnd?: (overflowed: boolean) => void;
}

/**
 * The items waiting for one consumer. Bounded: a consumer that falls this far behind is cut off
 * (overflowed), its items dropped for the overflow item, so a slow client costs the server a
 * fixed amount of memory and never holds up the others. A consumer that keeps up takes each
 * item by poll() as soon as it is pushed.
 */
export class BoundedQueue<T> implements Pollable<T> {
  private items: T[] = [];
  private waiting: (() => void) | null = null;
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
    if (this.items.length >= this.capacity) {
      this.overflowed = true;
      this.items = [this.options.overflowItem];
      this.end();
      return;
    }
    this.items.push(item);
    this.wake();
  }

  /** Takes no more items; the consumer still gets those queued. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.wake();
    this.options.onEnd?.(this.overflowed);
  }

  poll(): IteratorResult<T> | null {
    const item = this.items.shift();
    if (item !== undefined) return { value: item, done: false };
    return this.ended ? DONE : null;
  }

  whenReady(callback: () => void): void {
    if (this.items.length > 0 || this.ended) callback();
    else this.waiting = callback;
  }

  next(): Promise<IteratorResult<T>> {
    return nextOf(this);
  }

  return(): Promise<IteratorResult<T>> {
    this.items = [];
    this.end();
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): Pollable<T> {
    return this;
  }

  private wake(): void {
    const callback = this.waiting;
    this.waiting = null;
    callback?.();
  }
}
