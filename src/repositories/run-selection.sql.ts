import type { DbProvider } from '../db/provider.ts';
import { createdRange, type RunIdPrefix, type RunSelection } from '../domain/history/run-selection.ts';
import { idTimeBound } from '../domain/ids.ts';
import type { TimeRange } from '../domain/history/time-cover.ts';
import type { RunStatus } from '../domain/status.ts';
import { Prisma } from '../generated/sqlite/client.ts';

/*
 * The WHERE clauses of a RunSelection, shared by the page and the count queries: both read
 * the same index ranges of "Run", so they must select exactly the same runs.
 */

/**
 * One index range of "Run": the runs of one workflow or project and status, in (createdAt, id)
 * order. A multi-status page is a merge of such ranges, each reading at most a page of rows,
 * where `status IN (...)` would read and sort every matching run.
 */
export interface ScanUnit {
  projectId?: string;
  workflowId?: string;
  status?: RunStatus;
  idPrefix?: RunIdPrefix;
}

/** The WHERE of one scan unit: its own equalities, and the selection's other predicates. */
export function unitConditions(selection: RunSelection, unit: ScanUnit, provider: DbProvider): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (unit.workflowId !== undefined) conditions.push(Prisma.sql`"workflowId" = ${unit.workflowId}`);
  if (unit.projectId !== undefined) conditions.push(Prisma.sql`"projectId" = ${unit.projectId}`);
  if (unit.status !== undefined) conditions.push(Prisma.sql`status = ${unit.status}`);
  else if (selection.statuses) conditions.push(inList('status', selection.statuses));
  // Workflows come from the selection's projects, so a workflow's range needs no project test.
  if (unit.workflowId === undefined) {
    if (selection.workflowIds) conditions.push(inList('"workflowId"', selection.workflowIds));
    if (unit.projectId === undefined && selection.projectIds) conditions.push(inList('"projectId"', selection.projectIds));
  }
  if (selection.triggers) conditions.push(inList('trigger', selection.triggers));
  const search = selection.search;
  if (unit.idPrefix) {
    conditions.push(Prisma.sql`substr(id, 1, ${unit.idPrefix.prefix.length}) = ${unit.idPrefix.prefix}`);
    // Runs of the searched workflows come from their own ranges.
    if (search && search.workflowIds.length > 0) conditions.push(Prisma.sql`"workflowId" NOT IN (${Prisma.join(search.workflowIds)})`);
  } else if (search && unit.workflowId === undefined) {
    // Runs found by their id prefix come from the prefix's own range.
    conditions.push(inList('"workflowId"', search.workflowIds));
  }
  conditions.push(...createdConditions(createdRange(selection, unit.idPrefix ?? null), provider));
  if (conditions.length === 0) conditions.push(Prisma.sql`1 = 1`);
  return conditions;
}

/**
 * Runs created in `range`. PostgreSQL partitions "Run" by id, not by createdAt
 * (prisma/postgres/partitioning.sql): the same range said of the ids, which begin with their
 * creation time, lets the planner leave out the partitions of other periods. SQLite has no
 * partitions, and an id range there could only lead its planner to a worse index.
 */
export function createdConditions(range: TimeRange, provider: DbProvider): Prisma.Sql[] {
  return [...rangeConditions('"createdAt"', range), ...partitionConditions(range, provider)];
}

/** On PostgreSQL, the ids of the runs created in `range` (see createdConditions); nothing on SQLite. */
export function partitionConditions(range: TimeRange, provider: DbProvider): Prisma.Sql[] {
  if (provider !== 'postgresql') return [];
  const conditions: Prisma.Sql[] = [];
  if (range.from !== null) conditions.push(Prisma.sql`id >= ${idTimeBound('run', range.from)}`);
  if (range.to !== null) conditions.push(Prisma.sql`id < ${idTimeBound('run', range.to)}`);
  return conditions;
}

export function rangeConditions(column: string, range: TimeRange): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (range.from !== null) conditions.push(Prisma.sql`${Prisma.raw(column)} >= ${new Date(range.from)}`);
  if (range.to !== null) conditions.push(Prisma.sql`${Prisma.raw(column)} < ${new Date(range.to)}`);
  return conditions;
}

/** `column IN (...)`; an empty list selects nothing (SQL has no empty IN list). */
export function inList(column: string, values: readonly string[]): Prisma.Sql {
  return values.length === 0 ? Prisma.sql`1 = 0` : Prisma.sql`${Prisma.raw(column)} IN (${Prisma.join(values)})`;
}

/** `column` (a timestamp) cut down to its minute, hour or day, in each provider's SQL. */
export function truncatedTime(column: string, grain: 'MINUTE' | 'HOUR' | 'DAY', provider: DbProvider): Prisma.Sql {
  if (provider === 'postgresql') return Prisma.raw(`date_trunc('${grain.toLowerCase()}', ${column})`);
  const size = grain === 'MINUTE' ? 60_000 : grain === 'HOUR' ? 3_600_000 : 86_400_000;
  return Prisma.raw(`(${column} - ${column} % ${size})`);
}
