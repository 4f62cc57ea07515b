import { queuedReason, type QueuedRunState } from './queued-reason.ts';

const free: QueuedRunState = { selector: {}, workflowActive: 0, workflowLimit: 1 };

describe('queuedReason', () => {
  it.each<[string, QueuedRunState, Record<string, string>[], string | null]>([
    ['a run any live executor may take waits for nothing', free, [{}], null],
    ['a run whose selector a live executor matches waits for nothing', { ...free, selector: { region: 'eu' } }, [{ region: 'us' }, { region: 'eu' }], null],
    ['a run without a selector waits for any worker when none is alive', free, [], 'no worker is running'],
    [
      'a run with a selector names its labels when no worker is alive',
      { ...free, selector: { region: 'eu' } },
      [],
      'no live worker has the labels region=eu (no worker is running)',
    ],
    [
      'a run whose selector no live executor matches names every label of it',
      { ...free, selector: { region: 'ap', gpu: 'yes' } },
      [{ region: 'ap' }, { gpu: 'yes' }],
      'no live worker has the labels region=ap, gpu=yes',
    ],
    [
      'a run of a workflow at its limit says so',
      { selector: {}, workflowActive: 2, workflowLimit: 2 },
      [{}],
      'its workflow is at its maxActiveRuns limit (2 of 2 active)',
    ],
    [
      'an unmatched selector is named before the limit',
      { selector: { region: 'ap' }, workflowActive: 1, workflowLimit: 1 },
      [{ region: 'eu' }],
      'no live worker has the labels region=ap',
    ],
  ])('%s', (_sentence, run, executors, expected) => {
    const reason = queuedReason(run, executors);

    expect(reason).toBe(expected);
  });
});
