import { BoundedQueue } from './bounded-queue.ts';
import { followedBy, nextOf, pollableOf, type Pollable } from './pollable.ts';

async function* items(...values: string[]): AsyncGenerator<string> {
  for (const value of values) yield value;
}

async function* failing(message: string): AsyncGenerator<string> {
  yield 'first';
  throw new Error(message);
}

async function drain(source: Pollable<string>): Promise<string[]> {
  const values: string[] = [];
  for (let result = await nextOf(source); !result.done; result = await nextOf(source)) values.push(result.value);
  return values;
}

function liveQueue(...values: string[]): BoundedQueue<string> {
  const queue = new BoundedQueue<string>(10, { overflowItem: 'OVERFLOW' });
  for (const value of values) queue.push(value);
  return queue;
}

describe('pollableOf', () => {
  it('has nothing to poll until it is asked, then hands over each item in order', async () => {
    const source = pollableOf(items('a', 'b'));

    const before = source.poll();

    expect(before).toBeNull();
    expect(await drain(source)).toEqual(['a', 'b']);
    expect(source.poll()).toEqual({ value: undefined, done: true });
  });

  it('throws from poll what the iterator failed with', async () => {
    const source = pollableOf(failing('broken'));

    expect(await source.next()).toEqual({ value: 'first', done: false });
    await expect(source.next()).rejects.toThrow('broken');
  });
});

describe('followedBy', () => {
  it("gives the first iterator's items, then the rest's", async () => {
    const rest = liveQueue('c');
    const both = followedBy(items('a', 'b'), rest);
    rest.end();

    expect(await drain(both)).toEqual(['a', 'b', 'c']);
  });

  it('ends the rest when the first fails', async () => {
    const rest = liveQueue('c');
    const both = followedBy(failing('replay failed'), rest);

    expect(await both.next()).toEqual({ value: 'first', done: false });
    await expect(both.next()).rejects.toThrow('replay failed');
    expect(rest.isEnded).toBe(true);
  });

  it('returns while the first waits on the rest, as a replay waits for the first live item', async () => {
    const rest = liveQueue();
    async function* waitingOnRest(): AsyncGenerator<string> {
      const live = await rest.next();
      if (!live.done) yield live.value;
    }
    const both = followedBy(waitingOnRest(), rest);
    const pending = both.next();

    await both.return();

    expect(await pending).toEqual({ value: undefined, done: true });
    expect(rest.isEnded).toBe(true);
  });
});
