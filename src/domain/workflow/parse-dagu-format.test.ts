import { formatProblems, parseWorkflow } from './parse-workflow.ts';
import type { WorkflowSpec } from './workflow-spec.ts';

function parseValid(yamlText: string): { spec: WorkflowSpec; notes: string[] } {
  const result = parseWorkflow(yamlText, { defaultName: 'wf' });
  if (!result.ok) throw new Error(`expected a valid workflow:\n${formatProblems(result.problems)}`);
  return { spec: result.spec, notes: result.notes.map((note) => note.message) };
}

function problemsOf(yamlText: string): string[] {
  const result = parseWorkflow(yamlText, { defaultName: 'wf' });
  if (result.ok) throw new Error('expected problems, but the workflow is valid');
  return formatProblems(result.problems, 'wf.yaml').split('\n');
}

function step(spec: WorkflowSpec, name: string) {
  const found = spec.steps.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no step ${name}`);
  return found;
}

describe('both spellings of Dagu keys', () => {
  it('reads snake_case and camelCase alike, and messages quote the key as written', () => {
    const snake = parseValid('max_active_runs: 2\nsteps:\n  - name: a\n    command: x\n    retry_policy: {limit: 2, interval_sec: 3}\n    timeout_sec: 9\n').spec;
    const camel = parseValid('maxActiveRuns: 2\nsteps:\n  - name: a\n    command: x\n    retryPolicy: {limit: 2, intervalSec: 3}\n    timeoutSec: 9\n').spec;

    expect(snake).toEqual(camel);
    expect(problemsOf('steps:\n  - name: a\n    command: x\n    retry_policy: {limit: -1}\n')).toEqual([
      'wf.yaml:4:27 steps[0] (a).retry_policy.limit: must be a whole number of retries from 0 to 10000, got -1',
    ]);
  });

  it('refuses both spellings of one key in the same map', () => {
    expect(problemsOf('steps:\n  - name: a\n    command: x\n    timeout_sec: 1\n    timeoutSec: 2\n')).toEqual([
      'wf.yaml:5:5 steps[0] (a): "timeoutSec" is "timeout_sec" spelled another way, which is given too; keep one of them',
    ]);
  });

  it('lists the supported keys in snake_case when the unknown key is written so', () => {
    const [problem] = problemsOf('steps:\n  - name: a\n    command: x\n    retry_polcy: {limit: 1}\n');

    expect(problem).toContain('unknown key "retry_polcy"; supported: call, command, continue_on,');
    expect(problem).toMatch(/did you mean "retry_policy"\?$/);
  });

  it('leaves env names alone: MY_VAR and my_var are not keys', () => {
    const { spec } = parseValid('env:\n  my_var: 1\n  MY_VAR: 2\nsteps:\n  - echo\n');

    expect(spec.env).toEqual([
      { name: 'my_var', value: '1' },
      { name: 'MY_VAR', value: '2' },
    ]);
  });
});

describe('DAG-level Dagu keys', () => {
  it('type: graph starts steps without depends at once; chain follows the file', () => {
    const graph = parseValid('type: graph\nsteps:\n  - name: a\n    command: x\n  - name: b\n    command: y\n  - name: c\n    depends: [a, b]\n    command: z\n').spec;
    const chain = parseValid('type: chain\nsteps:\n  - name: a\n    command: x\n  - name: b\n    command: y\n').spec;

    expect(graph.steps.map((entry) => entry.depends)).toEqual([[], [], ['a', 'b']]);
    expect(chain.steps.map((entry) => entry.depends)).toEqual([[], ['a']]);
  });

  it('defaults give every step their settings; env and preconditions add to the step\'s own', () => {
    const { spec } = parseValid(
      'defaults:\n  timeout_sec: 30\n  signal_on_stop: SIGINT\n  env: [A=1, B=2]\n  preconditions: ["test -d /"]\nsteps:\n  - name: a\n    command: x\n    env: [B=3]\n  - name: b\n    command: y\n    timeout_sec: 5\n    preconditions: ["test -d /tmp"]\n',
    );

    expect(step(spec, 'a')).toMatchObject({ timeoutSec: 30, signalOnStop: 'SIGINT', env: [{ name: 'A', value: '1' }, { name: 'B', value: '3' }] });
    expect(step(spec, 'b').timeoutSec).toBe(5);
    expect(step(spec, 'b').preconditions).toHaveLength(2);
  });

  it('a problem in defaults is reported once, not once per step', () => {
    expect(problemsOf('defaults:\n  timeout_sec: soon\nsteps:\n  - echo a\n  - echo b\n  - echo c\n')).toEqual(['wf.yaml:2:16 defaults.timeout_sec: must be a positive number of seconds, got "soon"']);
  });

  it('reads timeout_sec, preconditions and dotenv of the workflow', () => {
    const { spec } = parseValid('timeout_sec: 60\npreconditions:\n  - condition: "`date +%u`"\n    expected: "re:[1-5]"\ndotenv: [.env, prod.env]\nsteps:\n  - echo\n');

    expect(spec.timeoutSec).toBe(60);
    expect(spec.preconditions).toEqual([{ condition: '`date +%u`', expected: 're:[1-5]' }]);
    expect(spec.dotenv).toEqual(['.env', 'prod.env']);
  });

  it('params as a line: named words, quoted values, and positional words as $1, $2', () => {
    const { spec } = parseValid('params: "first A=1 B=\'two words\' second"\nsteps:\n  - echo\n');

    expect(spec.params).toEqual([
      { name: '1', value: 'first' },
      { name: 'A', value: '1' },
      { name: 'B', value: 'two words' },
      { name: '2', value: 'second' },
    ]);
  });

  it('typed params keep their default and check it against their rules', () => {
    expect(parseValid('params:\n  - name: N\n    type: integer\n    default: 3\nsteps:\n  - echo\n').spec.params).toEqual([{ name: 'N', value: '3' }]);
    expect(problemsOf('params:\n  - name: N\n    type: integer\n    default: three\n  - name: E\n    default: dev\n    enum: [staging, prod]\nsteps:\n  - echo\n')).toEqual([
      'wf.yaml:4:14 params[0].default: "three" is not an integer, as "type" requires',
      'wf.yaml:6:14 params[1].default: "dev" is not one of staging, prod',
    ]);
  });

  it('accepts queue, log_dir and the like with a note naming what Runtrail does instead', () => {
    const { notes } = parseValid('queue: batch\nlog_dir: /var/log\ngroup: Daily\nsteps:\n  - echo\n');

    expect(notes).toEqual([
      expect.stringMatching(/^queue: Runtrail has no named queues/),
      expect.stringMatching(/^log_dir: Runtrail keeps step logs itself/),
      expect.stringMatching(/^group: Runtrail groups workflows by project and by "tags"/),
    ]);
  });

  it('hist_retention_days and mail_on work in snake_case', () => {
    const { spec } = parseValid(
      'hist_retention_days: 7\nhist_retention_runs: 20\nmail_on: {failure: true}\nsmtp: {host: mail, port: 25}\nerror_mail: {from: a@example.com, to: b@example.com}\nsteps:\n  - echo\n',
    );

    expect(spec.retention).toEqual(parseValid('histRetentionDays: 7\nhistRetentionRuns: 20\nsteps:\n  - echo\n').spec.retention);
    expect(spec.mail?.failure?.to).toEqual(['b@example.com']);
  });
});

describe('step-level Dagu keys', () => {
  it('names unnamed steps cmd_N by their place, strings included', () => {
    const { spec } = parseValid('steps:\n  - echo a\n  - command: echo b\n  - name: named\n    command: echo c\n');

    expect(spec.steps.map((entry) => [entry.name, entry.depends])).toEqual([
      ['cmd_1', []],
      ['cmd_2', ['cmd_1']],
      ['named', ['cmd_2']],
    ]);
  });

  it('allows spaces in step names, and depends may name a step by its id', () => {
    const { spec } = parseValid('steps:\n  - name: build the site\n    id: build\n    command: x\n  - name: deploy it\n    depends: build\n    command: y\n');

    expect(step(spec, 'deploy it').depends).toEqual(['build the site']);
    expect(step(spec, 'build the site').id).toBe('build');
  });

  it('refuses an id used twice or one that is another step\'s name', () => {
    expect(problemsOf('steps:\n  - name: a\n    id: x\n    command: x\n  - name: x\n    id: a\n    command: y\n')).toEqual([
      'wf.yaml:3:9 steps[0] (a).id: "x" is the name of steps[1] (x); an id must not be another step\'s name',
      'wf.yaml:6:9 steps[1] (x).id: "a" is the name of steps[0] (a); an id must not be another step\'s name',
    ]);
  });

  it('reads command with script, shell with arguments, stdout/stderr files and the object form of output', () => {
    const { spec } = parseValid(
      'steps:\n  - name: a\n    command: perl\n    script: print 1\n    shell: bash -o errexit -o "pipefail"\n    stdout: out.txt\n    stderr: err.txt\n    output: {name: RESULT, key: result, omit: true}\n',
    );

    expect(step(spec, 'a')).toMatchObject({
      command: 'perl',
      script: 'print 1',
      shell: 'bash',
      shellArgs: ['-o', 'errexit', '-o', 'pipefail'],
      stdout: 'out.txt',
      stderr: 'err.txt',
      output: 'RESULT',
      outputOptions: { key: 'result', omit: true },
    });
  });

  it('joins the list form of command so the first failure ends the step', () => {
    expect(step(parseValid('steps:\n  - name: a\n    command: [cd /tmp, ls]\n').spec, 'a').command).toBe('{ cd /tmp\n} && { ls\n}');
  });

  it('reads repeat_policy, retry_policy with backoff and exit codes, signal_on_stop and continue_on output', () => {
    const { spec } = parseValid(
      'steps:\n  - name: a\n    command: x\n    output: STATE\n    repeat_policy: {repeat: until, condition: "$STATE", expected: done, interval_sec: 5, limit: 10, backoff: 1.5, max_interval_sec: 60}\n    retry_policy: {limit: 3, interval_sec: 2, backoff: true, max_interval_sec: 30, exit_code: [75, 1]}\n    signal_on_stop: INT\n    continue_on: {output: ["re:^WARN", "skipped by user"], mark_success: true}\n',
    );

    expect(step(spec, 'a')).toMatchObject({
      repeatPolicy: { mode: 'until', condition: { condition: '$STATE', expected: 'done' }, exitCodes: [], intervalSec: 5, limit: 10, backoff: 1.5, maxIntervalSec: 60 },
      retryPolicy: { limit: 3, intervalSec: 2, backoff: 2, maxIntervalSec: 30, exitCodes: [75, 1] },
      signalOnStop: 'SIGINT',
      continueOn: { output: ['re:^WARN', 'skipped by user'], markSuccess: true },
    });
  });

  it('reports a wrong signal, a bad continue_on pattern and a repeat until with nothing to stop at', () => {
    expect(problemsOf('steps:\n  - name: a\n    command: x\n    signal_on_stop: SIGSTOPP\n    continue_on: {output: ["re:("]}\n    repeat_policy: {repeat: until}\n')).toEqual([
      'wf.yaml:4:21 steps[0] (a).signal_on_stop: must be one of SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGKILL, SIGUSR1, SIGUSR2, got "SIGSTOPP"',
      'wf.yaml:5:28 steps[0] (a).continue_on.output[0]: invalid regular expression after "re:": Invalid regular expression: /(/: Unterminated group',
      'wf.yaml:6:29 steps[0] (a).repeat_policy: repeat: until needs a "condition" (with "expected") or an "exit_code" to stop at',
    ]);
  });

  it('a parallel group follows the step before it, and the next step waits for all of it', () => {
    const { spec } = parseValid('steps:\n  - echo a\n  - - name: b\n      command: x\n    - name: c\n      command: y\n  - name: d\n    command: z\n');

    expect(spec.steps.map((entry) => [entry.name, entry.depends])).toEqual([
      ['cmd_1', []],
      ['b', ['cmd_1']],
      ['c', ['cmd_1']],
      ['d', ['b', 'c']],
    ]);
  });
});

describe('error messages', () => {
  it('an unknown dependency when no step has a name lists no empty set', () => {
    const [problem] = problemsOf('steps:\n  - name: a\n    depends: [zzz]\n    command: x\n');

    expect(problem).toBe('wf.yaml:3:15 steps[0] (a).depends: unknown step "zzz"; steps are: a');
    expect(problemsOf('steps:\n  - name: "bad/name"\n    command: x\n  - name: b\n    depends: [nothing]\n    command: y\n').join('\n')).not.toMatch(/: $|steps are: ;|steps are: $/m);
  });

  it('a step with a bad name is reported once, not again by the steps that depend on it', () => {
    expect(problemsOf('steps:\n  - name: bad/name\n    command: x\n  - name: b\n    depends: [bad/name]\n    command: y\n')).toEqual([
      'wf.yaml:2:11 steps[0].name: "bad/name" is not a valid step name; use up to 100 letters, digits, spaces and _ . : , ( ) # + @ -, starting with a letter or digit',
    ]);
  });
});

describe('Dagu map forms', () => {
  it('reads steps as a map of name to step, in a chain by file order, and tags as key=value', () => {
    const { spec } = parseValid('tags: {team: data}\nsteps:\n  extract: echo a\n  load:\n    command: echo b\n');

    expect(spec.tags).toEqual(['team=data']);
    expect(spec.steps.map((entry) => [entry.name, entry.command, entry.depends])).toEqual([
      ['extract', 'echo a', []],
      ['load', 'echo b', ['extract']],
    ]);
  });

  it('refuses a step map key that is not a valid step name', () => {
    expect(problemsOf('steps:\n  bad/name: echo\n')).toEqual(['wf.yaml:2:3 steps: "bad/name" is not a valid step name; use up to 100 letters, digits, spaces and _ . : , ( ) # + @ -, starting with a letter or digit']);
  });
});

describe('ids and words as Dagu writes them', () => {
  it('a step with an id and no name is named by its id', () => {
    const { spec } = parseValid('type: graph\nsteps:\n  - id: fetch\n    command: x\n  - id: store\n    depends: fetch\n    command: y\n');

    expect(spec.steps.map((entry) => [entry.name, entry.id, entry.depends])).toEqual([
      ['fetch', 'fetch', []],
      ['store', 'store', ['fetch']],
    ]);
  });

  it('a backtick command in a params line is one word, spaces and all', () => {
    expect(parseValid('params: FOO=1 BAR=`echo 2`\nsteps:\n  - echo\n').spec.params).toEqual([
      { name: 'FOO', value: '1' },
      { name: 'BAR', value: '`echo 2`' },
    ]);
  });
});

describe('typed schedule entries', () => {
  it('a choice of one is named alone, never after an empty list', () => {
    expect(problemsOf('schedule:\n  - kind: daily\n    expression: "0 3 * * *"\nsteps:\n  - echo\n')).toEqual(['wf.yaml:2:11 schedule[0].kind: must be "cron", got "daily"']);
  });

  it('reads {kind: cron, expression} beside plain expressions', () => {
    expect(parseValid('schedule:\n  - kind: cron\n    expression: "0 3 * * *"\n  - "@hourly"\nsteps:\n  - echo\n').spec.schedule).toEqual([
      { expression: '0 3 * * *', timezone: null },
      { expression: '@hourly', timezone: null },
    ]);
  });

  it('refuses a one-off "at" entry, saying what to do instead', () => {
    expect(problemsOf('schedule:\n  - kind: at\n    at: "2026-12-24T08:00:00+01:00"\nsteps:\n  - echo\n')).toEqual([
      'wf.yaml:3:5 schedule[0]: "at" is a Dagu key Runtrail does not support; a one-off start is a run triggered at that time (runtrail start, or the API); schedules here are cron expressions',
    ]);
  });
});

describe('words in a line', () => {
  it('an unclosed quote in params or shell is reported with how to write it', () => {
    expect(problemsOf('params: A="open\nsteps:\n  - name: a\n    command: x\n    shell: bash -c "x\n')).toEqual([
      'wf.yaml:1:9 params: a quote is not closed; write params like A=1 B="two words" or a list',
      'wf.yaml:5:12 steps[0] (a).shell: must be a shell, with its arguments if any (such as "bash -o errexit -o pipefail" or [bash, -e]), got "bash -c \\"x"',
    ]);
  });
});
