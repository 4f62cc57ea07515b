import type { HealthRepository } from '../repositories/health.repository.ts';

export type Readiness = { ready: true } | { ready: false; reason: string };

export class HealthService {
  constructor(private readonly deps: { health: HealthRepository; expectedMigrations: readonly string[] }) {}

  /** Ready when the database answers and every migration this build ships is applied. */
  async readiness(): Promise<Readiness> {
    try {
      await this.deps.health.ping();
    } catch (error) {
      return { ready: false, reason: `database unreachable: ${(error as Error).message}` };
    }
    const applied = new Set(await this.deps.health.appliedMigrations());
    const pending = this.deps.expectedMigrations.filter((name) => !applied.has(name));
    return pending.length === 0 ? { ready: true } : { ready: false, reason: `migrations not applied: ${pending.join(', ')}` };
  }
}
