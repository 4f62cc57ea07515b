import type { RunSelection } from './history/run-selection.ts';
import { selectsRunEvent, type SelectableRunEvent } from './run-event-filter.ts';

const everything: RunSelection = { projectIds: null, workflowIds: null, statuses: null, triggers: null, createdFrom: null, createdTo: null, search: null, includeArchived: false };
const runEvent: SelectableRunEvent = { kind: 'RUN', runId: 'run_0abc', projectId: 'p1', workflowId: 'w1', to: 'FAILED', trigger: 'MANUAL', runCreatedAt: '2026-11-24T10:00:00.000Z' };
const stepEvent: SelectableRunEvent = { ...runEvent, kind: 'STEP' };

describe('selectsRunEvent', () => {
  it.each([
    ['no filter keeps everything', {}, runEvent, true],
    ['a matching project keeps the event', { projectIds: ['p1'] }, runEvent, true],
    ['another project drops the event', { projectIds: ['p2'] }, runEvent, false],
    ['another workflow drops the event', { workflowIds: ['w2'] }, runEvent, false],
    ['a run moving into a wanted status is kept', { statuses: ['FAILED', 'ABORTED'] as const }, runEvent, true],
    ['a run moving into another status is dropped', { statuses: ['SUCCEEDED'] as const }, runEvent, false],
    ['step events are dropped by a status filter', { statuses: ['FAILED'] as const }, stepEvent, false],
    ['step events are kept without one', {}, stepEvent, true],
    ['a run of another trigger is dropped', { triggers: ['SCHEDULER'] as const }, runEvent, false],
    ['a run created before createdAfter is dropped', { createdFrom: Date.parse('2026-11-24T11:00:00Z') }, runEvent, false],
    ['a run created inside the range is kept', { createdFrom: Date.parse('2026-11-24T09:00:00Z'), createdTo: Date.parse('2026-11-24T11:00:00Z') }, runEvent, true],
    ['a search by the run id prefix keeps it', { search: { workflowIds: [], runIdPrefix: { prefix: 'run_0a', createdFrom: 0, createdTo: Number.MAX_SAFE_INTEGER } } }, runEvent, true],
    ['a search naming other workflows drops it', { search: { workflowIds: ['w2'], runIdPrefix: null } }, runEvent, false],
  ])('%s', (_name, narrowing: Partial<RunSelection>, event, expected) => {
    expect(selectsRunEvent({ ...everything, ...narrowing }, event)).toBe(expected);
  });
});
