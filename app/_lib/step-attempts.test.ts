import { stepAttempts, type AttemptEvent } from './step-attempts.ts';

function event(seq: number, at: string, to: string, step: string | null, message: string | null = null): AttemptEvent {
  return { seq: String(seq), at: `2026-12-07T10:00:${at}Z`, to, message, step: step === null ? null : { name: step } };
}

describe('stepAttempts', () => {
  it('makes one attempt of each start of the step, ended by its next change, with its duration and message', () => {
    const events = [
      event(1, '00.000', 'RUNNING', null),
      event(2, '01.000', 'RUNNING', 'build'),
      event(3, '03.500', 'FAILED', 'build', 'exit code 1'),
      event(4, '05.500', 'RUNNING', 'build'),
      event(5, '06.000', 'RUNNING', 'test'),
      event(6, '09.500', 'SUCCEEDED', 'build'),
    ];

    expect(stepAttempts(events, 'build')).toEqual([
      { number: 1, startedAt: '2026-12-07T10:00:01.000Z', endedAt: '2026-12-07T10:00:03.500Z', outcome: 'FAILED', durationMs: 2500, message: 'exit code 1' },
      { number: 2, startedAt: '2026-12-07T10:00:05.500Z', endedAt: '2026-12-07T10:00:09.500Z', outcome: 'SUCCEEDED', durationMs: 4000, message: null },
    ]);
  });

  it('leaves the attempt that runs open, and reads events in seq order whatever order they came in', () => {
    const events = [event(12, '02.000', 'RUNNING', 'deploy'), event(10, '01.000', 'RUNNING', 'deploy'), event(11, '01.500', 'FAILED', 'deploy', 'timed out after 1 s')];

    expect(stepAttempts(events, 'deploy')).toEqual([
      { number: 1, startedAt: '2026-12-07T10:00:01.000Z', endedAt: '2026-12-07T10:00:01.500Z', outcome: 'FAILED', durationMs: 500, message: 'timed out after 1 s' },
      { number: 2, startedAt: '2026-12-07T10:00:02.000Z', endedAt: null, outcome: 'RUNNING', durationMs: null, message: null },
    ]);
  });

  it('has no attempt for a step that never started (skipped or still waiting its turn)', () => {
    expect(stepAttempts([event(1, '00.000', 'SKIPPED', 'cleanup')], 'cleanup')).toEqual([]);
  });
});
