import type { Db } from '../db/client.ts';
import type { DbProvider } from '../db/provider.ts';
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

  /** The decisions about steps of these runs that still wait for approval: what their holder has yet to apply. */
  async listPending(runIds: readonly string[]): Promise<StoredApprovalDecision[]> {
    if (runIds.length === 0) return [];
    const rows = await this.deps.db.approvalDecision.findMany({
      where: { stepRun: { runId: { in: [...runIds] }, status: 'WAITING' } },
      include: { stepRun: { select: { runId: true, name: true } } },
    });
    return rows.map(decisionOf);
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
