import { BoundedQueue } from './bounded-queue.ts';

function queueOf(capacity: number) {
  const ends: boolean[] = [];
  const queue = new BoundedQueue<string>(capacity, { overflowItem: 'OVERFLOW', onEnd: (overflowed) => ends.push(overflowed) });
  return { queue, ends };
}

async function drain(queue: BoundedQueue<string>): Promise<string[]> {
  const items: string[] = [];
  for await (const item of queue) items.push(item);
  return items;
}

describe('BoundedQueue', () => {
  it('hands the items over in order, and what is queued before end() still goes out', async () => {
    const { queue, ends } = queueOf(3);

    queue.push('a');
    queue.push('b');
    queue.end();

    expect(await drain(queue)).toEqual(['a', 'b']);
    expect(ends).toEqual([false]);
  });

  it('calls a waiting consumer back within push, so that it takes the item at once', () => {
    const { queue } = queueOf(3);
    const taken: (string | null)[] = [];
    expect(queue.poll()).toBeNull();

    queue.whenReady(() => taken.push(queue.poll()?.value ?? null));
    queue.push('a');

    expect(taken).toEqual(['a']);
  });

  it('replaces what a consumer that fell capacity items behind had queued with the overflow item, then ends', async () => {
    const { queue, ends } = queueOf(2);

    for (const item of ['a', 'b', 'c', 'd']) queue.push(item);

    expect(await drain(queue)).toEqual(['OVERFLOW']);
    expect(queue.overflowed).toBe(true);
    expect(ends).toEqual([true]);
  });

  it('drops what is queued when the consumer returns, and takes nothing after', async () => {
    const { queue, ends } = queueOf(3);
    queue.push('a');

    await queue.return();
    queue.push('b');

    expect(await drain(queue)).toEqual([]);
    expect(ends).toEqual([false]);
  });

  it('resolves a pending next() with done when it ends', async () => {
    const { queue } = queueOf(3);
    const pending = queue.next();

    queue.end();

    expect(await pending).toEqual({ value: undefined, done: true });
  });
});
