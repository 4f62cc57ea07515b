import { matchesRunEvent, type FilterableRunEvent } from './run-event-filter.ts';

const runEvent: FilterableRunEvent = { kind: 'RUN', projectId: 'p1', workflowId: 'w1', to: 'FAILED' };
const stepEvent: FilterableRunEvent = { kind: 'STEP', projectId: 'p1', workflowId: 'w1', to: 'FAILED' };

describe('matchesRunEvent', () => {
  it.each([
    ['an empty filter keeps everything', {}, runEvent, true],
    ['a matching project keeps the event', { projectIds: ['p1'] }, runEvent, true],
    ['another project drops the event', { projectIds: ['p2'] }, runEvent, false],
    ['an empty list does not filter', { projectIds: [] }, runEvent, true],
    ['another workflow drops the event', { workflowIds: ['w2'] }, runEvent, false],
    ['a run moving into a wanted status is kept', { statuses: ['FAILED', 'ABORTED'] as const }, runEvent, true],
    ['a run moving into another status is dropped', { statuses: ['SUCCEEDED'] as const }, runEvent, false],
    ['step events are dropped by a status filter', { statuses: ['FAILED'] as const }, stepEvent, false],
  ])('%s', (_name, filter, event, expected) => {
    expect(matchesRunEvent(filter, event)).toBe(expected);
  });
});
