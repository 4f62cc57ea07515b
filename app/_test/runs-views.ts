import type { RunsView } from '../_lib/run-filters.ts';

/** A runs view with every filter set, a custom range and a cursor. */
export const FULL_VIEW: RunsView = {
  statuses: ['RUNNING', 'FAILED'],
  triggers: ['SCHEDULER', 'API'],
  range: 'custom',
  from: '2025-03-01T00:00:00.000Z',
  to: '2025-03-02T00:00:00.000Z',
  projectId: 'prj_1',
  workflowId: 'wf_2',
  search: 'nightly',
  after: 'cursor-a',
  before: null,
};
