import { isRetryDue, judgeLostRun, type StoredStep } from './lost-run.ts';
import { parseValid } from '../../test/workflow-specs.ts';

const SPEC = parseValid(`
steps:
  - name: fetch
    command: ./fetch.sh
    retryPolicy: { limit: 2, intervalSec: 5 }
  - name: load
    depends: []
    command: ./load.sh
    retryPolicy: { limit: 1 }
  - name: report
    depends: []
    command: ./report.sh
  - name: approve
    depends: []
    type: approval
handlerOn:
  exit:
    command: echo bye
`);

function steps(overrides: Record<string, Partial<StoredStep>>): StoredStep[] {
  return ['fetch', 'load', 'report', 'approve', 'onExit'].map((name) => ({ name, status: 'NOT_STARTED', attempt: 0, ...overrides[name] }));
}

describe('judgeLostRun', () => {
  it.each([
    ['requeues a run whose only running step has attempts left', { fetch: { status: 'RUNNING', attempt: 1 } }, { kind: 'requeue', retried: [{ name: 'fetch', attempt: 1 }] }],
    ['requeues a run whose running step is on its last allowed attempt', { fetch: { status: 'RUNNING', attempt: 2 } }, { kind: 'requeue', retried: [{ name: 'fetch', attempt: 2 }] }],
    [
      'requeues a run when every running step has attempts left',
      { fetch: { status: 'RUNNING', attempt: 1 }, load: { status: 'RUNNING', attempt: 1 }, report: { status: 'SUCCEEDED', attempt: 1 } },
      { kind: 'requeue', retried: [{ name: 'fetch', attempt: 1 }, { name: 'load', attempt: 1 }] },
    ],
    ['requeues a run that had no step running (nothing was lost)', { report: { status: 'SUCCEEDED', attempt: 1 } }, { kind: 'requeue', retried: [] }],
    ['requeues a run lost between two attempts of a step', { fetch: { status: 'FAILED', attempt: 1 } }, { kind: 'requeue', retried: [] }],
    ['keeps a step waiting for approval out of the judgement', { approve: { status: 'WAITING', attempt: 0 }, load: { status: 'RUNNING', attempt: 1 } }, { kind: 'requeue', retried: [{ name: 'load', attempt: 1 }] }],
    [
      'fails a run whose running step has no retry policy',
      { report: { status: 'RUNNING', attempt: 1 } },
      { kind: 'fail', because: 'step "report" had no attempt left (attempt 1, retry limit 0)' },
    ],
    [
      'fails a run whose running step used its last retry',
      { load: { status: 'RUNNING', attempt: 2 } },
      { kind: 'fail', because: 'step "load" had no attempt left (attempt 2, retry limit 1)' },
    ],
    [
      'fails a run when one running step of several has no attempt left',
      { fetch: { status: 'RUNNING', attempt: 1 }, report: { status: 'RUNNING', attempt: 1 } },
      { kind: 'fail', because: 'step "report" had no attempt left (attempt 1, retry limit 0)' },
    ],
    [
      'fails a run whose handlers had begun',
      { fetch: { status: 'SUCCEEDED', attempt: 1 }, onExit: { status: 'RUNNING', attempt: 1 } },
      { kind: 'fail', because: 'its handler onExit had begun' },
    ],
  ] as const)('%s', (_name, overrides, verdict) => {
    expect(judgeLostRun(steps(overrides), SPEC)).toEqual(verdict);
  });

  it('fails a run whose workflow definition is gone', () => {
    expect(judgeLostRun(steps({ fetch: { status: 'RUNNING', attempt: 1 } }), null)).toEqual({ kind: 'fail', because: 'its workflow definition is gone' });
  });

  it('fails a run with a running step its definition does not name', () => {
    const verdict = judgeLostRun([{ name: 'renamed', status: 'RUNNING', attempt: 1 }], SPEC);

    expect(verdict).toEqual({ kind: 'fail', because: 'step "renamed" is not in its workflow definition' });
  });
});

describe('isRetryDue', () => {
  const fetch = SPEC.steps[0];
  if (!fetch) throw new Error('the spec has steps');

  it.each([
    ['a failed step with attempts left', { status: 'FAILED', attempt: 2 }, true],
    ['a failed step that used its last attempt', { status: 'FAILED', attempt: 3 }, false],
    ['a running step', { status: 'RUNNING', attempt: 1 }, false],
    ['a succeeded step', { status: 'SUCCEEDED', attempt: 1 }, false],
  ] as const)('judges %s due: %s', (_name, stored, due) => {
    expect(isRetryDue({ name: 'fetch', ...stored }, fetch)).toBe(due);
  });
});
