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
