import { AppError } from '../errors.ts';
import { runIdTimeRange } from '../ids.ts';
import type { RunFilterSpec } from '../run-filter.ts';
import { RUN_STATUSES } from '../status.ts';
import { RUN_TRIGGERS } from '../vocabulary.ts';
import type { RunSelection } from './run-selection.ts';

/** A workflow as a filter names it (deleted ones too: their history stays). */
export interface WorkflowName {
  id: string;
  projectId: string;
  name: string;
}

const MAX_SEARCH_LENGTH = 200;

/** The filter's createdAt bounds in unix ms; refused when they enclose nothing. */
export function createdBounds(spec: RunFilterSpec): { createdFrom: number | null; createdTo: number | null } {
  const createdFrom = spec.createdAfter?.getTime() ?? null;
  const createdTo = spec.createdBefore?.getTime() ?? null;
  if (createdFrom !== null && createdTo !== null && createdFrom >= createdTo) {
    throw new AppError('BAD_USER_INPUT', `filter.createdAfter (${spec.createdAfter?.toISOString()}) must be before filter.createdBefore (${spec.createdBefore?.toISOString()})`, {
      argument: 'filter.createdAfter',
    });
  }
  return { createdFrom, createdTo };
}

/** Whether resolving the filter needs the workflows the caller may read. */
export function namesWorkflows(spec: RunFilterSpec): boolean {
  return (spec.workflowIds ?? []).length > 0 || (spec.workflowNames ?? []).length > 0 || (spec.search?.trim() ?? '') !== '';
}

/** What a filter is resolved against: its checked createdBounds, the projects it covers (null: every project) and the caller's workflows. */
export interface SelectionScope {
  created: { createdFrom: number | null; createdTo: number | null };
  projectIds: readonly string[] | null;
  /** Every workflow the caller may read; needed only when namesWorkflows(spec). */
  readableWorkflows: readonly WorkflowName[];
}

/**
 * The filter resolved into a RunSelection. Workflow ids and names are checked against every
 * readable workflow; the projects then narrow them.
 */
export function resolveRunSelection(spec: RunFilterSpec, scope: SelectionScope): RunSelection {
  const { projectIds, readableWorkflows } = scope;
  const { createdFrom, createdTo } = scope.created;
  const requestedWorkflowIds = unique(spec.workflowIds ?? []);
  const names = unique(spec.workflowNames ?? []);
  const searchText = spec.search?.trim() ?? '';
  if (searchText.length > MAX_SEARCH_LENGTH) {
    throw new AppError('BAD_USER_INPUT', `filter.search is ${searchText.length} characters long; at most ${MAX_SEARCH_LENGTH}`, { argument: 'filter.search' });
  }
  let workflowIds: string[] | null = null;
  let search: RunSelection['search'] = null;
  if (requestedWorkflowIds.length > 0 || names.length > 0 || searchText !== '') {
    const known = new Set(readableWorkflows.map((workflow) => workflow.id));
    const unknown = requestedWorkflowIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new AppError('BAD_USER_INPUT', `filter.workflowIds: no workflow ${unknown.join(', ')} in the projects you can read`, { argument: 'filter.workflowIds' });
    const missingNames = names.filter((name) => !readableWorkflows.some((workflow) => workflow.name === name));
    if (missingNames.length > 0) {
      throw new AppError('BAD_USER_INPUT', `filter.workflowNames: no workflow named ${missingNames.map((name) => `"${name}"`).join(', ')} in the projects you can read`, {
        argument: 'filter.workflowNames',
      });
    }
    let candidates = projectIds === null ? readableWorkflows : readableWorkflows.filter((workflow) => projectIds.includes(workflow.projectId));
    if (requestedWorkflowIds.length > 0) candidates = candidates.filter((workflow) => requestedWorkflowIds.includes(workflow.id));
    if (names.length > 0) candidates = candidates.filter((workflow) => names.includes(workflow.name));
    if (requestedWorkflowIds.length > 0 || names.length > 0) workflowIds = unique(candidates.map((workflow) => workflow.id));
    if (searchText !== '') {
      const needle = searchText.toLowerCase();
      const idRange = runIdTimeRange(needle);
      search = {
        workflowIds: candidates.filter((workflow) => workflow.name.toLowerCase().includes(needle)).map((workflow) => workflow.id).sort(),
        runIdPrefix: idRange ? { prefix: needle, createdFrom: idRange.from, createdTo: idRange.to } : null,
      };
    }
  }
  return {
    projectIds,
    workflowIds,
    statuses: inOrder(spec.statuses ?? [], RUN_STATUSES),
    triggers: inOrder(spec.triggers ?? [], RUN_TRIGGERS),
    createdFrom,
    createdTo,
    search,
    includeArchived: spec.includeArchived === true,
  };
}

export function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** Null for "any": an empty list in a filter does not narrow it. */
function inOrder<T extends string>(values: readonly T[], order: readonly T[]): T[] | null {
  return values.length === 0 ? null : order.filter((value) => values.includes(value));
}
