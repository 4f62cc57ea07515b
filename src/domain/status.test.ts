import { isTerminalStepStatus, isUnfinishedStepStatus, runStatusOf, STEP_STATUSES } from './status.ts';

describe('statuses', () => {
  it.each(STEP_STATUSES.map((status) => [status]))('counts step status %s as either finished or not, never both', (status) => {
    expect(isTerminalStepStatus(status)).toBe(!isUnfinishedStepStatus(status));
  });

  it('counts a step waiting for approval as unfinished, and a skipped or rejected one as finished', () => {
    expect([isTerminalStepStatus('WAITING'), isTerminalStepStatus('SKIPPED'), isTerminalStepStatus('REJECTED')]).toEqual([false, true, true]);
  });

  it('reads a stored run status back, and refuses one it does not know', () => {
    expect(runStatusOf('PARTIALLY_SUCCEEDED', 'run run_1')).toBe('PARTIALLY_SUCCEEDED');
    expect(() => runStatusOf('DONE', 'run run_1')).toThrow('Unknown run status "DONE" in run run_1');
  });
});
