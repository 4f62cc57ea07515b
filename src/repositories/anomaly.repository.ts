import type { Db, Tx } from '../db/client.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { isAnomalyKind, openKeyOf, type AnomalyFinding, type AnomalyKind, type AnomalyRecord, type AnomalySelection } from '../domain/insight/anomaly.ts';
import type { Anomaly as AnomalyRow, Prisma } from '../generated/sqlite/client.ts';

const ANOMALY_COUNTER = 'anomaly';

export interface DismissedPeak {
  kind: AnomalyKind;
  step: string | null;
  score: number;
}

/** Stored anomalies: raised and ended by the detection job, dismissed by people, read by the API and its feed. */
export class AnomalyRepository {
  constructor(private readonly deps: { db: Db }) {}

  /** Stores a newly opened episode; null when the series already has one open (another leader raised it first). */
  async raise(id: string, projectId: string, finding: AnomalyFinding): Promise<AnomalyRecord | null> {
    try {
      return await this.deps.db.$transaction(async (tx) => {
        const row = await tx.anomaly.create({
          data: {
            id,
            seq: await nextSeq(tx),
            projectId,
            workflowId: finding.series.workflowId,
            step: finding.series.step,
            kind: finding.kind,
            openKey: openKeyOf(finding.series, finding.kind),
            start: new Date(finding.start),
            raisedAt: new Date(finding.raisedAt),
            score: finding.score,
            expected: finding.expected,
            observed: finding.observed,
            lower: finding.lower,
            upper: finding.upper,
          },
        });
        return recordOf(row);
      });
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /** Ends the open episode of the finding's series and kind; null when none is open. */
  async end(finding: AnomalyFinding & { end: number }): Promise<AnomalyRecord | null> {
    return this.deps.db.$transaction(async (tx) => {
      const openKey = openKeyOf(finding.series, finding.kind);
      const open = await tx.anomaly.findUnique({ where: { openKey } });
      if (open === null) return null;
      const row = await tx.anomaly.update({ where: { id: open.id }, data: { openKey: null, end: new Date(finding.end), score: Math.max(open.score, finding.score), seq: await nextSeq(tx) } });
      return recordOf(row);
    });
  }

  /** The open episodes of these workflows: what a new leader's detectors continue. */
  async openOf(workflowIds: readonly string[]): Promise<AnomalyRecord[]> {
    const rows = await this.deps.db.anomaly.findMany({ where: { workflowId: { in: [...workflowIds] }, openKey: { not: null } } });
    return rows.map(recordOf);
  }

  /** The open episodes of these projects' workflows that nobody dismissed: what ANOMALY alert rules look at on each tick. */
  async openIn(projectIds: readonly string[]): Promise<AnomalyRecord[]> {
    const rows = await this.deps.db.anomaly.findMany({ where: { projectId: { in: [...projectIds] }, openKey: { not: null }, dismissedAt: null } });
    return rows.map(recordOf);
  }

  /** Per series and kind of this workflow, the highest peak of the episodes people dismissed as expected. */
  async dismissedPeaks(workflowId: string): Promise<DismissedPeak[]> {
    const groups = await this.deps.db.anomaly.groupBy({ by: ['kind', 'step'], where: { workflowId, dismissedAt: { not: null } }, _max: { score: true } });
    return groups.flatMap((group) => {
      if (!isAnomalyKind(group.kind)) throw new Error(`Anomalies of workflow ${workflowId} have an unknown kind "${group.kind}"`);
      // A group always has rows, so its maximum is there.
      return group._max.score === null ? [] : [{ kind: group.kind, step: group.step, score: group._max.score }];
    });
  }

  async findById(id: string): Promise<AnomalyRecord | null> {
    const row = await this.deps.db.anomaly.findUnique({ where: { id } });
    return row === null ? null : recordOf(row);
  }

  /** Newest raised first, at most `limit`. */
  async list(selection: AnomalySelection, limit: number): Promise<AnomalyRecord[]> {
    const where: Prisma.AnomalyWhereInput = {
      projectId: { in: [...selection.projectIds] },
      ...(selection.workflowIds === null ? {} : { workflowId: { in: [...selection.workflowIds] } }),
      ...(selection.kinds === null ? {} : { kind: { in: [...selection.kinds] } }),
      ...(selection.open === null ? {} : { end: selection.open ? null : { not: null } }),
      ...(selection.includeDismissed ? {} : { dismissedAt: null }),
      ...(selection.from === null && selection.to === null ? {} : { raisedAt: { ...(selection.from ? { gte: selection.from } : {}), ...(selection.to ? { lt: selection.to } : {}) } }),
    };
    const rows = await this.deps.db.anomaly.findMany({ where, orderBy: [{ raisedAt: 'desc' }, { id: 'desc' }], take: limit });
    return rows.map(recordOf);
  }

  /** Marks it dismissed as expected (once: a second dismissal keeps the first); the anomaly as it is now. */
  async dismiss(id: string, actor: string, reason: string | null, at: Date): Promise<AnomalyRecord | null> {
    return this.deps.db.$transaction(async (tx) => {
      // Only where nobody dismissed it yet, so two people at once record the first; a seq that went unused leaves a gap the feed skips.
      await tx.anomaly.updateMany({ where: { id, dismissedAt: null }, data: { dismissedAt: at, dismissedBy: actor, dismissReason: reason, seq: await nextSeq(tx) } });
      const row = await tx.anomaly.findUnique({ where: { id } });
      return row === null ? null : recordOf(row);
    });
  }

  /** Anomalies changed after `afterSeq` in these projects, in seq order: at most `limit`. */
  async changedAfter(afterSeq: bigint, projectIds: readonly string[] | null, limit: number): Promise<AnomalyRecord[]> {
    const rows = await this.deps.db.anomaly.findMany({
      where: { seq: { gt: afterSeq }, ...(projectIds ? { projectId: { in: [...projectIds] } } : {}) },
      orderBy: { seq: 'asc' },
      take: limit,
    });
    return rows.map(recordOf);
  }

  /** The latest change's seq; 0 before the first. */
  async headSeq(): Promise<bigint> {
    return (await this.deps.db.eventCounter.findUnique({ where: { name: ANOMALY_COUNTER } }))?.value ?? 0n;
  }
}

/** The next seq of the anomaly feed, allocated in the transaction: changes become visible in seq order. */
async function nextSeq(tx: Tx): Promise<bigint> {
  const counter = await tx.eventCounter.upsert({ where: { name: ANOMALY_COUNTER }, create: { name: ANOMALY_COUNTER, value: 1n }, update: { value: { increment: 1n } } });
  return counter.value;
}

function recordOf(row: AnomalyRow): AnomalyRecord {
  if (!isAnomalyKind(row.kind)) throw new Error(`Anomaly ${row.id} has an unknown kind "${row.kind}"`);
  return {
    id: row.id,
    seq: row.seq,
    projectId: row.projectId,
    workflowId: row.workflowId,
    step: row.step,
    kind: row.kind,
    start: row.start,
    raisedAt: row.raisedAt,
    end: row.end,
    score: row.score,
    expected: row.expected,
    observed: row.observed,
    lower: row.lower,
    upper: row.upper,
    dismissedAt: row.dismissedAt,
    dismissedBy: row.dismissedBy,
    dismissReason: row.dismissReason,
  };
}
