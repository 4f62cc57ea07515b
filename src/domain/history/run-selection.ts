import type { RunStatus } from '../status.ts';
import type { RunTrigger } from '../vocabulary.ts';

/** The beginning of a run id, with the createdAt range that every run id starting so lies in. */
export interface RunIdPrefix {
  prefix: string;
  createdFrom: number;
  createdTo: number;
}

/**
 * A RunFilter resolved against the caller's scope: names turned into ids, the search split
 * into the workflows it names and a run-id prefix, lists sorted. `null` means "any".
 * A run is selected when every non-null field holds for it.
 */
export interface RunSelection {
  projectIds: readonly string[] | null;
  workflowIds: readonly string[] | null;
  statuses: readonly RunStatus[] | null;
  triggers: readonly RunTrigger[] | null;
  /** Inclusive, unix ms. */
  createdFrom: number | null;
  /** Exclusive, unix ms. */
  createdTo: number | null;
  /** Runs of these workflows, or runs whose id starts with the prefix. */
  search: { workflowIds: readonly string[]; runIdPrefix: RunIdPrefix | null } | null;
  /** Pages hold archived runs too, and their counts count them; otherwise both leave them out. */
  includeArchived: boolean;
}

/** The fields of a run a selection looks at. */
export interface SelectableRun {
  id: string;
  projectId: string;
  workflowId: string;
  trigger: string;
  createdAt: Date;
}

/** Everything but the status: the status a run is judged by depends on the snapshot. */
export function selectsRunApartFromStatus(selection: RunSelection, run: SelectableRun): boolean {
  if (selection.projectIds && !selection.projectIds.includes(run.projectId)) return false;
  if (selection.workflowIds && !selection.workflowIds.includes(run.workflowId)) return false;
  if (selection.triggers && !(selection.triggers as readonly string[]).includes(run.trigger)) return false;
  if (selection.createdFrom !== null && run.createdAt.getTime() < selection.createdFrom) return false;
  if (selection.createdTo !== null && run.createdAt.getTime() >= selection.createdTo) return false;
  if (selection.search) {
    const { workflowIds, runIdPrefix } = selection.search;
    return workflowIds.includes(run.workflowId) || (runIdPrefix !== null && run.id.startsWith(runIdPrefix.prefix));
  }
  return true;
}

export function selectsStatus(selection: RunSelection, status: RunStatus): boolean {
  return selection.statuses === null || selection.statuses.includes(status);
}

/** A stable text of the selection: the key of cached answers and the filter a cursor belongs to. */
export function selectionKey(selection: RunSelection): string {
  return JSON.stringify(selection);
}

/** The createdAt range both the filter and a run-id prefix allow; empty when from >= to. */
export function createdRange(selection: RunSelection, prefix: RunIdPrefix | null = null): { from: number | null; to: number | null } {
  const from = maxOf(selection.createdFrom, prefix?.createdFrom ?? null);
  const to = minOf(selection.createdTo, prefix?.createdTo ?? null);
  return { from, to };
}

function maxOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  return b === null ? a : Math.max(a, b);
}

function minOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  return b === null ? a : Math.min(a, b);
}
