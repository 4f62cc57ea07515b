import type { ReadSession } from '../db/history-reader.ts';
import type { DbProvider } from '../db/provider.ts';
import { sqlDate, type SqlRow } from '../db/sql-values.ts';
import { AppError } from '../domain/errors.ts';
import { AGGREGATE_ERRORS_MAX, AGGREGATE_GROUPS_MAX, tooManyGroups, type AggregateDimension, type AggregateQuery, type AggregateRow } from '../domain/insight/runs-aggregate.ts';
import { runStatusOf } from '../domain/status.ts';
import { runTriggerOf } from '../domain/vocabulary.ts';
import { Prisma } from '../generated/sqlite/client.ts';
import type { ArchiveScope } from './run-page.repository.ts';
import { createdConditions, inList, rangeConditions, truncatedTime } from './run-selection.sql.ts';

const COLUMNS: Readonly<Record<Exclude<AggregateDimension, 'ERROR'>, string>> = { PROJECT: '"projectId"', WORKFLOW: '"workflowId"', STATUS: 'status', TRIGGER: 'trigger' };
// A WEEK bucket folds up to 7 daily rows into one group.
const ROLLUP_ROWS_MAX = 7 * AGGREGATE_GROUPS_MAX;

/** Grouped counts of runs for runsAggregate: from the rollups, or from the runs when grouped by their error. */
export class RunsAggregateRepository {
  constructor(private readonly deps: { provider: DbProvider }) {}

  /** Counts from the hourly or daily rollup (every run, archived ones included: rollups are never archived). */
  async rollupRows(session: ReadSession, query: AggregateQuery): Promise<AggregateRow[]> {
    const [table, column] = query.grain === 'DAY' ? ['"StatusDayBucket"', 'day'] : ['"StatusBucket"', 'hour'];
    const time = query.bucket === null ? null : Prisma.raw(column);
    const conditions = [...this.filterConditions(query), ...rangeConditions(column, { from: query.from, to: query.to })];
    const rows = await session.all(this.grouped(table, 'SUM(count)', conditions, query, time, null, ROLLUP_ROWS_MAX + 1));
    if (rows.length > ROLLUP_ROWS_MAX) throw tooManyGroups();
    return rows.map((row) => rowOf(row, null));
  }

  /** Counts read from the runs (of the live store, or of an archive under `scope`), grouped by their error as written too. */
  async runRows(session: ReadSession, query: AggregateQuery, scope: ArchiveScope | null): Promise<AggregateRow[]> {
    const time = query.bucket === null ? null : truncatedTime('"createdAt"', query.grain, this.deps.provider);
    const conditions = [...this.filterConditions(query), ...createdConditions({ from: query.from, to: query.to }, this.deps.provider), ...(scope === null ? [] : [scope.visible])];
    const rows = await session.all(this.grouped('"Run"', 'COUNT(*)', conditions, query, time, Prisma.raw('error'), AGGREGATE_ERRORS_MAX + 1));
    if (rows.length > AGGREGATE_ERRORS_MAX) {
      throw new AppError('BAD_USER_INPUT', `More than ${AGGREGATE_ERRORS_MAX} distinct errors in the range: narrow the range or the filter to group by ERROR`);
    }
    return rows.map((row) => rowOf(row, row.error === null || row.error === undefined ? null : String(row.error)));
  }

  private filterConditions(query: AggregateQuery): Prisma.Sql[] {
    const conditions = [inList('"projectId"', query.projectIds)];
    if (query.workflowIds) conditions.push(inList('"workflowId"', query.workflowIds));
    if (query.statuses) conditions.push(inList('status', query.statuses));
    if (query.triggers) conditions.push(inList('trigger', query.triggers));
    return conditions;
  }

  /** SELECT the grouped dimensions (NULL for the others, so every row has the same columns), the time, the error and the count. */
  private grouped(table: string, count: string, conditions: readonly Prisma.Sql[], query: AggregateQuery, time: Prisma.Sql | null, error: Prisma.Sql | null, limit: number): Prisma.Sql {
    const keys: Prisma.Sql[] = [];
    const select = (['PROJECT', 'WORKFLOW', 'STATUS', 'TRIGGER'] as const).map((dimension) => {
      const column = Prisma.raw(COLUMNS[dimension]);
      if (!query.groupBy.includes(dimension)) return Prisma.sql`NULL AS ${Prisma.raw(`"${dimension.toLowerCase()}"`)}`;
      keys.push(column);
      return Prisma.sql`${column} AS ${Prisma.raw(`"${dimension.toLowerCase()}"`)}`;
    });
    if (time !== null) keys.push(time);
    if (error !== null) keys.push(error);
    const columns = [...select, Prisma.sql`${time ?? Prisma.raw('NULL')} AS t`, Prisma.sql`${error ?? Prisma.raw('NULL')} AS error`, Prisma.sql`${Prisma.raw(count)} AS n`];
    const groupBy = keys.length === 0 ? Prisma.empty : Prisma.sql` GROUP BY ${Prisma.join(keys)}`;
    return Prisma.sql`SELECT ${Prisma.join(columns)} FROM ${Prisma.raw(table)} WHERE ${Prisma.join(conditions, ' AND ')}${groupBy} LIMIT ${limit}`;
  }
}

function rowOf(row: SqlRow, error: string | null): AggregateRow {
  return {
    projectId: row.project === null ? null : String(row.project),
    workflowId: row.workflow === null ? null : String(row.workflow),
    status: row.status === null ? null : runStatusOf(String(row.status), 'an aggregate of runs'),
    trigger: row.trigger === null ? null : runTriggerOf(String(row.trigger), 'an aggregate of runs'),
    error,
    time: row.t === null ? null : sqlDate(row.t).getTime(),
    count: Number(row.n ?? 0),
  };
}
