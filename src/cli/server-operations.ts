import { TypedDocumentString } from '@runtrail/client';

// The few operations the CLI needs beyond the client's own methods, typed as codegen would type them.

export interface WorkflowNode {
  id: string;
  name: string;
  projectId: string;
}

export interface WorkflowsPageResult {
  workflows: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: WorkflowNode }[] };
}

export const WorkflowsPage = new TypedDocumentString<
  WorkflowsPageResult,
  { projectId?: string | null; first: number; after?: string | null }
>(`query CliWorkflows($projectId: ID, $first: Int!, $after: String) {
  workflows(projectId: $projectId, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id name projectId } }
  }
}`);

export interface LogChunk {
  content: string;
  offset: number;
  nextOffset: number;
  size: number;
  complete: boolean;
}

export const StepLogQuery = new TypedDocumentString<{ stepLog: LogChunk }, { runId: string; step: string; offset: number; limit: number }>(
  `query CliStepLog($runId: ID!, $step: String!, $offset: Int!, $limit: Int!) {
  stepLog(runId: $runId, step: $step, offset: $offset, limit: $limit) { content offset nextOffset size complete }
}`,
);

export const StepLogFeed = new TypedDocumentString<{ stepLog: LogChunk }, { runId: string; step: string; offset: number }>(
  `subscription CliStepLogFeed($runId: ID!, $step: String!, $offset: Int) {
  stepLog(runId: $runId, step: $step, offset: $offset) { content offset nextOffset size complete }
}`,
);
