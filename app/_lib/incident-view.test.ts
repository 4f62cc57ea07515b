import { formatLift, formatShare, incidentSummary, likelyCause } from './incident-view.ts';

describe('incident view', () => {
  it('writes a lift as times, with one decimal below ten and none above', () => {
    expect(formatLift(2.345)).toBe('2.3×');
    expect(formatLift(0.5)).toBe('0.5×');
    expect(formatLift(12.6)).toBe('13×');
    expect(() => formatLift(Number.NaN)).toThrow(/positive number/);
  });

  it('writes a share as a whole percentage', () => {
    expect(formatShare(0.666)).toBe('67%');
  });

  it('sums up what the viewer sees of an incident, in the singular where it is one', () => {
    expect(incidentSummary({ memberCount: 7, workflowIds: ['a', 'b', 'c'], projectIds: ['p', 'q'] })).toBe('7 failures of 3 workflows in 2 projects');
    expect(incidentSummary({ memberCount: 1, workflowIds: ['a'], projectIds: ['p'] })).toBe('1 failure of 1 workflow in 1 project');
  });

  it('names the first ranked attribute the members carry more than usual as the likely cause, and none when nothing stands out', () => {
    expect(likelyCause([{ kind: 'ERROR', value: 'connection refused', lift: 8 }, { kind: 'TRIGGER', value: 'SCHEDULER', lift: 1 }])).toBe('Error: connection refused');
    expect(likelyCause([{ kind: 'TRIGGER', value: 'SCHEDULER', lift: 1 }])).toBeNull();
  });
});
