import { runOutcome } from './run-outcome.ts';
import { decideStep, isAllowedFailure, type StepState } from './step-readiness.ts';

const noContinue = { failure: false, skipped: false, exitCodes: [] };

function step(name: string, status: StepState['status'], extra: Partial<StepState> = {}): StepState {
  return { name, status, depends: [], exitCode: null, continueOn: noContinue, ...extra };
}

function decide(target: StepState, others: StepState[]) {
  return decideStep(target, new Map([...others, target].map((state) => [state.name, state])));
}

describe('decideStep', () => {
  it.each([
    ['starts a step without dependencies', [], { kind: 'start' }],
    ['waits while a dependency runs', [step('a', 'RUNNING')], { kind: 'wait' }],
    ['waits while a dependency waits for approval', [step('a', 'WAITING')], { kind: 'wait' }],
    ['starts once every dependency succeeded', [step('a', 'SUCCEEDED'), step('b', 'SUCCEEDED')], { kind: 'start' }],
    ['aborts after a failed dependency', [step('a', 'FAILED')], { kind: 'abort', reason: 'upstream step "a" ended FAILED' }],
    ['starts after a failure continueOn allows', [step('a', 'FAILED', { continueOn: { ...noContinue, failure: true } })], { kind: 'start' }],
    ['starts after an exit code continueOn lists', [step('a', 'FAILED', { exitCode: 3, continueOn: { ...noContinue, exitCodes: [3] } })], { kind: 'start' }],
    ['aborts after an exit code continueOn does not list', [step('a', 'FAILED', { exitCode: 4, continueOn: { ...noContinue, exitCodes: [3] } })], { kind: 'abort', reason: 'upstream step "a" ended FAILED' }],
    ['skips after a skipped dependency', [step('a', 'SKIPPED')], { kind: 'skip', reason: 'upstream step "a" was skipped' }],
    ['starts after a skipped dependency with continueOn.skipped', [step('a', 'SKIPPED', { continueOn: { ...noContinue, skipped: true } })], { kind: 'start' }],
    ['aborts after a rejected approval', [step('a', 'REJECTED')], { kind: 'abort', reason: 'upstream step "a" ended REJECTED' }],
  ] as const)('%s', (_name, dependencies, expected) => {
    const target = step('t', 'NOT_STARTED', { depends: dependencies.map((dependency) => dependency.name) });

    expect(decide(target, [...dependencies])).toEqual(expected);
  });
});

describe('runOutcome', () => {
  it.each([
    ['SUCCEEDED when every step succeeded', [step('a', 'SUCCEEDED'), step('b', 'SKIPPED')], false, 'SUCCEEDED'],
    ['FAILED when a step failed', [step('a', 'SUCCEEDED'), step('b', 'FAILED')], false, 'FAILED'],
    ['PARTIALLY_SUCCEEDED when only allowed failures', [step('a', 'FAILED', { continueOn: { ...noContinue, failure: true } }), step('b', 'SUCCEEDED')], false, 'PARTIALLY_SUCCEEDED'],
    ['REJECTED when an approval was rejected', [step('a', 'REJECTED'), step('b', 'ABORTED')], false, 'REJECTED'],
    ['ABORTED when cancelled, whatever the steps', [step('a', 'SUCCEEDED')], true, 'ABORTED'],
  ] as const)('%s', (_name, steps, cancelled, expected) => {
    expect(runOutcome(steps, { cancelled })).toBe(expected);
  });

  it('counts only FAILED steps as failures continueOn may allow', () => {
    expect(isAllowedFailure(step('a', 'ABORTED', { continueOn: { ...noContinue, failure: true } }))).toBe(false);
  });
});
