import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.ts';
import type { HistoryPartitionService } from '../services/history-partition.service.ts';

/**
 * The leader's partition duty on PostgreSQL: a round at once when it becomes the leader, then
 * one every `everyMs`, each adding the partitions of the next intervals before rows need them
 * and moving rows that landed in a DEFAULT partition out into partitions of their periods. One
 * round at a time.
 */
export class PartitionJob {
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: { partitions: HistoryPartitionService; clock: Clock; logger: Logger },
    private readonly settings: { everyMs: number },
  ) {}

  start(): void {
    if (this.timer) return;
    this.queueRound();
    this.timer = setInterval(() => this.queueRound(), this.settings.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.round;
  }

  private queueRound(): void {
    this.round = this.round.then(async () => {
      try {
        await this.deps.partitions.maintain(this.deps.clock.now());
      } catch (error) {
        // The next round tries again; rows meanwhile land in the DEFAULT partition, which the round after moves out.
        this.deps.logger.error({ err: error }, 'partitions.round_failed');
      }
    });
  }
}
