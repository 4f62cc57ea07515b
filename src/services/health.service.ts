import type { HealthRepository } from '../repositories/health.repository.ts';

export type Readiness = { ready: true } | { ready: false; reason: string; settled?: number; total?: number };

interface HealthDeps {
  health: HealthRepository;
  expectedMigrations: readonly string[];
  /** How far start-up recovery has come; null when it is over (or this process runs nothing). */
  recoveryProgress?: () => { settled: number; total: number } | null;
}

export class HealthService {
  constructor(private readonly deps: HealthDeps) {}

  /** Ready when the database answers, every migration this build ships is applied, and recovery has ended. */
  async readiness(): Promise<Readiness> {
    try {
      await this.deps.health.ping();
    } catch (error) {
      return { ready: false, reason: `database unreachable: ${(error as Error).message}` };
    }
    const applied = new Set(await this.deps.health.appliedMigrations());
    const pending = this.deps.expectedMigrations.filter((name) => !applied.has(name));
    if (pending.length > 0) return { ready: false, reason: `migrations not applied: ${pending.join(', ')}` };
    const recovery = this.deps.recoveryProgress?.() ?? null;
    return recovery ? { ready: false, reason: 'recovering', ...recovery } : { ready: true };
  }
}
