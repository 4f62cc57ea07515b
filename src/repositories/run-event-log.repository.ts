import type { ReadSession } from '../db/history-reader.ts';
import { sqlDate } from '../db/sql-values.ts';
import type { LaterEvent } from '../domain/history/snapshot-statuses.ts';
import type { RunEventMessage } from '../domain/run-event-message.ts';
import { runStatusOf, type RunStatus } from '../domain/status.ts';
import { runTriggerOf } from '../domain/vocabulary.ts';
import { Prisma } from '../generated/sqlite/client.ts';
import { RUN_EVENT_COUNTER } from './run-event.repository.ts';

/** What the database can judge of a subscription filter itself: null means any. */
export interface EventNarrowing {
  statuses: readonly RunStatus[] | null;
  projectIds: readonly string[] | null;
}

const NO_NARROWING: EventNarrowing = { statuses: null, projectIds: null };

/** The head snapshot: the highest committed event seq (0 before the first event). */
export async function readHead(session: ReadSession): Promise<bigint> {
  const [row] = await session.all(Prisma.sql`SELECT value FROM "EventCounter" WHERE name = ${RUN_EVENT_COUNTER}`);
  return row ? BigInt(String(row.value)) : 0n;
}

/** Reads of the event log through a HistoryReader session: the head, what changed after a snapshot, replays of the feed. */
export class RunEventLogRepository {
  head(session: ReadSession): Promise<bigint> {
    return readHead(session);
  }

  /** When the first change after `seq` was made, or null when nothing changed since. */
  async firstChangeAfter(session: ReadSession, seq: bigint): Promise<Date | null> {
    const [row] = await session.all(Prisma.sql`SELECT at FROM "RunEvent" WHERE seq > ${seq} ORDER BY seq LIMIT 1`);
    return row ? sqlDate(row.at) : null;
  }

  async eventsAfter(session: ReadSession, seq: bigint): Promise<LaterEvent[]> {
    const rows = await session.all(Prisma.sql`SELECT "runId", kind, "from" FROM "RunEvent" WHERE seq > ${seq} ORDER BY seq`);
    return rows.map((row): LaterEvent => {
      const runId = String(row.runId);
      if (row.kind === 'STEP') return { runId, kind: 'STEP' };
      if (row.kind !== 'RUN') throw new Error(`Unknown event kind "${String(row.kind)}" in an event of run ${runId}`);
      return { runId, kind: 'RUN', from: row.from === null ? null : runStatusOf(String(row.from), `an event of run ${runId}`) };
    });
  }

  /**
   * Events with after < seq <= through (at most `limit`), as the bus carries them, in seq order;
   * with `only`, just the RUN events into one of its statuses and the events of its projects.
   * A status filter reads one range of the (kind, to, seq) index per status, merged by seq, so
   * it costs the events it returns, not the events it skips.
   */
  async eventMessagesAfter(session: ReadSession, after: bigint, through: bigint, limit: number, only: EventNarrowing = NO_NARROWING): Promise<RunEventMessage[]> {
    if (only.projectIds !== null && only.projectIds.length === 0) return [];
    const columns = Prisma.sql`e.seq, e."runId", e."stepRunId", e."projectId", e."workflowId", e.kind, e."from", e."to", e.at, e.message, e.actor, r.trigger, r."createdAt"`;
    const inProjects = (alias: string) => (only.projectIds === null ? Prisma.empty : Prisma.sql` AND ${Prisma.raw(alias)}"projectId" IN (${Prisma.join(only.projectIds)})`);
    const rows =
      only.statuses === null
        ? await session.all(Prisma.sql`
            SELECT ${columns} FROM "RunEvent" e JOIN "Run" r ON r.id = e."runId"
            WHERE e.seq > ${after} AND e.seq <= ${through}${inProjects('e.')} ORDER BY e.seq LIMIT ${limit}`)
        : await session.all(Prisma.sql`
            SELECT ${columns}
            FROM (${Prisma.join(
              only.statuses.map(
                (status) => Prisma.sql`SELECT * FROM (SELECT seq FROM "RunEvent" WHERE kind = 'RUN' AND "to" = ${status} AND seq > ${after} AND seq <= ${through}${inProjects('')} ORDER BY seq LIMIT ${limit}) AS of_status`,
              ),
              ' UNION ALL ',
            )}) AS picked JOIN "RunEvent" e ON e.seq = picked.seq JOIN "Run" r ON r.id = e."runId"
            ORDER BY e.seq LIMIT ${limit}`);
    return rows.map((row) => ({
      seq: String(row.seq),
      at: sqlDate(row.at).toISOString(),
      kind: row.kind === 'STEP' ? 'STEP' : 'RUN',
      runId: String(row.runId),
      stepRunId: row.stepRunId === null ? null : String(row.stepRunId),
      projectId: String(row.projectId),
      workflowId: String(row.workflowId),
      from: row.from === null ? null : String(row.from),
      to: String(row.to),
      message: row.message === null ? null : String(row.message),
      actor: row.actor === null ? null : String(row.actor),
      trigger: runTriggerOf(String(row.trigger), `run ${String(row.runId)}`),
      runCreatedAt: sqlDate(row.createdAt).toISOString(),
    }));
  }

  /** The lowest seq still in the event log (0 when it is empty). */
  async oldestSeq(session: ReadSession): Promise<bigint> {
    const [row] = await session.all(Prisma.sql`SELECT MIN(seq) AS seq FROM "RunEvent"`);
    return row && row.seq !== null ? BigInt(String(row.seq)) : 0n;
  }
}
