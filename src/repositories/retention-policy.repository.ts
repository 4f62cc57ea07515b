import type { Db } from '../db/client.ts';
import type { DefinitionRetention } from '../domain/retention/definition-retention.ts';
import type { RetentionOverride, RetentionScope } from '../domain/retention/retention-policy.ts';
import type { Prisma, RetentionPolicy as RetentionPolicyRow } from '../generated/sqlite/client.ts';

/** A workflow's place and what its definition sets of its retention. */
export interface WorkflowRetentionRecord {
  id: string;
  projectId: string;
  name: string;
  deleted: boolean;
  definition: DefinitionRetention;
}

const IDS_PER_STATEMENT = 500;
/** The instance's own row has no target. */
const INSTANCE_TARGET = '';

/** Retention policies set through the API, and what workflow definitions set of theirs. */
export class RetentionPolicyRepository {
  constructor(private readonly deps: { db: Db }) {}

  /** What the instance, or one project or workflow, sets; empty when it sets nothing. */
  async find(scope: RetentionScope, targetId: string | null): Promise<RetentionOverride> {
    const row = await this.deps.db.retentionPolicy.findUnique({ where: { scope_targetId: { scope, targetId: targetId ?? INSTANCE_TARGET } } });
    return row ? overrideOf(row) : {};
  }

  /** What each of these projects or workflows sets (those that set nothing are left out); every one of the scope when null. */
  async listOf(scope: 'PROJECT' | 'WORKFLOW', targetIds: readonly string[] | null): Promise<Map<string, RetentionOverride>> {
    const rows: RetentionPolicyRow[] = [];
    if (targetIds === null) {
      rows.push(...(await this.deps.db.retentionPolicy.findMany({ where: { scope } })));
    } else {
      for (let offset = 0; offset < targetIds.length; offset += IDS_PER_STATEMENT) {
        const chunk = targetIds.slice(offset, offset + IDS_PER_STATEMENT);
        rows.push(...(await this.deps.db.retentionPolicy.findMany({ where: { scope, targetId: { in: chunk } } })));
      }
    }
    return new Map(rows.map((row) => [row.targetId, overrideOf(row)]));
  }

  /** Replaces what the instance, a project or a workflow sets; setting nothing removes its row. */
  async save(scope: RetentionScope, targetId: string | null, override: RetentionOverride): Promise<void> {
    const key = { scope, targetId: targetId ?? INSTANCE_TARGET };
    if (Object.values(override).every((value) => value === undefined)) {
      await this.deps.db.retentionPolicy.deleteMany({ where: key });
      return;
    }
    const fields = {
      hotDays: override.hotDays ?? null,
      archiveDays: override.archiveDays ?? null,
      archiveForever: override.archiveDays === null,
      keepLastRuns: override.keepLastRuns ?? null,
      keepFailedForDays: override.keepFailedForDays ?? null,
    };
    await this.deps.db.retentionPolicy.upsert({ where: { scope_targetId: key }, create: { ...key, ...fields }, update: fields });
  }

  /** The workflows of one project, or of every project, deleted ones too (their history stays), with what their definitions set. */
  async workflowsOf(projectId: string | null): Promise<WorkflowRetentionRecord[]> {
    const rows = await this.deps.db.workflow.findMany({
      where: projectId === null ? {} : { projectId },
      select: WORKFLOW_RETENTION_COLUMNS,
      orderBy: [{ projectId: 'asc' }, { name: 'asc' }, { id: 'asc' }],
    });
    return rows.map(workflowRetentionOf);
  }

  async findWorkflow(id: string): Promise<WorkflowRetentionRecord | null> {
    const row = await this.deps.db.workflow.findUnique({ where: { id }, select: WORKFLOW_RETENTION_COLUMNS });
    return row ? workflowRetentionOf(row) : null;
  }
}

const WORKFLOW_RETENTION_COLUMNS = { id: true, projectId: true, name: true, deletedAt: true, retentionHotDays: true, retentionKeepLastRuns: true } satisfies Prisma.WorkflowSelect;

function workflowRetentionOf(row: Prisma.WorkflowGetPayload<{ select: typeof WORKFLOW_RETENTION_COLUMNS }>): WorkflowRetentionRecord {
  return {
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    deleted: row.deletedAt !== null,
    definition: {
      ...(row.retentionHotDays === null ? {} : { hotDays: row.retentionHotDays }),
      ...(row.retentionKeepLastRuns === null ? {} : { keepLastRuns: row.retentionKeepLastRuns }),
    },
  };
}

function overrideOf(row: RetentionPolicyRow): RetentionOverride {
  const override: RetentionOverride = {};
  if (row.hotDays !== null) override.hotDays = row.hotDays;
  if (row.archiveForever) override.archiveDays = null;
  else if (row.archiveDays !== null) override.archiveDays = row.archiveDays;
  if (row.keepLastRuns !== null) override.keepLastRuns = row.keepLastRuns;
  if (row.keepFailedForDays !== null) override.keepFailedForDays = row.keepFailedForDays;
  return override;
}
