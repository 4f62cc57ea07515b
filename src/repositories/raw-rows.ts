import { column, type SqlRow } from '../db/sql-values.ts';
import type { Prisma, Run, StepRun } from '../generated/sqlite/client.ts';

/*
 * Rows read by raw SQL on the writer's connection, turned into Prisma's row shapes: a column of
 * another type than its own is an error naming it.
 */

/** Every column of a run, its JSON as text (PostgreSQL's jsonb would come back parsed). */
export const POSTGRES_RUN_COLUMNS = `id, "projectId", "workflowId", status, trigger, params::text AS params, "createdAt", "startedAt", "finishedAt",
  "durationMs", attempt, "retryOfId", "parentRunId", "parentStepName", "versionId", error, "lastSeq", "leaseOwner", "leaseExpiresAt", fence`;

export function isRow(value: unknown): value is SqlRow {
  return typeof value === 'object' && value !== null;
}

export function runRowOf(row: SqlRow): Run {
  return {
    id: column.text(row, 'id'),
    projectId: column.text(row, 'projectId'),
    workflowId: column.text(row, 'workflowId'),
    status: column.text(row, 'status'),
    trigger: column.text(row, 'trigger'),
    params: jsonColumn(row, 'params'),
    createdAt: column.date(row, 'createdAt'),
    startedAt: column.optionalDate(row, 'startedAt'),
    finishedAt: column.optionalDate(row, 'finishedAt'),
    durationMs: column.optionalInteger(row, 'durationMs'),
    attempt: column.integer(row, 'attempt'),
    retryOfId: column.optionalText(row, 'retryOfId'),
    parentRunId: column.optionalText(row, 'parentRunId'),
    parentStepName: column.optionalText(row, 'parentStepName'),
    versionId: column.optionalText(row, 'versionId'),
    error: column.optionalText(row, 'error'),
    lastSeq: column.bigint(row, 'lastSeq'),
    leaseOwner: column.optionalText(row, 'leaseOwner'),
    leaseExpiresAt: column.optionalDate(row, 'leaseExpiresAt'),
    fence: column.integer(row, 'fence'),
  };
}

export function stepRowOf(row: SqlRow): StepRun {
  return {
    id: column.text(row, 'id'),
    runId: column.text(row, 'runId'),
    name: column.text(row, 'name'),
    position: column.integer(row, 'position'),
    status: column.text(row, 'status'),
    startedAt: column.optionalDate(row, 'startedAt'),
    finishedAt: column.optionalDate(row, 'finishedAt'),
    exitCode: column.optionalInteger(row, 'exitCode'),
    attempt: column.integer(row, 'attempt'),
    error: column.optionalText(row, 'error'),
    output: column.optionalText(row, 'output'),
    pid: column.optionalInteger(row, 'pid'),
    logPath: column.optionalText(row, 'logPath'),
  };
}

/** A JSON column read as text on both databases (PostgreSQL's is cast in the select). */
function jsonColumn(row: SqlRow, name: string): Prisma.JsonValue {
  const text = column.optionalText(row, name);
  if (text === null) return null;
  const parsed: Prisma.JsonValue = JSON.parse(text);
  return parsed;
}
