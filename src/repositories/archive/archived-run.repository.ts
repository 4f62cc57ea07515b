import type { ReadSession } from '../../db/history-reader.ts';
import { column, type SqlRow } from '../../db/sql-values.ts';
import { Prisma } from '../../generated/sqlite/client.ts';
import { stepRowOf } from '../raw-rows.ts';
import type { RunEventRecord } from '../run-event.repository.ts';
import { stepRunRecordOf, type StepRunRecord } from '../step-run.repository.ts';

const IDS_PER_STATEMENT = 500;

/**
 * The steps and events of archived runs, read in a session of their archive. Callers ask only
 * about runs they found archived there (of a committed batch), whose rows never change.
 */
export class ArchivedRunRepository {
  async stepsOfRuns(session: ReadSession, runIds: readonly string[]): Promise<StepRunRecord[]> {
    return (await this.byRunIds(session, runIds, (ids) => Prisma.sql`SELECT * FROM "StepRun" WHERE "runId" IN (${ids}) ORDER BY "runId", position, id`)).map((row) =>
      stepRunRecordOf(stepRowOf(row)),
    );
  }

  async eventsOfRuns(session: ReadSession, runIds: readonly string[]): Promise<RunEventRecord[]> {
    const rows = await this.byRunIds(session, runIds, (ids) => Prisma.sql`SELECT * FROM "RunEvent" WHERE "runId" IN (${ids}) ORDER BY seq`);
    return rows.map(eventOf).sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
  }

  async stepsByIds(session: ReadSession, ids: readonly string[]): Promise<StepRunRecord[]> {
    return (await this.byRunIds(session, ids, (chunk) => Prisma.sql`SELECT * FROM "StepRun" WHERE id IN (${chunk})`)).map((row) => stepRunRecordOf(stepRowOf(row)));
  }

  private async byRunIds(session: ReadSession, ids: readonly string[], query: (ids: Prisma.Sql) => Prisma.Sql): Promise<SqlRow[]> {
    const rows: SqlRow[] = [];
    for (let offset = 0; offset < ids.length; offset += IDS_PER_STATEMENT) {
      rows.push(...(await session.all(query(Prisma.join(ids.slice(offset, offset + IDS_PER_STATEMENT))))));
    }
    return rows;
  }
}

function eventOf(row: SqlRow): RunEventRecord {
  return {
    seq: column.bigint(row, 'seq'),
    runId: column.text(row, 'runId'),
    stepRunId: column.optionalText(row, 'stepRunId'),
    projectId: column.text(row, 'projectId'),
    workflowId: column.text(row, 'workflowId'),
    kind: column.text(row, 'kind'),
    from: column.optionalText(row, 'from'),
    to: column.text(row, 'to'),
    at: column.date(row, 'at'),
    message: column.optionalText(row, 'message'),
    actor: column.optionalText(row, 'actor'),
  };
}
