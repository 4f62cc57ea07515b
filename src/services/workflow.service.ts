import { createHash } from 'node:crypto';
import { assertCan, assertCanInProject } from '../auth/permissions.ts';
import type { Principal } from '../auth/principal.ts';
import { canReadProject } from '../auth/read-access.ts';
import type { Db } from '../db/client.ts';
import type { Clock } from '../domain/clock.ts';
import { AppError, notFound } from '../domain/errors.ts';
import { checkPageSize, decodeNameCursor, encodeNameCursor, type CursorKey } from '../domain/cursor.ts';
import { newId } from '../domain/ids.ts';
import type { Page } from '../domain/page.ts';
import { nextFireTimes } from '../domain/workflow/schedule.ts';
import { formatProblems, parseWorkflow } from '../domain/workflow/parse-workflow.ts';
import type { ParseResult, SpecProblem, WorkflowSpec } from '../domain/workflow/workflow-spec.ts';
import type { StoredWorkflow } from '../domain/records.ts';
import type { WorkflowRecord, WorkflowRepository } from '../repositories/workflow.repository.ts';
import type { WorkflowMailService } from './alerts/workflow-mail.service.ts';
import type { StoredSpecs } from './stored-specs.ts';

export interface SaveDefinitionInput {
  projectId: string;
  yaml: string;
  /** "api", "example", "file:<path>", or "local:<workflow>" for a sub-workflow defined in that workflow's file. */
  source: string;
  /** The name when the YAML has none (a file's base name). */
  defaultName?: string;
  /** When a new workflow and a new version count as saved; default now. A backdated history (the seeder) sets it. */
  savedAt?: Date;
  /** Whether a new or restored workflow fires on its schedule; default true. Seeded ones do not, so seeding never starts runs. */
  enabled?: boolean;
}

export type LoadResult = { ok: true; workflow: WorkflowRecord; versionId: string } | { ok: false; problems: SpecProblem[]; message: string };

export function scheduleText(spec: WorkflowSpec): string | null {
  const lines = spec.schedule.map((entry) => (entry.timezone ? `CRON_TZ=${entry.timezone} ${entry.expression}` : entry.expression));
  return lines.length > 0 ? lines.join('\n') : null;
}

