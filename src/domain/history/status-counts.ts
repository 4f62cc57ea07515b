import type { RunStatus } from '../status.ts';

/** How many runs of a selection have one status. */
export interface StatusCountData {
  status: RunStatus;
  count: number;
}

/** The runs of a selection by status as of one snapshot: the counts beside a page of runs. */
export interface StatusCountsData {
  total: number;
  byStatus: StatusCountData[];
  snapshot: string;
}

/**
 * Which runs a count counts: every run (the rollups are never archived, so counts and trends
 * stay the same across archival), the live ones (a page without includeArchived shows no
 * other), or the archived ones.
 */
export type CountScope = 'ALL' | 'LIVE' | 'ARCHIVED';
