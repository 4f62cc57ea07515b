import type { ReadSession } from '../../db/history-reader.ts';
import type { Clock } from '../../domain/clock.ts';
import { parseSeqText } from '../../domain/cursor.ts';
import { AppError } from '../../domain/errors.ts';
import type { RunEventLogRepository } from '../../repositories/run-event-log.repository.ts';
import type { ArchiveReadsService } from '../archive/archive-reads.service.ts';

export interface HistorySettings {
  /** A snapshot whose first later change is older than this is refused (SNAPSHOT_EXPIRED). */
  snapshotHorizonMs: number;
}

/** A snapshot argument as the seq it names. */
export function parseSnapshot(text: string): bigint {
  return parseSeqText(text, 'snapshot', 'a snapshot from an earlier answer');
}

/** Which snapshots a history answer may be given at: none ahead of the head, none past the horizon. */
export class SnapshotGuard {
  constructor(private readonly deps: { eventLog: RunEventLogRepository; archives: ArchiveReadsService; clock: Clock; settings: HistorySettings }) {}

  /** The head when no snapshot is asked for; otherwise the snapshot, if it is not in the future nor past the horizon. */
  async checked(session: ReadSession, requested: bigint | null, argument = 'snapshot'): Promise<bigint> {
    const head = await this.deps.eventLog.head(session);
    if (requested === null) return head;
    await this.checkAgainst(session, requested, head, argument);
    return requested;
  }

  /**
   * Refuses a snapshot ahead of the head, superseded longer ago than the horizon, or older than
   * an event that was archived: answers judge runs changed after a snapshot by the live store's
   * events, so every archived run must have been as it is now at the snapshot.
   */
  async checkAgainst(session: ReadSession, requested: bigint, head: bigint, argument: string): Promise<void> {
    if (requested === head) return;
    if (requested > head) throw new AppError('BAD_USER_INPUT', `snapshot ${requested} is ahead of the newest change (${head})`, { argument });
    const archived = (await this.deps.archives.view(session)).horizon;
    if (requested < archived) {
      throw new AppError(
        'SNAPSHOT_EXPIRED',
        `snapshot ${requested} is older than history moved to the archive since (events up to seq ${archived}); query again without a snapshot or cursor`,
        { argument, snapshot: requested.toString(), head: head.toString() },
      );
    }
    const firstChange = await this.deps.eventLog.firstChangeAfter(session, requested);
    const horizonMs = this.deps.settings.snapshotHorizonMs;
    if (firstChange && firstChange.getTime() < this.deps.clock.now().getTime() - horizonMs) {
      throw new AppError(
        'SNAPSHOT_EXPIRED',
        `snapshot ${requested} was superseded at ${firstChange.toISOString()}, longer ago than the snapshot horizon (${Math.round(horizonMs / 1000)} s); query again without a snapshot or cursor`,
        { argument, snapshot: requested.toString(), head: head.toString() },
      );
    }
  }
}
