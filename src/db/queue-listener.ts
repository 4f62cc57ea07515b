import pg from 'pg';
import type { Logger } from 'pino';

/** The PostgreSQL channel the history writer notifies, in the transaction that queues runs. */
export const RUNS_QUEUED_CHANNEL = 'runtrail_runs_queued';
/** The PostgreSQL channel notified when a person decided about a step waiting for approval (see ApprovalDecisionRepository). */
export const APPROVALS_DECIDED_CHANNEL = 'runtrail_approvals_decided';

// A listening connection that broke is opened again after this.
const RELISTEN_DELAY_MS = 1_000;

/** Wakes an executor when another process queued runs, or decided about a step waiting for approval. */
export interface QueueSignals {
  onQueued(listener: () => void): void;
  onApprovalDecided(listener: () => void): void;
  close(): Promise<void>;
}

/** SQLite: one process executes and queues its own runs (it dispatches directly); other processes are found by the executor's poll. */
export class NoQueueSignals implements QueueSignals {
  onQueued(): void {}

  onApprovalDecided(): void {}

  async close(): Promise<void> {}
}

/** PostgreSQL: a connection of its own LISTENs on the channels, and listens again after it broke. */
export class PostgresQueueSignals implements QueueSignals {
  private readonly listeners = new Map<string, (() => void)[]>([
    [RUNS_QUEUED_CHANNEL, []],
    [APPROVALS_DECIDED_CHANNEL, []],
  ]);
  private client: pg.Client | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
  ) {}

  onQueued(listener: () => void): void {
    this.add(RUNS_QUEUED_CHANNEL, listener);
  }

  onApprovalDecided(listener: () => void): void {
    this.add(APPROVALS_DECIDED_CHANNEL, listener);
  }

  private add(channel: string, listener: () => void): void {
    this.listeners.get(channel)?.push(listener);
    if (!this.client && !this.retry) void this.listen();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  private async listen(): Promise<void> {
    this.retry = null;
    const client = new pg.Client({ connectionString: this.url });
    this.client = client;
    client.on('notification', (message) => {
      for (const listener of this.listeners.get(message.channel) ?? []) listener();
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'db.queue_listener_lost');
      this.relisten(client);
    });
    try {
      await client.connect();
      for (const channel of this.listeners.keys()) await client.query(`LISTEN ${channel}`);
      // What was signalled while nobody listened is found now rather than at the next poll.
      for (const listeners of this.listeners.values()) for (const listener of listeners) listener();
    } catch (error) {
      this.logger.warn({ err: error }, 'db.queue_listener_failed');
      this.relisten(client);
    }
  }

  private relisten(client: pg.Client): void {
    if (this.closed || this.client !== client) return;
    this.client = null;
    void client.end().catch(() => undefined);
    this.retry = setTimeout(() => void this.listen(), RELISTEN_DELAY_MS);
    this.retry.unref();
  }
}