export class WorkflowService {
  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      workflows: WorkflowRepository;
      specs: StoredSpecs;
      readableProjectIds: (principal: Principal) => Promise<string[]>;
      /** The key that authenticates the cursors of workflow lists. */
      cursorKey: () => Promise<CursorKey>;
      /** WORKFLOW_MAX_BYTES: a larger definition is refused before it is parsed. */
      maxBytes: number;
      /** The email rules and contact points a file's mailOn asks for. */
      mail: WorkflowMailService;
    },
  ) {}

  /** WORKFLOW_MAX_BYTES, for readers of workflow files: a file need not be read past it. */
  get maxBytes(): number {
    return this.deps.maxBytes;
  }

  /** Creates or replaces a workflow from YAML; invalid YAML is BAD_USER_INPUT listing every problem. */
  async save(principal: Principal, projectId: string, yaml: string): Promise<WorkflowRecord> {
    assertCanInProject(principal, 'administer', projectId);
    const parsed = this.parse(yaml);
    if (!parsed.ok) {
      throw new AppError('BAD_USER_INPUT', `The workflow is invalid:\n${formatProblems(parsed.problems)}`, { argument: 'yaml', problems: parsed.problems });
    }
    return (await this.store({ projectId, yaml, source: 'api' }, parsed.spec)).workflow;
  }

  /**
   * For workflow files and the shipped examples: a refused version is recorded as the
   * workflow's loadError and logged by the caller, while its last valid version stays in force.
   */
  async load(input: SaveDefinitionInput): Promise<LoadResult> {
    const parsed = this.parse(input.yaml, input.defaultName);
    if (parsed.ok) return { ok: true, ...(await this.store(input, parsed.spec)) };
    const message = formatProblems(parsed.problems, input.source.replace(/^file:/, ''));
    if (input.defaultName) {
      const existing = await this.deps.workflows.findByName(input.projectId, input.defaultName);
      if (existing) await this.deps.workflows.update(existing.id, { loadError: message });
    }
    return { ok: false, problems: parsed.problems, message };
  }

  /** A page of the live workflows of one readable project, or of all of them, by name. */
  async list(principal: Principal, projectId: string | null, first: number, after: string | null): Promise<Page<WorkflowRecord>> {
    const take = checkPageSize(first);
    if (projectId !== null) assertCanInProject(principal, 'read', projectId);
    const projectIds = projectId !== null ? [projectId] : await this.deps.readableProjectIds(principal);
    const key = await this.deps.cursorKey();
    const position = after === null ? null : decodeNameCursor(after, 'after', key);
    const rows = await this.deps.workflows.listPage(projectIds, position, take + 1);
    return { nodes: rows.slice(0, take), hasNextPage: rows.length > take, hasPreviousPage: false, cursorOf: (row) => encodeNameCursor(row, key) };
  }

  nextFireAt(workflow: StoredWorkflow): Date | null {
    if (!workflow.enabled || workflow.deletedAt || !workflow.schedule) return null;
    const spec = this.deps.specs.of(workflow, workflow.name);
    return spec ? (nextFireTimes(spec.schedule, this.deps.clock.now())[0] ?? null) : null;
  }

  async get(principal: Principal, id: string): Promise<WorkflowRecord | null> {
    const workflow = await this.deps.workflows.findById(id);
    return workflow && !workflow.deletedAt && canReadProject(principal, workflow.projectId) ? workflow : null;
  }

  /** Soft delete: the workflow disappears from lists and stops firing; its history stays. */
  async delete(principal: Principal, id: string): Promise<boolean> {
    const workflow = await this.administrable(principal, id);
    await this.deps.workflows.update(workflow.id, { deletedAt: this.deps.clock.now(), enabled: false });
    return true;
  }

  async setEnabled(principal: Principal, id: string, enabled: boolean): Promise<WorkflowRecord> {
    const workflow = await this.administrable(principal, id);
    return this.deps.workflows.update(workflow.id, { enabled });
  }

  private async administrable(principal: Principal, id: string): Promise<WorkflowRecord> {
    const workflow = await this.deps.workflows.findById(id);
    if (!workflow || workflow.deletedAt) throw notFound('Workflow', id);
    assertCan(principal, 'administer', workflow.projectId, { kind: 'Workflow', id });
    return workflow;
  }

  // Parsing costs time and memory in proportion to the text (and more for aliases): the size is checked first.
  private parse(yaml: string, defaultName?: string): ParseResult {
    if (Buffer.byteLength(yaml, 'utf8') <= this.deps.maxBytes) return parseWorkflow(yaml, { defaultName });
    const message = `the file is larger than ${this.deps.maxBytes} bytes, the most a workflow may have (WORKFLOW_MAX_BYTES); make it smaller or split it into several workflows`;
    return { ok: false, problems: [{ message, line: null, column: null, path: '' }] };
  }

  private async store(input: SaveDefinitionInput, spec: WorkflowSpec): Promise<{ workflow: WorkflowRecord; versionId: string }> {
    const hash = createHash('sha256').update(input.yaml).digest('hex');
    const fields = {
      definition: input.yaml,
      hash,
      description: spec.description,
      tags: spec.tags,
      schedule: scheduleText(spec),
      retentionHotDays: spec.retention.hotDays ?? null,
      retentionKeepLastRuns: spec.retention.keepLastRuns ?? null,
      source: input.source,
      loadError: null,
      deletedAt: null,
    };
    const stored = await this.deps.db.$transaction(async (tx) => {
      const existing = await this.deps.workflows.findByName(input.projectId, spec.name, tx);
      const enabled = input.enabled ?? true;
      const workflow = existing
        ? await this.deps.workflows.update(existing.id, existing.deletedAt ? { ...fields, enabled } : fields, tx)
        : await this.deps.workflows.create({ id: newId('wf', input.savedAt), projectId: input.projectId, name: spec.name, enabled, createdAt: input.savedAt, ...fields }, tx);
      const version = await this.deps.workflows.ensureVersion(tx, { id: newId('wf', input.savedAt), workflowId: workflow.id, hash, definition: input.yaml, createdAt: input.savedAt });
      return { workflow, versionId: version.id };
    });
    await this.deps.mail.sync(stored.workflow, spec.mail);
    for (const local of spec.localWorkflows) {
      const parsed = this.parse(local.definition);
      // Each was read as part of the file just accepted; a refusal now is a bug, not the user's to fix.
      if (!parsed.ok) throw new Error(`Local workflow ${local.name} of ${spec.name} does not parse on its own:\n${formatProblems(parsed.problems)}`);
      await this.store({ ...input, yaml: local.definition, source: `local:${spec.name}`, defaultName: undefined }, parsed.spec);
    }
    return stored;
  }
}
