import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.ts';
import { AppError } from '../domain/errors.ts';
import type { ExecutorRecord, ExecutorRepository } from '../repositories/executor.repository.ts';

export interface ExecutorPresenceSettings {
  id: string;
  labels: Readonly<Record<string, string>>;
  concurrency: number;
  leaseMs: number;
  /** SQLite: one process of the database executes; a second is refused. */
  onlyOne: boolean;
}

/**
 * The name an executor goes by when none is given: its host and DATA_DIR, so the same process
 * started again is the same executor (and settles what its earlier life left at once), while
 * two executors never share one by accident.
 */
export function defaultExecutorName(dataDir: string, host = os.hostname()): string {
  return `${host}-${createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 8)}`;
}

/** Whether a process of this host is alive (signal 0 checks without signalling). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

/** This process's row among the executors: registered at start, renewed with its claims, removed at a graceful stop. */
export class ExecutorPresence {
  private readonly host = os.hostname();

  constructor(
    private readonly deps: { executors: ExecutorRepository; clock: Clock; logger: Logger },
    private readonly settings: ExecutorPresenceSettings,
  ) {}

  /** Refuses (CONFLICT) an executor of the same name that is alive, and on SQLite any other live executor. */
  async register(): Promise<void> {
    const now = this.deps.clock.now();
    const others = (await this.deps.executors.listAlive(now)).filter((executor) => this.stillRunning(executor));
    const sameName = others.find((executor) => executor.id === this.settings.id);
    if (sameName) {
      throw new AppError(
        'CONFLICT',
        `An executor named "${this.settings.id}" already runs (pid ${sameName.pid} on ${sameName.host}); give this one another name with EXECUTOR_NAME (or --name)`,
      );
    }
    const other = others.find((executor) => executor.id !== this.settings.id);
    if (this.settings.onlyOne && other) {
      throw new AppError(
        'CONFLICT',
        `Another process (pid ${other.pid} on ${other.host}) executes runs on this SQLite database, and SQLite allows one. ` +
          'Start this one as `runtrail api` (ENGINE=off), or move to PostgreSQL (DATABASE_URL=postgres://…) to run several executors.',
      );
    }
    await this.deps.executors.save({
      id: this.settings.id,
      host: this.host,
      pid: process.pid,
      labels: { ...this.settings.labels },
      concurrency: this.settings.concurrency,
      startedAt: now,
      expiresAt: new Date(now.getTime() + this.settings.leaseMs),
    });
  }

  async renew(): Promise<void> {
    await this.deps.executors.renew(this.settings.id, new Date(this.deps.clock.now().getTime() + this.settings.leaseMs));
  }

  async leave(): Promise<void> {
    await this.deps.executors.remove(this.settings.id);
  }

  /** A row of this host names a pid we can ask about; one of another host is trusted until it expires. */
  private stillRunning(executor: ExecutorRecord): boolean {
    if (executor.host !== this.host) return true;
    return executor.pid !== process.pid && processAlive(executor.pid);
  }
}
