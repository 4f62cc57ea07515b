import { estimateEta, type EtaStep } from './eta.ts';

const NOW = Date.UTC(2026, 11, 1, 12);
const history = new Map([
  ['build', [9_000, 10_000, 10_000, 11_000, 10_000]],
  ['deploy', [30_000, 30_000, 30_000, 30_000, 30_000]],
]);
const step = (name: string, status: EtaStep['status'], depends: string[] = [], startedAt: number | null = null): EtaStep => ({ name, depends, status, startedAt, finishedAt: null });

describe('estimateEta', () => {
  it('draws a running step only from past durations longer than it has run', () => {
    const eta = estimateEta({ now: NOW, steps: [step('build', 'RUNNING', [], NOW - 10_500), step('deploy', 'NOT_STARTED', ['build'])], history, seed: 'run' });
    // Only the 11 s build is longer than the 10.5 s it has run: 0.5 s left, then the 30 s deploy.
    expect(eta).toEqual({ expectedAt: NOW + 30_500, p90At: NOW + 30_500, basedOn: 5 });
  });

  it('gives an overrunning step a quarter of its elapsed time more', () => {
    const eta = estimateEta({ now: NOW, steps: [step('build', 'RUNNING', [], NOW - 20_000)], history, seed: 'run' });
    expect(eta?.expectedAt).toBe(NOW + 5_000);
  });

  it('has no estimate while a step waits for a person', () => {
    expect(estimateEta({ now: NOW, steps: [step('build', 'WAITING'), step('deploy', 'NOT_STARTED', ['build'])], history, seed: 'run' })).toBeNull();
  });

  it('puts the p90 bound above the median when past durations vary', () => {
    const varied = new Map([['build', [5_000, 6_000, 7_000, 8_000, 9_000, 10_000, 20_000, 40_000]]]);
    const eta = estimateEta({ now: NOW, steps: [step('build', 'NOT_STARTED')], history: varied, seed: 'run' });
    expect(eta?.expectedAt).toBeGreaterThanOrEqual(NOW + 8_000);
    expect(eta?.p90At).toBeGreaterThanOrEqual(NOW + 20_000);
  });
});
