import { periodFor, type PartitionInterval, type PeriodRange } from '../archive/archive-period.ts';
import { idTime, idTimeBound } from '../ids.ts';

/**
 * The history tables PostgreSQL partitions by their run's creation time, and the id each one is
 * ranged by: "Run" and "StepRun" by their own id (a step's id carries its run's creation time),
 * "RunEvent" by its run's id. prisma/postgres/partitioning.sql makes them so.
 */
export const PARTITIONED_HISTORY_TABLES = [
  { table: 'Run', prefix: 'run' },
  { table: 'StepRun', prefix: 'step' },
  { table: 'RunEvent', prefix: 'run' },
] as const;

export type PartitionedHistoryTable = (typeof PARTITIONED_HISTORY_TABLES)[number];

/**
 * The live tables whose rows refer to the rows of a history period by a key of it (each: table,
 * key column, the history table it refers to). Their foreign keys cascade: deleting a period's
 * runs or steps deletes these rows, so whatever moves a period's rows keeps them aside meanwhile.
 */
export const HISTORY_REFERRERS = [
  { table: 'CronTick', column: 'runId', of: 'Run' },
  { table: 'ApprovalDecision', column: 'stepRunId', of: 'StepRun' },
  { table: 'StepLogChunk', column: 'stepRunId', of: 'StepRun' },
] as const;

/** One period's partition of one table: its name and its id bounds [from, to). */
export interface HistoryPartition {
  table: PartitionedHistoryTable['table'];
  name: string;
  from: string;
  to: string;
}

export function defaultPartitionName(table: PartitionedHistoryTable['table']): string {
  return `${table}_default`;
}

/** The partition of `table` for a period: named by its first day, e.g. Run_p20261201. */
export function partitionFor(history: PartitionedHistoryTable, period: PeriodRange): HistoryPartition {
  const day = new Date(period.start).toISOString().slice(0, 10).replace(/-/g, '');
  return { table: history.table, name: `${history.table}_p${day}`, from: idTimeBound(history.prefix, period.start), to: idTimeBound(history.prefix, period.end) };
}

/** The partitions of one period, one per history table. */
export function periodPartitions(period: PeriodRange): Record<PartitionedHistoryTable['table'], HistoryPartition> {
  const [run, step, event] = PARTITIONED_HISTORY_TABLES.map((history) => partitionFor(history, period));
  if (!run || !step || !event) throw new Error('The history tables are Run, StepRun and RunEvent');
  return { Run: run, StepRun: step, RunEvent: event };
}

/** The time range of partition bounds read from the catalog; null when they are not time bounds of ids. */
export function periodOfBounds(from: string, to: string): PeriodRange | null {
  const start = idTime(from);
  const end = idTime(to);
  return start === null || end === null ? null : { start, end };
}

/**
 * The periods to add so that [from, to) is covered: each instant of it in an existing period or
 * in a new one of `interval`, cut back so it overlaps none (partitions made under another
 * PARTITION_INTERVAL, or by the migration's months, stay as they are).
 */
export function missingPeriods(from: number, to: number, interval: PartitionInterval, existing: readonly PeriodRange[]): PeriodRange[] {
  const known: PeriodRange[] = [...existing];
  const missing: PeriodRange[] = [];
  let at = from;
  while (at < to) {
    const found = periodFor(at, interval, known);
    if (found.kind === 'new') {
      const period = { start: found.period.start, end: found.period.end };
      known.push(period);
      missing.push(period);
    }
    at = found.period.end;
  }
  return missing;
}

/**
 * The ids the steps of these runs can have: a step's id carries its run's creation time. On
 * PostgreSQL, saying it beside "runId" lets a lookup read the partitions of those times only, not
 * every partition's ("runId", name) index. A run id without a time gives the range of all steps.
 */
export function stepIdRange(runIds: readonly string[]): { from: string; to: string } {
  const times = runIds.map(idTime);
  if (times.length === 0 || times.some((time) => time === null)) return { from: 'step_', to: 'step_w' };
  const known = times.filter((time): time is number => time !== null);
  return { from: idTimeBound('step', Math.min(...known)), to: idTimeBound('step', Math.max(...known) + 1) };
}
