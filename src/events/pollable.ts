/**
 * An async iterator whose consumer may also take what is ready without a promise: poll() hands
 * over the next result, or null when there is none yet, and whenReady(callback) calls back,
 * once, when poll() is worth calling again. One event fanned out to a thousand subscribers then
 * costs no promise per subscriber: each is called back in the same turn and takes it at once.
 */
export interface Pollable<T> extends AsyncIterableIterator<T> {
  /** Throws what the iteration failed with. */
  poll(): IteratorResult<T> | null;
  /** At most one callback waits at a time; it may be called synchronously, from within whatever made a result ready. */
  whenReady(callback: () => void): void;
  return(): Promise<IteratorResult<T>>;
}

export const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

export function isPollable<T>(iterator: AsyncIterator<T>): iterator is Pollable<T> {
  return 'poll' in iterator && 'whenReady' in iterator;
}

/** next() by way of poll() and whenReady(). */
export function nextOf<T>(source: Pollable<T>): Promise<IteratorResult<T>> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      try {
        const result = source.poll();
        if (result) resolve(result);
        else source.whenReady(attempt);
      } catch (error) {
        reject(error);
      }
    };
    attempt();
  });
}

/** Any async iterator as a Pollable: it is asked for one result at a time, which poll() then hands over. */
export function pollableOf<T>(iterator: AsyncIterator<T>): Pollable<T> {
  let ready: IteratorResult<T> | null = null;
  let failure: { error: unknown } | null = null;
  let asking = false;
  let waiting: (() => void) | null = null;
  const answered = () => {
    asking = false;
    const callback = waiting;
    waiting = null;
    callback?.();
  };
  const pollable: Pollable<T> = {
    poll: () => {
      if (failure) throw failure.error;
      const result = ready;
      if (result && !result.done) ready = null;
      return result;
    },
    whenReady: (callback) => {
      if (ready || failure) return callback();
      waiting = callback;
      if (asking) return;
      asking = true;
      iterator.next().then(
        (result) => {
          ready = result;
          answered();
        },
        (error: unknown) => {
          failure = { error };
          answered();
        },
      );
    },
    next: () => nextOf(pollable),
    return: async () => {
      ready = DONE;
      await iterator.return?.();
      return DONE;
    },
    [Symbol.asyncIterator]: () => pollable,
  };
  return pollable;
}

/**
 * `first`'s results, then `rest`'s. Once `first` is done, a result costs what it costs from
 * `rest` alone; when `first` fails, `rest` is ended with it.
 */
export function followedBy<T>(first: AsyncIterator<T>, rest: Pollable<T>): Pollable<T> {
  const head = pollableOf(first);
  let onFirst = true;
  const pollable: Pollable<T> = {
    poll: () => {
      if (onFirst) {
        let result: IteratorResult<T> | null;
        try {
          result = head.poll();
        } catch (error) {
          void rest.return();
          throw error;
        }
        if (result === null || !result.done) return result;
        onFirst = false;
      }
      return rest.poll();
    },
    whenReady: (callback) => (onFirst ? head : rest).whenReady(callback),
    next: () => nextOf(pollable),
    // `rest` first: `first` may be waiting on it, and an async generator returns only once its pending step is done.
    return: async () => {
      await rest.return();
      if (onFirst) await head.return();
      return DONE;
    },
    [Symbol.asyncIterator]: () => pollable,
  };
  return pollable;
}
