import type { Db } from '../db/client.ts';
import type { DbProvider } from '../db/provider.ts';
import { column, type SqlRow } from '../db/sql-values.ts';
import { APPROVALS_DECIDED_CHANNEL } from '../db/queue-listener.ts';
import type { ApprovalDecision } from '../domain/execution/run-dispatcher.ts';
import { Prisma } from '../generated/sqlite/client.ts';

/** A decision stored for a step waiting for approval, with the step it is about. */
export interface StoredApprovalDecision {
  runId: string;
  step: string;
  decision: ApprovalDecision;
  decidedAt: Date;
}

/** The first decision about a step, kept; `recorded` false when another was there first (`existing`). */
export type DecisionOutcome = { recorded: true } | { recorded: false; existing: StoredApprovalDecision };

const KINDS = { approve: 'APPROVE', reject: 'REJECT' } as const;

/** Decisions about steps waiting for approval, kept until their run goes (cascade with the step). */
export class ApprovalDecisionRepository {
  constructor(private readonly deps: { db: Db; provider: DbProvider }) {}

  /**
   * Stores the decision unless the step has one already; on PostgreSQL, the executors listening
   * are told at once (the one holding the run applies it without waiting for its next look).
   */
  async record(stepRunId: string, decision: ApprovalDecision, decidedAt: Date): Promise<DecisionOutcome> {
    const reason = decision.kind === 'reject' ? decision.reason : null;
    const inserted = await this.deps.db.$executeRaw(Prisma.sql`
      INSERT INTO "ApprovalDecision" ("stepRunId", decision, actor, reason, "decidedAt")
      VALUES (${stepRunId}, ${KINDS[decision.kind]}, ${decision.actor}, ${reason}, ${decidedAt})
      ON CONFLICT ("stepRunId") DO NOTHING`);
    if (inserted > 0) {
      if (this.deps.provider === 'postgresql') await this.deps.db.$executeRaw(Prisma.sql`SELECT pg_notify(${APPROVALS_DECIDED_CHANNEL}, '')`);
      return { recorded: true };
    }
    const row = await this.deps.db.approvalDecision.findUnique({ where: { stepRunId }, include: { stepRun: { select: { runId: true, name: true } } } });
    if (!row) throw new Error(`The decision about step run ${stepRunId} was neither recorded nor found`);
    return { recorded: false, existing: decisionOf(row) };
  }

  /**
   * The decisions about steps still WAITING of the WAITING runs this executor holds: what it has
   * yet to apply. One query along the claim's owner, however many runs it holds.
   */
  async listPendingOnClaimsOf(executorId: string): Promise<StoredApprovalDecision[]> {
    const rows = await this.deps.db.$queryRaw<SqlRow[]>(Prisma.sql`
      SELECT d.decision, d.actor, d.reason, d."decidedAt", s."runId", s.name
      FROM "Run" r
      JOIN "StepRun" s ON s."runId" = r.id AND s.status = 'WAITING'
      JOIN "ApprovalDecision" d ON d."stepRunId" = s.id
      WHERE r."leaseOwner" = ${executorId} AND r.status = 'WAITING'`);
    return rows.map((row) =>
      decisionOf({
        decision: column.text(row, 'decision'),
        actor: column.optionalText(row, 'actor'),
        reason: column.optionalText(row, 'reason'),
        decidedAt: column.date(row, 'decidedAt'),
        stepRun: { runId: column.text(row, 'runId'), name: column.text(row, 'name') },
      }),
    );
  }
}

function decisionOf(row: {
  decision: string;
  actor: string | null;
  reason: string | null;
  decidedAt: Date;
  stepRun: { runId: string; name: string };
}): StoredApprovalDecision {
  const where = { runId: row.stepRun.runId, step: row.stepRun.name, decidedAt: row.decidedAt };
  if (row.decision === KINDS.approve) return { ...where, decision: { kind: 'approve', actor: row.actor } };
  if (row.decision === KINDS.reject) return { ...where, decision: { kind: 'reject', actor: row.actor, reason: row.reason } };
  throw new Error(`Unknown approval decision "${row.decision}" about step ${row.stepRun.name} of run ${row.stepRun.runId}`);
}
