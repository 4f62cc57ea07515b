import type { RunStatus } from './status.ts';
import type { RunTrigger } from './vocabulary.ts';

/** The RunFilter of API.md as plain data, shared by history queries and subscriptions. */
export interface RunFilterSpec {
  projectIds?: readonly string[] | null;
  workflowIds?: readonly string[] | null;
  workflowNames?: readonly string[] | null;
  statuses?: readonly RunStatus[] | null;
  triggers?: readonly RunTrigger[] | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
  search?: string | null;
  includeArchived?: boolean | null;
}
