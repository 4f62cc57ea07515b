import { replayWorkflow, type ReplayedRun } from './alert-preview.ts';
import { parseAlertRule } from './alert-rule.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 0, minute));
const run = (minute: number, status: ReplayedRun['status'], durationMinutes = 1): ReplayedRun => ({
  id: `run_${String(minute).padStart(6, '0')}`,
  workflowId: 'wf_1',
  status,
  createdAt: at(minute),
  finishedAt: at(minute + durationMinutes),
  durationMs: durationMinutes * 60_000,
});

describe('replaying a rule over past runs', () => {
  it('finds each episode of a CONSECUTIVE_FAILURES rule, reading the streak from before the range', () => {
    const rule = parseAlertRule({ name: 'streak', kind: 'CONSECUTIVE_FAILURES', count: 2 });
    const runs = [run(0, 'FAILED'), run(10, 'FAILED'), run(20, 'SUCCEEDED'), run(30, 'FAILED'), run(40, 'FAILED'), run(50, 'FAILED')];
    expect(replayWorkflow(rule, 'wf_1', runs, at(5), at(100))).toEqual([
      { workflowId: 'wf_1', firedAt: at(11), resolvedAt: at(21), summary: expect.stringContaining('2 consecutive failures') },
      { workflowId: 'wf_1', firedAt: at(41), resolvedAt: null, summary: expect.stringContaining('2 consecutive failures') },
    ]);
  });

  it('fires a rule with `for` once the condition held that long, between two runs', () => {
    const rule = parseAlertRule({ name: 'broke', kind: 'RUN_FAILED', forSeconds: 600 });
    expect(replayWorkflow(rule, 'wf_1', [run(0, 'FAILED'), run(30, 'SUCCEEDED')], at(0), at(60)).map(({ firedAt, resolvedAt }) => [firedAt, resolvedAt])).toEqual([[at(11), at(31)]]);
    expect(replayWorkflow(rule, 'wf_1', [run(0, 'FAILED'), run(5, 'SUCCEEDED')], at(0), at(60))).toEqual([]);
  });

  it('judges FAILURE_RATE over the runs that ended, once the window holds minRuns of them', () => {
    const rule = parseAlertRule({ name: 'rate', kind: 'FAILURE_RATE', windowMinutes: 60, threshold: 0.3, minRuns: 4 });
    const runs = [run(0, 'FAILED', 30), run(1, 'FAILED'), run(2, 'FAILED'), run(3, 'FAILED'), run(4, 'SUCCEEDED')];
    // 3 failures of 3 ended runs at minute 4 is too few; 3 of 4 at minute 5 is a lower bound of 0.30.
    const [episode] = replayWorkflow(rule, 'wf_1', runs, at(0), at(120));
    expect(episode?.firedAt).toEqual(at(5));
  });
});
