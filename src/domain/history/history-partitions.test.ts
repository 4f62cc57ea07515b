import { missingPeriods, partitionFor, PARTITIONED_HISTORY_TABLES, periodOfBounds, stepIdRange } from './history-partitions.ts';
import { newId } from '../ids.ts';

const day = (month: number, date: number) => Date.UTC(2030, month, date);

describe('history partitions', () => {
  it('bounds a period by the ids made in it', () => {
    const [run, step] = PARTITIONED_HISTORY_TABLES;
    const period = { start: day(2, 1), end: day(3, 1) };
    const partition = partitionFor(run, period);
    const ids = [day(2, 1) - 1, day(2, 1), day(3, 1) - 1, day(3, 1)].map((at) => newId('run', new Date(at)));

    expect(partition.name).toBe('Run_p20300301');
    expect(ids.map((id) => id >= partition.from && id < partition.to)).toEqual([false, true, true, false]);
    expect(partitionFor(step, period).from.startsWith('step_')).toBe(true);
    expect(periodOfBounds(partition.from, partition.to)).toEqual(period);
  });

  it('fills a stretch with periods of the interval, cut back around the partitions that exist', () => {
    const march = { start: day(2, 1), end: day(3, 1) };

    expect(missingPeriods(day(1, 26), day(3, 8), 'week', [march])).toEqual([
      { start: day(1, 25), end: day(2, 1) },
      { start: day(3, 1), end: day(3, 8) },
    ]);
    expect(missingPeriods(day(2, 10), day(2, 20), 'day', [march])).toEqual([]);
  });

  it('bounds the ids of the steps of some runs by the runs’ creation times', () => {
    const runs = [day(2, 3), day(1, 9)].map((at) => new Date(at));
    const steps = runs.map((at) => newId('step', at));
    const range = stepIdRange(runs.map((at) => newId('run', at)));
    const later = newId('step', new Date(day(2, 3) + 1));
    const earlier = newId('step', new Date(day(1, 9) - 1));

    expect(steps.map((id) => id >= range.from && id < range.to)).toEqual([true, true]);
    expect([earlier, later].map((id) => id >= range.from && id < range.to)).toEqual([false, false]);
    expect(stepIdRange(['run_by-hand'])).toEqual({ from: 'step_', to: 'step_w' });
  });
});
