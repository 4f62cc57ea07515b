import { assertCan, assertCanInProject, assertInstanceAdmin } from '../../auth/permissions.ts';
import type { Principal } from '../../auth/principal.ts';
import { AppError, notFound } from '../../domain/errors.ts';
import { readRetentionChange, type RetentionPolicyChange } from '../../domain/retention/retention-change.ts';
import {
  overriddenFields,
  resolveRetention,
  type RetentionOverride,
  type RetentionPolicy,
  type RetentionPolicyView,
  type RetentionSource,
} from '../../domain/retention/retention-policy.ts';
import type { ProjectRepository } from '../../repositories/project.repository.ts';
import type { RetentionPolicyRepository, WorkflowRetentionRecord } from '../../repositories/retention-policy.repository.ts';

/** The policy in force for one workflow's runs. */
export interface WorkflowPolicy {
  workflowId: string;
  projectId: string;
  policy: RetentionPolicy;
}

/** What one level sets, and from where. */
type Level = { source: RetentionSource; override: RetentionOverride };

/**
 * Retention policies: the instance's defaults (the RETENTION_* settings, then what an instance
 * admin set), each project's and each workflow's, with the workflow's definition (Dagu's
 * history keys) over all of them.
 */
export class RetentionPolicyService {
  constructor(
    private readonly deps: {
      retentionPolicies: RetentionPolicyRepository;
      projects: ProjectRepository;
      /** The RETENTION_* settings: what applies where nothing is set. */
      settings: RetentionPolicy;
    },
  ) {}

  /** The policy of a project the caller may read, and of each of its workflows that sets one of its own. */
  async ofProject(principal: Principal, projectId: string): Promise<RetentionPolicyView> {
    assertCanInProject(principal, 'read', projectId);
    if (!(await this.deps.projects.findById(projectId))) throw notFound('Project', projectId);
    return this.projectView(projectId);
  }

  /**
   * Replaces the policy of a workflow (ADMIN of its project), a project (its ADMIN) or the
   * instance's defaults (an instance admin), and answers the policy now in force there.
   */
  async set(principal: Principal, change: RetentionPolicyChange): Promise<RetentionPolicyView> {
    const read = readRetentionChange(change);
    if (!read.ok) throw new AppError('BAD_USER_INPUT', `The retention policy is invalid:\n${read.problems.join('\n')}`, { argument: 'input', problems: read.problems });
    const { target, override } = read;
    if (target.scope === 'WORKFLOW') {
      const workflow = await this.deps.retentionPolicies.findWorkflow(target.workflowId);
      if (!workflow || workflow.deleted) throw notFound('Workflow', target.workflowId);
      assertCan(principal, 'administer', workflow.projectId, { kind: 'Workflow', id: workflow.id });
      const fromDefinition = overriddenFields(workflow.definition);
      const clash = overriddenFields(override).filter((field) => fromDefinition.includes(field));
      if (clash.length > 0) {
        throw new AppError(
          'CONFLICT',
          `Workflow ${workflow.name} sets ${clash.join(' and ')} in its definition (Dagu's histRetentionDays and histRetentionRuns), which wins over a policy set here; change its definition, or leave ${clash.join(' and ')} out`,
          { id: workflow.id, fields: clash },
        );
      }
      await this.deps.retentionPolicies.save('WORKFLOW', workflow.id, override);
      const levels = await this.projectLevels(workflow.projectId);
      return this.workflowView(workflow, levels, override);
    }
    if (target.scope === 'PROJECT') {
      assertCanInProject(principal, 'administer', target.projectId);
      if (!(await this.deps.projects.findById(target.projectId))) throw notFound('Project', target.projectId);
      await this.deps.retentionPolicies.save('PROJECT', target.projectId, override);
      return this.projectView(target.projectId);
    }
    assertInstanceAdmin(principal, "set the instance's retention defaults");
    await this.deps.retentionPolicies.save('INSTANCE', null, override);
    const effective = resolveRetention(this.deps.settings, [await this.instanceLevel()]);
    return { ...effective.policy, sources: effective.sources, scope: 'INSTANCE', projectId: null, workflowId: null, workflowOverrides: [] };
  }

  /** The policy in force for each workflow of one project, or of every project (deleted workflows too: their runs remain). */
  async workflowPolicies(projectId: string | null): Promise<WorkflowPolicy[]> {
    const workflows = await this.deps.retentionPolicies.workflowsOf(projectId);
    const instance = await this.instanceLevel();
    const projects = await this.deps.retentionPolicies.listOf('PROJECT', projectId === null ? null : [projectId]);
    const overrides = await this.deps.retentionPolicies.listOf('WORKFLOW', projectId === null ? null : workflows.map((workflow) => workflow.id));
    return workflows.map((workflow) => {
      const levels: Level[] = [instance, { source: 'PROJECT', override: projects.get(workflow.projectId) ?? {} }];
      const { policy } = resolveRetention(this.deps.settings, [...levels, ...workflowLevels(workflow, overrides.get(workflow.id) ?? {})]);
      return { workflowId: workflow.id, projectId: workflow.projectId, policy };
    });
  }

  private async projectView(projectId: string): Promise<RetentionPolicyView> {
    const levels = await this.projectLevels(projectId);
    const effective = resolveRetention(this.deps.settings, levels);
    const workflows = (await this.deps.retentionPolicies.workflowsOf(projectId)).filter((workflow) => !workflow.deleted);
    const overrides = await this.deps.retentionPolicies.listOf('WORKFLOW', workflows.map((workflow) => workflow.id));
    const workflowOverrides = workflows
      .filter((workflow) => overriddenFields({ ...workflow.definition, ...overrides.get(workflow.id) }).length > 0)
      .map((workflow) => this.workflowView(workflow, levels, overrides.get(workflow.id) ?? {}));
    return { ...effective.policy, sources: effective.sources, scope: 'PROJECT', projectId, workflowId: null, workflowOverrides };
  }

  private workflowView(workflow: WorkflowRetentionRecord, projectLevels: readonly Level[], override: RetentionOverride): RetentionPolicyView {
    const effective = resolveRetention(this.deps.settings, [...projectLevels, ...workflowLevels(workflow, override)]);
    return { ...effective.policy, sources: effective.sources, scope: 'WORKFLOW', projectId: workflow.projectId, workflowId: workflow.id, workflowOverrides: [] };
  }

  private async projectLevels(projectId: string): Promise<Level[]> {
    return [await this.instanceLevel(), { source: 'PROJECT', override: await this.deps.retentionPolicies.find('PROJECT', projectId) }];
  }

  private async instanceLevel(): Promise<Level> {
    return { source: 'INSTANCE', override: await this.deps.retentionPolicies.find('INSTANCE', null) };
  }
}

/** A workflow's own levels: what was set for it through the API, then its definition, which wins. */
function workflowLevels(workflow: WorkflowRetentionRecord, override: RetentionOverride): Level[] {
  return [
    { source: 'WORKFLOW', override },
    { source: 'WORKFLOW_DEFINITION', override: workflow.definition },
  ];
}
