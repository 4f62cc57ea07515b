import type { StepState } from './step-readiness.ts';
import { onlyAwaitsApproval } from './waiting-run.ts';

const noContinue = { failure: false, skipped: false, exitCodes: [] };

function step(name: string, status: StepState['status'], depends: string[] = []): StepState {
  return { name, status, depends, exitCode: null, continueOn: noContinue };
}

describe('onlyAwaitsApproval', () => {
  it.each([
    ['an approval waits and the rest depend on it', [step('build', 'SUCCEEDED'), step('approve', 'WAITING', ['build']), step('deploy', 'NOT_STARTED', ['approve'])], true],
    ['two approvals wait', [step('a', 'WAITING'), step('b', 'WAITING'), step('c', 'NOT_STARTED', ['a', 'b'])], true],
    ['a step beside the approval could start now', [step('approve', 'WAITING'), step('lint', 'NOT_STARTED')], false],
    ['a step beside the approval runs', [step('approve', 'WAITING'), step('lint', 'RUNNING')], false],
    ['a step must be aborted after an aborted dependency', [step('approve', 'WAITING'), step('test', 'ABORTED'), step('report', 'NOT_STARTED', ['test'])], false],
    ['no step waits (the run would finish)', [step('build', 'SUCCEEDED'), step('deploy', 'SUCCEEDED')], false],
  ] as const)('%s: %s', (_name, steps, expected) => {
    expect(onlyAwaitsApproval(steps)).toBe(expected);
  });
});
