import { inTurn, type RunFeedFollower } from './run-feed-job.ts';

describe('inTurn', () => {
  it('runs every duty one after the other, and reports a failing one without holding back the next', async () => {
    const calls: string[] = [];
    const duty = (name: string, fails: boolean): RunFeedFollower => ({
      catchUp: async () => {
        calls.push(`${name} starts`);
        await new Promise((resolve) => setImmediate(resolve));
        calls.push(`${name} ends`);
        if (fails) throw new Error(`${name} broke`);
      },
      tick: async () => {
        calls.push(`${name} ticks`);
      },
    });
    const both = inTurn([duty('anomalies', true), duty('incidents', false)]);

    await expect(both.catchUp()).rejects.toMatchObject({ message: '1 of 2 duties failed', errors: [expect.objectContaining({ message: 'anomalies broke' })] });
    expect(calls).toEqual(['anomalies starts', 'anomalies ends', 'incidents starts', 'incidents ends']);
    await both.tick();
    expect(calls.slice(-2)).toEqual(['anomalies ticks', 'incidents ticks']);
  });
});
