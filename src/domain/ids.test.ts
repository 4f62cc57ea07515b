import { newId, runIdTimeRange } from './ids.ts';

describe('newId', () => {
  it('makes ids that sort in the order they were made, within one millisecond too', () => {
    const now = new Date('2026-12-06T12:00:00.000Z');
    const ids = Array.from({ length: 2_000 }, () => newId('run', now));

    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sorts an id of a later millisecond after every id of an earlier one', () => {
    const earlier = Array.from({ length: 50 }, () => newId('run', new Date('2026-12-06T12:00:00.000Z')));
    const later = newId('run', new Date('2026-12-06T12:00:00.001Z'));

    expect(earlier.every((id) => id < later)).toBe(true);
  });

  it('begins with the time the id search reads back', () => {
    const at = new Date('2026-12-06T12:34:56.789Z');
    const range = runIdTimeRange(newId('run', at));

    expect(range).toEqual({ from: at.getTime(), to: at.getTime() + 1 });
  });
});
