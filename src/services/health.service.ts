import type { HealthRepository } from '../repositories/health.repository.ts';

/** Ready, with what an operator should look at (left out when nothing); or not ready, and why. */
export type Readiness = { ready: true; warnings?: string[] } | { ready: false; reason: string; settled?: number; total?: number };

interface HealthDeps {
  health: HealthRepository;
  expectedMigrations: readonly string[];
  /** How far start-up recovery has come; null when it is over (or this process runs nothing). */
  recoveryProgress?: () => { settled: number; total: number } | null;
  /** Conditions that leave the process ready but need an operator (PostgreSQL: rows in a DEFAULT partition). */
  warnings?: () => Promise<string[]>;
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
    if (recovery) return { ready: false, reason: 'recovering', ...recovery };
    const warnings = (await this.deps.warnings?.()) ?? [];
    return warnings.length > 0 ? { ready: true, warnings } : { ready: true };
  }
}
