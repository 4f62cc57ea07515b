import type { DbProvider } from '../db/provider.ts';
import type { ReadSession } from '../db/history-reader.ts';
import { sqlDate } from '../db/sql-values.ts';
import type { RunSelection } from '../domain/history/run-selection.ts';
import type { TimeRange } from '../domain/history/time-cover.ts';
import { runStatusOf, type RunStatus } from '../domain/status.ts';
import { Prisma } from '../generated/sqlite/client.ts';
import type { ArchiveScope } from './run-page.repository.ts';
import { createdConditions, inList, rangeConditions, truncatedTime, unitConditions, type ScanUnit } from './run-selection.sql.ts';

/** Runs counted per status, and per time when counted for a trend (time: unix ms or null). */
export interface CountRow {
  time: number | null;
  status: RunStatus;
  count: number;
}

export type RunGrain = 'MINUTE' | 'HOUR';

/** Counts of runs for history answers, from the runs themselves or their rollups, through a HistoryReader session. */
export class RunCountRepository {
  constructor(private readonly deps: { provider: DbProvider }) {}

  /**
   * Selected runs created in `ranges`, counted per status (and per `grain` of createdAt when
   * given), read from the runs themselves: the edges of a range, and what rollups cannot serve
   * (a run-id search, minutes).
   */
  async countRuns(session: ReadSession, selection: RunSelection, ranges: readonly TimeRange[], grain: RunGrain | null, archive: ArchiveScope | null = null): Promise<CountRow[]> {
    const time = grain === null ? Prisma.raw('NULL') : truncatedTime('"createdAt"', grain, this.deps.provider);
    const prefix = selection.search?.runIdPrefix;
    const units: ScanUnit[] = selection.search ? [{ idPrefix: prefix ?? undefined }] : [{}];
    const parts = ranges.flatMap((range) =>
      units.map((unit) => {
        const conditions = [...unitConditions(selection, unit, this.deps.provider), ...createdConditions(range, this.deps.provider), ...(archive === null ? [] : [archive.visible])];
        return Prisma.sql`SELECT ${time} AS t, status, COUNT(*) AS n FROM "Run" WHERE ${Prisma.join(conditions, ' AND ')} GROUP BY ${groupBy(grain === null ? null : time)}`;
      }),
    );
    return this.countRows(session, parts);
  }

  /**
   * Selected runs counted from the hourly or daily rollup over bucket-aligned `ranges`; with
   * `archived`, from the archived rollups: how many of those runs are in the archive.
   */
  async countRollup(session: ReadSession, selection: RunSelection, table: 'HOUR' | 'DAY', ranges: readonly TimeRange[], byTime: boolean, archived = false): Promise<CountRow[]> {
    if (selection.search) throw new Error('A search is counted from its workflows and its run-id prefix, not from rollups');
    // Without a workflow or trigger to tell apart, hours are summed per project: far fewer rows.
    const byProject = !archived && table === 'HOUR' && selection.workflowIds === null && selection.triggers === null;
    const [tableName, column] = byProject
      ? ['"StatusProjectBucket"', 'hour']
      : table === 'HOUR'
        ? [archived ? '"ArchivedStatusBucket"' : '"StatusBucket"', 'hour']
        : [archived ? '"ArchivedStatusDayBucket"' : '"StatusDayBucket"', 'day'];
    const time = byTime ? Prisma.raw(column) : Prisma.raw('NULL');
    const parts = ranges.map((range) => {
      const conditions = [...rollupConditions(selection), ...rangeConditions(column, range)];
      return Prisma.sql`SELECT ${time} AS t, status, SUM(count) AS n FROM ${Prisma.raw(tableName)} WHERE ${Prisma.join(conditions, ' AND ')} GROUP BY ${groupBy(byTime ? time : null)}`;
    });
    return this.countRows(session, parts);
  }

  /** Durations of the finished runs of a workflow created in the range, shortest first. */
  async finishedDurations(session: ReadSession, workflowId: string, range: TimeRange, archive: ArchiveScope | null = null): Promise<number[]> {
    const conditions = [Prisma.sql`"workflowId" = ${workflowId}`, Prisma.sql`"durationMs" IS NOT NULL`, ...createdConditions(range, this.deps.provider), ...(archive === null ? [] : [archive.visible])];
    const rows = await session.all(Prisma.sql`SELECT "durationMs" AS d FROM "Run" WHERE ${Prisma.join(conditions, ' AND ')} ORDER BY "durationMs"`);
    return rows.map((row) => Number(row.d));
  }

  private async countRows(session: ReadSession, parts: readonly Prisma.Sql[]): Promise<CountRow[]> {
    if (parts.length === 0) return [];
    const query = parts.length === 1 && parts[0] ? parts[0] : Prisma.join(parts.map((part, index) => Prisma.sql`SELECT * FROM (${part}) AS ${Prisma.raw(`part${index}`)}`), ' UNION ALL ');
    const rows = await session.all(query);
    return rows.map((row) => ({ time: row.t === null ? null : sqlDate(row.t).getTime(), status: runStatusOf(String(row.status), 'a count of runs'), count: Number(row.n) }));
  }
}

/** What a rollup row can be tested for: its workflow, project, status and trigger. */
function rollupConditions(selection: RunSelection): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (selection.workflowIds) conditions.push(inList('"workflowId"', selection.workflowIds));
  if (selection.projectIds) conditions.push(inList('"projectId"', selection.projectIds));
  if (selection.statuses) conditions.push(inList('status', selection.statuses));
  if (selection.triggers) conditions.push(inList('trigger', selection.triggers));
  if (conditions.length === 0) conditions.push(Prisma.sql`1 = 1`);
  return conditions;
}

// PostgreSQL refuses a constant (the NULL time of plain counts) in GROUP BY.
function groupBy(time: Prisma.Sql | null): Prisma.Sql {
  return time === null ? Prisma.sql`status` : Prisma.sql`${time}, status`;
}
