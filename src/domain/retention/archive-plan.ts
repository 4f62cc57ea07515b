import type { RunStatus } from '../status.ts';

/** A run archival would move: enough to move it and to count it. */
export interface ArchivableRun {
  id: string;
  projectId: string;
  workflowId: string;
  status: RunStatus;
  createdAt: Date;
}

/** How many runs of one project and status archival would move. */
export interface ArchiveCount {
  projectId: string;
  status: RunStatus;
  count: number;
}

/** What archival moves (or would move, in a dry run) at `cutoff`, per project and status. */
export interface ArchiveSummary {
  dryRun: boolean;
  /** The time every age is measured back from: a run moves when it is more than its policy's days older than this. */
  cutoff: Date;
  total: number;
  /** Projects with at least one run to move, by id; each with its finished statuses, zeros included. */
  projects: { projectId: string; total: number; byStatus: { status: RunStatus; count: number }[] }[];
}
