import type { Db } from '../db/client.ts';
import type { SilenceRecord } from '../domain/alerts/silence.ts';
import type { Silence as SilenceRow } from '../generated/sqlite/client.ts';

/** Silences of projects. */
export class SilenceRepository {
  constructor(private readonly deps: { db: Db }) {}

  async create(silence: SilenceRecord): Promise<SilenceRecord> {
    const { matchers, ...rest } = silence;
    return recordOf(
      await this.deps.db.silence.create({
        data: { ...rest, ruleIds: JSON.stringify(matchers.ruleIds), workflowIds: JSON.stringify(matchers.workflowIds), workflowNames: JSON.stringify(matchers.workflowNames) },
      }),
    );
  }

  async findById(id: string): Promise<SilenceRecord | null> {
    const row = await this.deps.db.silence.findUnique({ where: { id } });
    return row ? recordOf(row) : null;
  }

  /** The project's silences that end after `after`, the soonest to end first. */
  async listOf(projectIds: readonly string[], after: Date): Promise<SilenceRecord[]> {
    const rows = await this.deps.db.silence.findMany({ where: { projectId: { in: [...projectIds] }, endsAt: { gt: after } }, orderBy: [{ endsAt: 'asc' }, { id: 'asc' }] });
    return rows.map(recordOf);
  }

  /** Ends the silence at `at` (when it had not ended yet). */
  async expire(id: string, at: Date): Promise<void> {
    await this.deps.db.silence.updateMany({ where: { id, endsAt: { gt: at } }, data: { endsAt: at } });
  }
}

function recordOf(row: SilenceRow): SilenceRecord {
  return {
    id: row.id,
    projectId: row.projectId,
    matchers: { ruleIds: idsOf(row.ruleIds, row.id), workflowIds: idsOf(row.workflowIds, row.id), workflowNames: idsOf(row.workflowNames, row.id) },
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    comment: row.comment,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
  };
}

function idsOf(text: string, silenceId: string): string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) throw new Error(`Silence ${silenceId} holds a matcher that is not a list of strings: ${text}`);
  return value;
}
