import type { Prisma } from '../generated/sqlite/client.ts';

export type ColumnType = 'text' | 'int' | 'bigint' | 'time' | 'json';
/** A value as the seeder holds it: times are unix ms, JSON is its text. */
export type Cell = string | number | null;

/**
 * A table the seeder fills. Its column names are the generated client's field enum of the
 * model, so a renamed or dropped column fails the type check here instead of the insert.
 */
export interface Table<Column extends string> {
  name: Prisma.ModelName;
  columns: readonly (readonly [name: Column, type: ColumnType])[];
  /** Upsert-add on this key instead of a plain insert. */
  addOnConflict?: { key: readonly Column[]; column: Column };
}

export const RUN_TABLE: Table<Prisma.RunScalarFieldEnum> = {
  name: 'Run',
  columns: [
    ['id', 'text'],
    ['projectId', 'text'],
    ['workflowId', 'text'],
    ['status', 'text'],
    ['trigger', 'text'],
    ['params', 'json'],
    ['createdAt', 'time'],
    ['startedAt', 'time'],
    ['finishedAt', 'time'],
    ['durationMs', 'int'],
    ['attempt', 'int'],
    ['retryOfId', 'text'],
    ['versionId', 'text'],
    ['error', 'text'],
    ['lastSeq', 'bigint'],
  ],
};
export const STEP_TABLE: Table<Prisma.StepRunScalarFieldEnum> = {
  name: 'StepRun',
  columns: [
    ['id', 'text'],
    ['runId', 'text'],
    ['name', 'text'],
    ['position', 'int'],
    ['status', 'text'],
    ['startedAt', 'time'],
    ['finishedAt', 'time'],
    ['exitCode', 'int'],
    ['attempt', 'int'],
    ['error', 'text'],
  ],
};
export const EVENT_TABLE: Table<Prisma.RunEventScalarFieldEnum> = {
  name: 'RunEvent',
  columns: [
    ['seq', 'bigint'],
    ['runId', 'text'],
    ['stepRunId', 'text'],
    ['projectId', 'text'],
    ['workflowId', 'text'],
    ['kind', 'text'],
    ['from', 'text'],
    ['to', 'text'],
    ['at', 'time'],
    ['message', 'text'],
    ['actor', 'text'],
  ],
};
export const HOUR_BUCKET_TABLE: Table<Prisma.StatusBucketScalarFieldEnum> = {
  name: 'StatusBucket',
  columns: [
    ['workflowId', 'text'],
    ['hour', 'time'],
    ['status', 'text'],
    ['trigger', 'text'],
    ['projectId', 'text'],
    ['count', 'int'],
  ],
  addOnConflict: { key: ['workflowId', 'hour', 'status', 'trigger'], column: 'count' },
};
export const PROJECT_BUCKET_TABLE: Table<Prisma.StatusProjectBucketScalarFieldEnum> = {
  name: 'StatusProjectBucket',
  columns: [
    ['projectId', 'text'],
    ['hour', 'time'],
    ['status', 'text'],
    ['count', 'int'],
  ],
  addOnConflict: { key: ['projectId', 'hour', 'status'], column: 'count' },
};
export const DAY_BUCKET_TABLE: Table<Prisma.StatusDayBucketScalarFieldEnum> = {
  name: 'StatusDayBucket',
  columns: [
    ['workflowId', 'text'],
    ['day', 'time'],
    ['status', 'text'],
    ['trigger', 'text'],
    ['projectId', 'text'],
    ['count', 'int'],
  ],
  addOnConflict: { key: ['workflowId', 'day', 'status', 'trigger'], column: 'count' },
};

export function columnList(table: Table<string>): string {
  return table.columns.map(([name]) => `"${name}"`).join(', ');
}
