import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { formatProblems, parseWorkflow } from './parse-workflow.ts';
import type { StepSpec, WorkflowSpec } from './workflow-spec.ts';
import { parseValid, problemsOf } from '../../test/workflow-specs.ts';

const EXAMPLES_DIR = path.join(__dirname, '..', '..', '..', 'examples');

describe('mailOn', () => {
  it("reads Dagu's mailOn (or mail_on) with its smtp server and the addressing of each kind of mail, the port quoted as Dagu writes it", () => {
    const spec = parseValid(
      [
        'mail_on: {failure: true, success: false}',
        'smtp: {host: smtp.example.com, port: "587", username: runtrail, password: s3cret}',
        'errorMail: {from: runtrail@example.com, to: oncall@example.com, prefix: "[nightly]"}',
        'infoMail: {from: runtrail@example.com, to: [team@example.com]}',
        'steps:\n  - name: a\n    command: "true"',
      ].join('\n'),
    );

    expect(spec.mail).toEqual({
      smtp: { host: 'smtp.example.com', port: 587, username: 'runtrail', password: 's3cret' },
      failure: { from: 'runtrail@example.com', to: ['oncall@example.com'], prefix: '[nightly]' },
      success: null,
    });
    expect(parseValid('mailOn: {failure: false}\nsteps:\n  - name: a\n    command: "true"').mail).toBeNull();
  });
});

function step(spec: WorkflowSpec, name: string): StepSpec {
  const found = spec.steps.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no step ${name}`);
  return found;
}

function readExample(fileName: string): WorkflowSpec {
  return parseValid(readFileSync(path.join(EXAMPLES_DIR, fileName), 'utf8'), fileName);
}

describe('the examples folder', () => {
  const files = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.yaml')).sort();

  it('holds the five documented examples', () => {
    expect(files).toEqual(['approval.yaml', 'diamond.yaml', 'every-minute.yaml', 'flaky.yaml', 'slow-with-timeout.yaml']);
  });

  it.each(files)('%s is a valid workflow named after its file', (file) => {
    const result = parseWorkflow(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'), { defaultName: file });

    expect(result.ok ? [] : formatProblems(result.problems, file).split('\n')).toEqual([]);
    expect(result.ok && result.spec.name).toBe(file.replace('.yaml', ''));
  });

  it.each([
    ['diamond.yaml', ['a ←', 'b ← a', 'c ← a', 'd ← b, c'], []],
    ['flaky.yaml', ['prepare ←', 'coin-flip ← prepare', 'celebrate ← coin-flip'], ['failure', 'exit']],
    ['slow-with-timeout.yaml', ['quick ←', 'slow ← quick', 'after-slow ← slow', 'production-only ← after-slow'], []],
    ['approval.yaml', ['build ←', 'approve-release ← build', 'deploy ← approve-release'], []],
    ['every-minute.yaml', ['tick ←', 'count-files ← tick'], []],
  ])('%s has the expected steps, dependencies and handlers', (file, expectedSteps, expectedHandlers) => {
    const spec = readExample(file);

    const steps = spec.steps.map((candidate) => `${candidate.name} ← ${candidate.depends.join(', ')}`.trim());

    expect(steps).toEqual(expectedSteps);
    expect(Object.keys(spec.handlerOn)).toEqual(expectedHandlers);
  });

  it('diamond passes the output of a to d and has params', () => {
    const spec = readExample('diamond.yaml');

    expect(step(spec, 'a').output).toBe('MESSAGE');
    expect(step(spec, 'd').command).toContain('${MESSAGE}');
    expect(spec.params).toEqual([
      { name: 'GREETING', value: 'hello' },
      { name: 'TARGET', value: 'world' },
    ]);
  });

  it('flaky retries its coin flip three times a second apart and has a failure handler', () => {
    const spec = readExample('flaky.yaml');

    expect(step(spec, 'coin-flip').retryPolicy).toMatchObject({ limit: 3, intervalSec: 1 });
    expect(step(spec, 'coin-flip').command).toContain('/dev/urandom');
    expect(spec.handlerOn.failure).toMatchObject({ name: 'onFailure', type: 'command', depends: [] });
  });

  it('slow-with-timeout times out a sleep, continues on failure and skips a step by precondition', () => {
    const spec = readExample('slow-with-timeout.yaml');

    expect(step(spec, 'slow')).toMatchObject({ command: 'sleep 30', timeoutSec: 2, continueOn: { failure: true, skipped: false, exitCodes: [] } });
    expect(step(spec, 'production-only').preconditions).toEqual([{ condition: '${DEPLOY_ENV}', expected: 'production' }]);
    expect(spec.params).toEqual([{ name: 'DEPLOY_ENV', value: 'staging' }]);
  });

  it('approval has an approval step without a command between build and deploy', () => {
    const spec = readExample('approval.yaml');

    expect(step(spec, 'approve-release')).toMatchObject({ type: 'approval', command: null, script: null });
  });

  it('every-minute is scheduled every minute in the server time zone', () => {
    const spec = readExample('every-minute.yaml');

    expect(spec.schedule).toEqual([{ expression: '* * * * *', timezone: null }]);
    expect(spec.missedTicks).toBe('skip');
  });
});

describe('parseWorkflow on valid input', () => {
  it('fills in every default of a minimal workflow', () => {
    const spec = parseValid('steps:\n  - name: hello\n    command: echo hello\n', 'hello.yaml');

    expect(spec).toEqual({
      name: 'hello',
      description: null,
      mail: null,
      tags: [],
      schedule: [],
      missedTicks: 'skip',
      params: [],
      paramRules: [],
      env: [],
      dotenv: [],
      preconditions: [],
      timeoutSec: null,
      delaySec: 0,
      maxActiveRuns: 1,
      workerSelector: {},
      retention: {},
      handlerOn: {},
      localWorkflows: [],
      steps: [
        {
          name: 'hello',
          id: null,
          description: null,
          type: 'command',
          executor: { kind: 'shell' },
          call: null,
          command: 'echo hello',
          script: null,
          shell: 'sh',
          shellArgs: [],
          stdout: null,
          stderr: null,
          signalOnStop: 'SIGTERM',
          dir: null,
          env: [],
          depends: [],
          output: null,
          outputOptions: { key: null, omit: false },
          retryPolicy: { limit: 0, intervalSec: 0, backoff: 1, maxIntervalSec: null, exitCodes: [] },
          repeatPolicy: null,
          timeoutSec: null,
          continueOn: { failure: false, skipped: false, exitCodes: [], output: [], markSuccess: false },
          preconditions: [],
        },
      ],
    });
  });

  const steps = 'steps:\n  - name: a\n    command: echo a\n';

  it.each<[string, string, (spec: WorkflowSpec) => unknown, unknown]>([
    ['a written name wins over the file name', `name: nightly-report\n${steps}`, (spec) => spec.name, 'nightly-report'],
    ['the file name without .yml is the default name', steps, (spec) => spec.name, 'wf'],
    ['tags may be a comma-separated string', `tags: "etl, nightly,,daily "\n${steps}`, (spec) => spec.tags, ['etl', 'nightly', 'daily']],
    ['tags may be a list, kept once each', `tags: [etl, 2024, etl]\n${steps}`, (spec) => spec.tags, ['etl', '2024']],
    ['a single cron expression is a schedule of one', `schedule: "0 3 * * *"\n${steps}`, (spec) => spec.schedule, [{ expression: '0 3 * * *', timezone: null }]],
    [
      'CRON_TZ sets the time zone of one expression of a list',
      `schedule:\n  - "CRON_TZ=Asia/Tokyo 0 9 * * MON-FRI"\n  - "@hourly"\n${steps}`,
      (spec) => spec.schedule,
      [
        { expression: '0 9 * * MON-FRI', timezone: 'Asia/Tokyo' },
        { expression: '@hourly', timezone: null },
      ],
    ],
    ['missedTicks may ask for the latest missed tick', `missedTicks: latest\n${steps}`, (spec) => spec.missedTicks, 'latest'],
    ['maxActiveRuns may allow parallel runs', `maxActiveRuns: 3\n${steps}`, (spec) => spec.maxActiveRuns, 3],
    ["Dagu's histRetentionDays keeps runs in the live store for that many days", `histRetentionDays: 7\n${steps}`, (spec) => spec.retention, { hotDays: 7 }],
    ["Dagu's histRetentionRuns alone keeps the latest runs whatever their age", `histRetentionRuns: 50\n${steps}`, (spec) => spec.retention, { hotDays: 0, keepLastRuns: 50 }],
    ['histRetentionDays and histRetentionRuns together keep both', `histRetentionDays: 0\nhistRetentionRuns: 5\n${steps}`, (spec) => spec.retention, { hotDays: 0, keepLastRuns: 5 }],
    ['workerSelector names the labels a worker must have', `workerSelector:\n  region: eu\n  gpu: "yes"\n${steps}`, (spec) => spec.workerSelector, { region: 'eu', gpu: 'yes' }],
    [
      'workerSelector values may be numbers and booleans, kept as written',
      `workerSelector: {tier: 2, gpu: true, zone: eu-west-1a, pool: team/batch}\n${steps}`,
      (spec) => spec.workerSelector,
      { tier: '2', gpu: 'true', zone: 'eu-west-1a', pool: 'team/batch' },
    ],
    ['an empty workerSelector selects any worker', `workerSelector:\n${steps}`, (spec) => spec.workerSelector, {}],
    [
      'param values are kept as written, numbers and booleans included',
      `params:\n  VERSION: 1.10\n  DEBUG: false\n  EMPTY:\n  HEX: 0x1F\n${steps}`,
      (spec) => spec.params,
      [
        { name: 'VERSION', value: '1.10' },
        { name: 'DEBUG', value: 'false' },
        { name: 'EMPTY', value: '' },
        { name: 'HEX', value: '0x1F' },
      ],
    ],
    [
      'params may be a list of NAME=value and single-key maps',
      `params:\n  - A=1\n  - URL=https://x.test/?a=b\n  - B: two\n${steps}`,
      (spec) => spec.params,
      [
        { name: 'A', value: '1' },
        { name: 'URL', value: 'https://x.test/?a=b' },
        { name: 'B', value: 'two' },
      ],
    ],
    [
      'env takes the same forms as params',
      `env:\n  - PATH_EXTRA=/opt/bin\n  - LEVEL: 3\n${steps}`,
      (spec) => spec.env,
      [
        { name: 'PATH_EXTRA', value: '/opt/bin' },
        { name: 'LEVEL', value: '3' },
      ],
    ],
    ['a command YAML would read as a boolean stays the text written', 'steps:\n  - name: a\n    command: true\n', (spec) => spec.steps[0]?.command, 'true'],
    [
      'a script runs with the shell it names',
      'steps:\n  - name: a\n    shell: bash\n    dir: /tmp\n    script: |\n      set -e\n      echo hi\n',
      (spec) => spec.steps[0],
      expect.objectContaining({ command: null, script: 'set -e\necho hi\n', shell: 'bash', dir: '/tmp' }),
    ],
    [
      'a step without depends follows the step before it, and depends: [] starts at once',
      'steps:\n  - name: a\n    command: x\n  - name: b\n    command: x\n  - name: c\n    depends: []\n    command: x\n  - name: d\n    depends:\n    command: x\n',
      (spec) => spec.steps.map((candidate) => candidate.depends),
      [[], ['a'], [], []],
    ],
    [
      'depends may be one name or a list, and a name listed twice counts once',
      'steps:\n  - name: a\n    command: x\n  - name: b\n    depends: a\n    command: x\n  - name: c\n    depends: [a, b, a]\n    command: x\n',
      (spec) => spec.steps.map((candidate) => candidate.depends),
      [[], ['a'], ['a', 'b']],
    ],
    [
      'a retry policy without an interval retries at once',
      'steps:\n  - name: a\n    command: x\n    retryPolicy:\n      limit: 2\n',
      (spec) => spec.steps[0]?.retryPolicy,
      { limit: 2, intervalSec: 0, backoff: 1, maxIntervalSec: null, exitCodes: [] },
    ],
    [
      'continueOn takes one exit code or a list of them',
      'steps:\n  - name: a\n    command: x\n    continueOn:\n      skipped: true\n      exitCode: [1, 3]\n  - name: b\n    command: x\n    continueOn: {exitCode: 2}\n',
      (spec) => spec.steps.map((candidate) => candidate.continueOn),
      [
        { failure: false, skipped: true, exitCodes: [1, 3], output: [], markSuccess: false },
        { failure: false, skipped: false, exitCodes: [2], output: [], markSuccess: false },
      ],
    ],
    [
      'a precondition compares its condition with expected, kept as written',
      'steps:\n  - name: a\n    command: x\n    preconditions:\n      - condition: "`date +%d`"\n        expected: 01\n',
      (spec) => spec.steps[0]?.preconditions,
      [{ condition: '`date +%d`', expected: '01' }],
    ],
    [
      'a bare command, or a condition without expected, must exit 0',
      'steps:\n  - name: a\n    command: x\n    preconditions:\n      - test -f ready\n      - condition: grep -q go flags # a comment\n',
      (spec) => spec.steps[0]?.preconditions,
      [
        { condition: '$({ test -f ready; } >/dev/null 2>&1 && echo true || echo false)', expected: 'true' },
        { condition: '$({ grep -q go flags; } >/dev/null 2>&1 && echo true || echo false)', expected: 'true' },
      ],
    ],
    [
      'a single precondition may be written without a list',
      'steps:\n  - name: a\n    command: x\n    preconditions: "test -d /tmp"\n',
      (spec) => spec.steps[0]?.preconditions,
      [{ condition: '$({ test -d /tmp; } >/dev/null 2>&1 && echo true || echo false)', expected: 'true' }],
    ],
    [
      'an expected value starting with re: may hold a regular expression',
      'steps:\n  - name: a\n    command: x\n    preconditions:\n      - condition: "${ENV}"\n        expected: "re:^prod(uction)?$"\n',
      (spec) => spec.steps[0]?.preconditions[0]?.expected,
      're:^prod(uction)?$',
    ],
    [
      'an approval step has no command',
      'steps:\n  - name: ok\n    type: approval\n    description: Ask the release manager\n',
      (spec) => spec.steps[0],
      expect.objectContaining({ type: 'approval', command: null, script: null, description: 'Ask the release manager' }),
    ],
    [
      'handlers are steps named after their kind, with no dependencies',
      `handlerOn:\n  success:\n    command: echo ok\n  abort:\n    script: echo aborted\n    retryPolicy: {limit: 1}\n${steps}`,
      (spec) => Object.entries(spec.handlerOn).map(([kind, handler]) => [kind, handler.name, handler.depends, handler.retryPolicy.limit]),
      [
        ['success', 'onSuccess', [], 0],
        ['abort', 'onAbort', [], 1],
      ],
    ],
  ])('%s', (_sentence, yamlText, pick, expected) => {
    const spec = parseValid(yamlText);

    const picked = pick(spec);

    expect(picked).toEqual(expected);
  });

  it('anchors and merge keys share step settings, and keys written in the step win', () => {
    const yamlText = [
      'steps:',
      '  - &build',
      '    name: build',
      '    command: make',
      '    retryPolicy: &retry {limit: 2, intervalSec: 5}',
      '    timeoutSec: 60',
      '  - <<: *build',
      '    name: test',
      '    command: make test',
      '    timeoutSec: 5',
      '  - name: lint',
      '    command: make lint',
      '    retryPolicy: *retry',
    ].join('\n');

    const spec = parseValid(yamlText);

    expect(spec.steps.map(({ name, command, retryPolicy, timeoutSec }) => ({ name, command, retryPolicy, timeoutSec }))).toEqual([
      { name: 'build', command: 'make', retryPolicy: { limit: 2, intervalSec: 5, backoff: 1, maxIntervalSec: null, exitCodes: [] }, timeoutSec: 60 },
      { name: 'test', command: 'make test', retryPolicy: { limit: 2, intervalSec: 5, backoff: 1, maxIntervalSec: null, exitCodes: [] }, timeoutSec: 5 },
      { name: 'lint', command: 'make lint', retryPolicy: { limit: 2, intervalSec: 5, backoff: 1, maxIntervalSec: null, exitCodes: [] }, timeoutSec: null },
    ]);
  });
});

describe('parseWorkflow on invalid input', () => {
  const ok = 'steps:\n  - name: a\n    command: x\n';

  it.each([
    // YAML itself
    ['a YAML syntax error stops the reading', 'steps:\n  - name: a: b\n    command: x\n', 'wf.yaml:2:11 invalid YAML: Nested mappings are not allowed in compact mappings'],
    ['a key written twice is a YAML error', `name: a\nname: b\n${ok}`, 'wf.yaml:2:1 invalid YAML: Map keys must be unique'],
    [
      'a document after "---" (a local sub-workflow) needs a name',
      `${ok}---\n${ok}`,
      'wf.yaml:5:1 name: missing; a workflow after "---" needs a "name", which steps of this file call it by',
    ],
    ['an unknown tag is reported', `description: !secret x\n${ok}`, 'wf.yaml:1:14 YAML: Unresolved tag: !secret'],
    ['an alias to no anchor is reported', `description: *nothing\n${ok}`, 'wf.yaml:1:14 description: unknown alias *nothing'],
    ['a merge key needs an alias of a map', `<<: 3\n${ok}`, 'wf.yaml:1:1 workflow: a merge key "<<" needs an alias of a map, such as <<: *defaults'],
    // the document and its keys
    ['an empty file has no steps', '# nothing yet\n', 'wf.yaml workflow: the file is empty; a workflow needs at least a list of "steps"'],
    ['a list at the top is not a workflow', '- name: a\n', 'wf.yaml:1:1 workflow: must be a map with keys such as name and steps, got a list'],
    [
      'an unknown top-level key is reported with the supported keys and a suggestion',
      'stpes:\n  - name: a\n    command: x\n',
      [
        'wf.yaml:1:1 workflow: unknown key "stpes"; supported: defaults, delaySec, description, dotenv, env, errorMail, group, handlerOn, histRetentionDays, histRetentionRuns, infoMail, logDir, logOutput, mailOn, maxActiveRuns, maxActiveSteps, maxCleanUpTimeSec, maxOutputSize, missedTicks, name, params, precondition, preconditions, queue, restartWaitSec, schedule, shell, smtp, ssh, steps, tags, timeoutSec, type, workerSelector, workingDir; did you mean "steps"?',
        'wf.yaml:1:1 steps: missing; a workflow needs a non-empty list of steps, each with a command',
      ].join('\n'),
    ],
    [
      'an unknown top-level key far from any supported one gets no suggestion',
      `owner: me\n${ok}`,
      'wf.yaml:1:1 workflow: unknown key "owner"; supported: defaults, delaySec, description, dotenv, env, errorMail, group, handlerOn, histRetentionDays, histRetentionRuns, infoMail, logDir, logOutput, mailOn, maxActiveRuns, maxActiveSteps, maxCleanUpTimeSec, maxOutputSize, missedTicks, name, params, precondition, preconditions, queue, restartWaitSec, schedule, shell, smtp, ssh, steps, tags, timeoutSec, type, workerSelector, workingDir',
    ],
    [
      'top-level Dagu keys that Runtrail does not support name what to use instead',
      `secrets: []\nretry_policy: {limit: 2}\ntype: agent\n${ok}`,
      [
        'wf.yaml:1:1 workflow: "secrets" is a Dagu key Runtrail does not support; pass secrets to steps through the server environment (STEP_ENV_PASSTHROUGH) and "env"',
        'wf.yaml:2:1 workflow: "retry_policy" is a Dagu key Runtrail does not support; set retry_policy on the steps, or once for all of them in "defaults"',
        'wf.yaml:3:7 type: must be "chain" or "graph", got "agent"',
      ].join('\n'),
    ],
    [
      'mailOn needs the smtp server and the addressing of each kind of mail it turns on',
      `mailOn: {failure: true, success: true}\nsmtp: {port: "x"}\nerrorMail: {from: nobody, to: [ops@example.com, 3]}\n${ok}`,
      [
        'wf.yaml:1:9 infoMail: mailOn.success is on, so the file needs "infoMail" as a map: {from, to, prefix}',
        'wf.yaml:2:7 smtp.host: missing; the SMTP server\'s host name or address',
        'wf.yaml:2:14 smtp.port: must be a port from 1 to 65535 (587 with STARTTLS, 465 for TLS), got "x"',
        'wf.yaml:3:19 errorMail.from: must be an address like runtrail@example.com, got "nobody"',
        'wf.yaml:3:49 errorMail.to: must be an address like oncall@example.com, or a list of them, got 3',
      ].join('\n'),
    ],
    [
      'mailOn and mail_on at once are refused',
      `mailOn: {failure: true}\nmail_on: {failure: true}\nsmtp: {host: mail, port: 25}\nerrorMail: {from: a@example.com, to: b@example.com}\n${ok}`,
      'wf.yaml:2:1 workflow: "mail_on" is "mailOn" spelled another way, which is given too; keep one of them',
    ],
    // name
    [
      'a workflow name with a space is refused',
      `name: my flow\n${ok}`,
      'wf.yaml:1:7 name: "my flow" is not a valid name; use up to 100 letters, digits, "_", "." and "-", starting with a letter or digit',
    ],
    [
      'a workflow name longer than 100 characters is refused',
      `name: ${'n'.repeat(101)}\n${ok}`,
      `wf.yaml:1:7 name: "${'n'.repeat(101)}" is not a valid name; use up to 100 letters, digits, "_", "." and "-", starting with a letter or digit`,
    ],
    // steps
    ['steps must not be empty', 'steps: []\n', 'wf.yaml:1:8 steps: must be a non-empty list of steps, each a command or a map with a command, got an empty list'],
    ['steps must be a list or a map', 'steps: echo\n', 'wf.yaml:1:8 steps: must be a non-empty list of steps, each a command or a map with a command, got "echo"'],
    ['a step must be a map or a command', 'steps:\n  - 3\n', 'wf.yaml:2:5 steps[0]: must be a map with a command (or the command itself, as a string), got 3'],
    [
      'two unnamed steps cannot get the same generated name as a named one',
      'steps:\n  - name: cmd_2\n    command: x\n  - command: y\n',
      'wf.yaml:4:5 steps[1] (cmd_2).name: "cmd_2" is already the name of steps[0] (cmd_2) (the name Dagu gives a step without one; give this step a "name"); step names must be unique',
    ],
    [
      'a step name with a slash is refused',
      'steps:\n  - name: build/all\n    command: x\n',
      'wf.yaml:2:11 steps[0].name: "build/all" is not a valid step name; use up to 100 letters, digits, spaces and _ . : , ( ) # + @ -, starting with a letter or digit',
    ],
    [
      'step names must be unique',
      'steps:\n  - name: build\n    command: x\n  - name: build\n    command: y\n',
      'wf.yaml:4:11 steps[1] (build).name: "build" is already the name of steps[0] (build); step names must be unique',
    ],
    [
      'a step cannot take the name of a handler of the workflow',
      'handlerOn:\n  exit:\n    command: x\nsteps:\n  - name: onExit\n    command: y\n',
      'wf.yaml:5:11 steps[0] (onExit).name: "onExit" is the name of the handler_on.exit step; rename this step',
    ],
    [
      'an unknown step key is reported with the supported keys and a suggestion',
      'steps:\n  - name: build\n    comand: make\n',
      [
        'wf.yaml:2:5 steps[0] (build): needs a "command" or a "script" (or type: approval for a step that waits for a person)',
        'wf.yaml:3:5 steps[0] (build): unknown key "comand"; supported: call, command, continueOn, depends, description, dir, env, executor, id, logOutput, mailOnError, name, output, parallel, params, precondition, preconditions, repeatPolicy, retryPolicy, run, script, shell, signalOnStop, stderr, stdout, timeoutSec, type, with, workingDir; did you mean "command"?',
      ].join('\n'),
    ],
    [
      'step-level Dagu keys that Runtrail does not support name what to use instead',
      'steps:\n  - name: build\n    command: x\n  - name: test\n    command: x\n  - name: deploy\n    command: x\n    args: [a]\n    worker_selector: {gpu: "true"}\n',
      [
        'wf.yaml:8:5 steps[2] (deploy): "args" is a Dagu key Runtrail does not support; write the arguments in "command"',
        'wf.yaml:9:5 steps[2] (deploy): "worker_selector" is a Dagu key Runtrail does not support; worker_selector is set for the whole workflow',
      ].join('\n'),
    ],
    [
      'a step with dir and working_dir at once is refused',
      'steps:\n  - name: a\n    command: x\n    dir: /a\n    working_dir: /b\n',
      'wf.yaml:5:5 steps[0] (a): "dir" is given too; keep one of them',
    ],
    ['a command must not be empty', 'steps:\n  - name: a\n    command: ""\n', 'wf.yaml:3:14 steps[0] (a).command: must not be empty'],
    ['a command key without a value is empty too', 'steps:\n  - name: a\n    command:\n', 'wf.yaml:3:5 steps[0] (a).command: must not be empty'],
    ['a command must be a string or a list of strings', 'steps:\n  - name: a\n    command: [echo, {a: 1}]\n', 'wf.yaml:3:14 steps[0] (a).command: must be a command, or a list of commands that run in turn, got a list'],
    [
      'an approval step runs nothing',
      'steps:\n  - name: ok\n    type: approval\n    command: x\n    output: OK\n',
      [
        'wf.yaml:4:5 steps[0] (ok): an approval step waits for a person and runs nothing; remove "command"',
        'wf.yaml:5:5 steps[0] (ok): an approval step waits for a person and runs nothing; remove "output"',
      ].join('\n'),
    ],
    [
      'a step type is command or approval',
      'steps:\n  - name: ok\n    type: aproval\n',
      [
        'wf.yaml:2:5 steps[0] (ok): needs a "command" or a "script" (or type: approval for a step that waits for a person)',
        'wf.yaml:3:11 steps[0] (ok).type: unknown type "aproval"; supported: command, approval, shell, http, jq, mail, ssh; did you mean "approval"?',
      ].join('\n'),
    ],
    // depends
    [
      'depends must name existing steps',
      'steps:\n  - name: build\n    command: x\n  - name: test\n    command: x\n  - name: lint\n    command: x\n  - name: deploy\n    depends: [biuld, test]\n    command: x\n',
      'wf.yaml:9:15 steps[3] (deploy).depends: unknown step "biuld"; steps are: build, test, lint, deploy; did you mean "build"?',
    ],
    [
      'depends must be names',
      'steps:\n  - name: a\n    command: x\n  - name: b\n    depends: [{a: 1}]\n    command: x\n',
      'wf.yaml:5:15 steps[1] (b).depends: must be a step name or a list of step names, got a map',
    ],
    [
      'a dependency cycle is reported in run order from its first step in the file',
      'steps:\n  - name: a\n    depends: c\n    command: x\n  - name: b\n    depends: a\n    command: x\n  - name: c\n    depends: [b]\n    command: x\n',
      'wf.yaml:3:14 steps: dependency cycle a → b → c → a',
    ],
    ['a step that depends on itself is a cycle', 'steps:\n  - name: a\n    depends: a\n    command: x\n', 'wf.yaml:3:14 steps: dependency cycle a → a'],
    [
      'a cycle through the implicit chain explains where the hidden dependency comes from',
      'steps:\n  - name: a\n    depends: b\n    command: x\n  - name: b\n    command: x\n',
      'wf.yaml:3:14 steps: dependency cycle a → b → a (b has no "depends", so it follows the step before it; add depends: [] to start at once, or write type: graph)',
    ],
    // output
    [
      'an output must be a variable name',
      'steps:\n  - name: a\n    command: x\n    output: my-var\n',
      'wf.yaml:4:13 steps[0] (a).output: must be a variable name (use letters, digits and "_", not starting with a digit), got "my-var"',
    ],
    [
      'two steps cannot write the same output',
      'steps:\n  - name: a\n    command: x\n    output: VERSION\n  - name: b\n    command: y\n    output: VERSION\n',
      'wf.yaml:7:13 steps[1] (b).output: "VERSION" is already the output of steps[0] (a); use another name',
    ],
    // numbers and booleans
    [
      'a timeout must be a positive number of seconds',
      'steps:\n  - name: fast\n    command: x\n  - name: slow\n    command: sleep 9\n    timeoutSec: soon\n',
      'wf.yaml:6:17 steps[1] (slow).timeoutSec: must be a positive number of seconds, got "soon"',
    ],
    ['a negative timeout is refused', 'steps:\n  - name: a\n    command: x\n    timeout_sec: -1\n', 'wf.yaml:4:18 steps[0] (a).timeout_sec: must be a positive number of seconds, got -1'],
    [
      'a quoted number is refused with a hint',
      'steps:\n  - name: a\n    command: x\n    timeoutSec: "5"\n',
      'wf.yaml:4:17 steps[0] (a).timeoutSec: must be a positive number of seconds, got "5" (a quoted string; write it without quotes)',
    ],
    [
      'a retry policy needs a non-negative whole limit and knows its Dagu keys',
      'steps:\n  - name: a\n    command: x\n    retryPolicy:\n      limit: 1.5\n      intervalSec: -1\n      backoff: 2\n',
      [
        'wf.yaml:5:14 steps[0] (a).retryPolicy.limit: must be a whole number of retries from 0 to 10000, got 1.5',
        'wf.yaml:6:20 steps[0] (a).retryPolicy.intervalSec: must be a number of seconds, 0 or more, got -1',
      ].join('\n'),
    ],
    [
      'a retry policy without a limit is refused',
      'steps:\n  - name: a\n    command: x\n    retryPolicy: {intervalSec: 5}\n',
      'wf.yaml:4:18 steps[0] (a).retryPolicy: missing "limit" (how many times to retry)',
    ],
    ['a retry policy must be a map', 'steps:\n  - name: a\n    command: x\n    retryPolicy: 3\n', 'wf.yaml:4:18 steps[0] (a).retryPolicy: must be a map like {limit: 3, interval_sec: 10}, got 3'],
    [
      'continueOn takes booleans and exit codes',
      'steps:\n  - name: a\n    command: x\n    continueOn:\n      failure: yes\n      skipped: "true"\n      exitCode: [1, 300]\n      markSuccess: true\n',
      [
        'wf.yaml:5:16 steps[0] (a).continueOn.failure: must be true or false, got "yes"',
        'wf.yaml:6:16 steps[0] (a).continueOn.skipped: must be true or false, got "true" (a quoted string; write it without quotes)',
        'wf.yaml:7:21 steps[0] (a).continueOn.exitCode: must be an exit code from 0 to 255, or a list of them, got 300',
      ].join('\n'),
    ],
    ['continueOn must be a map', 'steps:\n  - name: a\n    command: x\n    continueOn: true\n', 'wf.yaml:4:17 steps[0] (a).continueOn: must be "failed", "failure" or "skipped", got true'],
    ['maxActiveRuns must be a positive whole number', `maxActiveRuns: 0\n${ok}`, 'wf.yaml:1:16 maxActiveRuns: must be a positive whole number, got 0'],
    ['histRetentionDays must be a whole number of days', `histRetentionDays: 1.5\n${ok}`, 'wf.yaml:1:20 histRetentionDays: must be a whole number of days from 0 to 36500, got 1.5'],
    ['histRetentionDays has an upper bound', `histRetentionDays: 40000\n${ok}`, 'wf.yaml:1:20 histRetentionDays: must be a whole number of days from 0 to 36500, got 40000'],
    [
      "histRetentionRuns: 0 (Dagu's way of saying no count) is refused with the way to say it here",
      `histRetentionRuns: 0\n${ok}`,
      'wf.yaml:1:20 histRetentionRuns: must be a whole number of runs from 1 to 100000 (leave the key out to keep runs by age alone), got 0',
    ],
    ['histRetentionRuns as a quoted number says so', `histRetentionRuns: "10"\n${ok}`, 'wf.yaml:1:20 histRetentionRuns: must be a whole number of runs from 1 to 100000 (leave the key out to keep runs by age alone), got "10" (a quoted string; write it without quotes)'],
    ['workerSelector must be a map', `workerSelector: [region=eu]\n${ok}`, 'wf.yaml:1:17 workerSelector: must be a map of labels like {region: eu}, got a list'],
    ['workerSelector as a string is refused too', `workerSelector: region=eu\n${ok}`, 'wf.yaml:1:17 workerSelector: must be a map of labels like {region: eu}, got "region=eu"'],
    [
      'a workerSelector label needs a value',
      `workerSelector:\n  region:\n${ok}`,
      'wf.yaml:2:3 workerSelector.region: must be the label\'s value (a string such as "eu"), got nothing',
    ],
    [
      'a workerSelector value must be a scalar',
      `workerSelector:\n  region: [eu, us]\n${ok}`,
      'wf.yaml:2:11 workerSelector.region: must be the label\'s value (a string such as "eu"), got a list',
    ],
    [
      'a workerSelector label name is checked',
      `workerSelector:\n  region: eu\n  "-gpu": "yes"\n${ok}`,
      'wf.yaml:3:3 workerSelector: "-gpu" is not a valid label name; use up to 63 letters, digits, "_", ".", "-" and "/", starting with a letter or digit',
    ],
    [
      'a workerSelector value with a comma could not be written as --labels and is refused',
      `workerSelector:\n  region: "eu,us"\n${ok}`,
      'wf.yaml:2:11 workerSelector.region: "eu,us" is not a valid label value; use 1 to 128 letters, digits, "_", ".", "-", "/", ":", "@" and "+"',
    ],
    [
      'a workerSelector value longer than the bound is refused',
      `workerSelector:\n  region: ${'e'.repeat(129)}\n${ok}`,
      `wf.yaml:2:11 workerSelector.region: "${'e'.repeat(129)}" is not a valid label value; use 1 to 128 letters, digits, "_", ".", "-", "/", ":", "@" and "+"`,
    ],
    [
      'a workerSelector with more labels than the bound is refused before its labels are read',
      `workerSelector:\n${Array.from({ length: 33 }, (_, index) => `  l${index}: "!"\n`).join('')}${ok}`,
      'wf.yaml:2:3 workerSelector: has 33 labels; a selector may name at most 32',
    ],
    ['missedTicks is skip or latest', `missedTicks: all\n${ok}`, 'wf.yaml:1:14 missedTicks: must be "skip" or "latest", got "all"'],
    // preconditions
    [
      'a precondition needs a condition, and negate is true or false',
      'steps:\n  - name: a\n    command: x\n    preconditions:\n      - expected: "yes"\n      - condition: "${A}"\n        expected: "yes"\n        negate: "no"\n',
      [
        'wf.yaml:5:9 steps[0] (a).preconditions[0]: needs a non-empty "condition"',
        'wf.yaml:8:17 steps[0] (a).preconditions[1].negate: must be true or false, got "no"',
      ].join('\n'),
    ],
    [
      'a regular expression in expected must compile',
      'steps:\n  - name: a\n    command: x\n    preconditions:\n      - condition: "${A}"\n        expected: "re:(unclosed"\n',
      'wf.yaml:6:19 steps[0] (a).preconditions[0].expected: invalid regular expression after "re:": Invalid regular expression: /(unclosed/: Unterminated group',
    ],
    [
      'a precondition is a map or a command',
      'steps:\n  - name: a\n    command: x\n    preconditions:\n      - [test, -f, x]\n',
      'wf.yaml:5:9 steps[0] (a).preconditions[0]: must be {condition: "...", expected: "..."} or a command that must exit 0, got a list',
    ],
    // params and env
    [
      'params need NAME=value, valid and unique names, and plain values',
      `params:\n  - A=1\n  - positional\n  - 1X=2\n  - A=3\n  - B: {c: 1}\n${ok}`,
      [
        'wf.yaml:4:5 params[2]: "1X" is not a valid name; use letters, digits and "_", not starting with a digit',
        'wf.yaml:5:5 params[3]: "A" is set twice (first in params[0]); keep one',
        'wf.yaml:6:8 params[4].B: must be a string, number or boolean, got a map',
      ].join('\n'),
    ],
    ['params must be a line, a map or a list', `params: [[1]]\n${ok}`, 'wf.yaml:1:10 params[0]: must be NAME=value, {NAME: value} or {name: NAME, default: value}, got a list'],
    [
      'env names follow the variable rule',
      'steps:\n  - name: a\n    command: x\n    env:\n      my-var: 1\n',
      'wf.yaml:5:7 steps[0] (a).env: "my-var" is not a valid name; use letters, digits and "_", not starting with a digit',
    ],
    ['tags must be strings', `tags: [[a]]\n${ok}`, 'wf.yaml:1:8 tags[0]: must be a tag (a string or {key: value}), got a list'],
    // schedule
    ['an invalid cron expression reports croner\'s reason', `schedule: "61 * * * *"\n${ok}`, 'wf.yaml:1:11 schedule[0]: invalid cron "61 * * * *": Invalid value for minute: 61'],
    [
      'a cron expression has five fields',
      `schedule:\n  - "0 3 * * *"\n  - "0 0 3 * * *"\n${ok}`,
      'wf.yaml:3:5 schedule[1]: invalid cron "0 0 3 * * *": mode \'5-part\' requires exactly 5 parts, but pattern \'0 0 3 * * *\' has 6 parts.',
    ],
    [
      'an unknown time zone is reported with a suggestion',
      `schedule: "CRON_TZ=Europe/Pari 0 9 * * *"\n${ok}`,
      'wf.yaml:1:11 schedule[0]: unknown time zone "Europe/Pari" in "CRON_TZ=Europe/Pari 0 9 * * *"; did you mean "Europe/Paris"?',
    ],
    ['a cron expression that never fires is refused', `schedule: "0 0 30 2 *"\n${ok}`, 'wf.yaml:1:11 schedule[0]: cron "0 0 30 2 *" never fires (no date matches it)'],
    ['a schedule entry must be a string', `schedule: [5]\n${ok}`, 'wf.yaml:1:12 schedule[0]: must be a cron expression such as "0 3 * * *", got 5'],
    [
      "Dagu's start/stop schedules are not supported yet",
      `schedule:\n  start: "0 8 * * *"\n  stop: "0 18 * * *"\n${ok}`,
      'wf.yaml:2:3 schedule: start/stop/restart schedules are a Dagu feature Runtrail does not support yet; write one cron expression or a list of them',
    ],
    // handlers
    [
      'handlers have a known kind',
      `handlerOn:\n  sucess:\n    command: x\n  cancel:\n    command: x\n${ok}`,
      [
        'wf.yaml:2:3 handlerOn: unknown key "sucess"; supported: abort, exit, failure, success; did you mean "success"?',
        'wf.yaml:4:3 handlerOn: "cancel" is a Dagu key Runtrail does not support; it is Dagu\'s older name for "abort"; write abort',
      ].join('\n'),
    ],
    [
      'a handler has no name, depends or output',
      `handlerOn:\n  failure:\n    name: notify\n    depends: [a]\n    output: OUT\n    command: x\n${ok}`,
      [
        'wf.yaml:3:5 handlerOn.failure: a handler is recorded as the step "onFailure"; remove "name"',
        'wf.yaml:4:5 handlerOn.failure: a handler runs when the workflow ends, so it has no "depends"; remove it',
        'wf.yaml:5:5 handlerOn.failure: nothing runs after a handler to use its "output"; remove it',
      ].join('\n'),
    ],
    ['a handler cannot wait for approval', `handlerOn:\n  exit:\n    type: approval\n${ok}`, 'wf.yaml:3:11 handlerOn.exit.type: a handler cannot wait for approval; remove "type"'],
    ['a handler must be a step', `handlerOn:\n  exit: [echo, bye]\n${ok}`, 'wf.yaml:2:9 handlerOn.exit: must be a map with a command (or the command itself, as a string), got a list'],
  ])('%s', (_sentence, yamlText, expected) => {
    const problems = problemsOf(yamlText);

    expect(problems).toBe(expected);
  });

  it('reports every problem of a file, in file order, not just the first', () => {
    const yamlText = [
      'name: etl',
      'schedule: "61 * * * *"',
      'dotenv: .env',
      'steps:',
      '  - name: extract',
      '    comand: ./extract',
      '  - name: load',
      '    depends: extrct',
      '    command: ./load',
      '    timeoutSec: later',
    ].join('\n');

    const problems = problemsOf(yamlText).split('\n');

    expect(problems).toEqual([
      'wf.yaml:2:11 schedule[0]: invalid cron "61 * * * *": Invalid value for minute: 61',
      'wf.yaml:5:5 steps[0] (extract): needs a "command" or a "script" (or type: approval for a step that waits for a person)',
      'wf.yaml:6:5 steps[0] (extract): unknown key "comand"; supported: call, command, continueOn, depends, description, dir, env, executor, id, logOutput, mailOnError, name, output, parallel, params, precondition, preconditions, repeatPolicy, retryPolicy, run, script, shell, signalOnStop, stderr, stdout, timeoutSec, type, with, workingDir; did you mean "command"?',
      'wf.yaml:8:14 steps[1] (load).depends: unknown step "extrct"; steps are: extract, load; did you mean "extract"?',
      'wf.yaml:10:17 steps[1] (load).timeoutSec: must be a positive number of seconds, got "later"',
    ]);
  });

  it('gives each problem a machine path without step names', () => {
    const result = parseWorkflow('steps:\n  - name: deploy\n    depends: nope\n    command: x\n', { defaultName: 'wf' });

    const problems = result.ok ? [] : result.problems;

    expect(problems).toEqual([{ message: 'steps[0] (deploy).depends: unknown step "nope"; steps are: deploy', line: 3, column: 14, path: 'steps[0].depends' }]);
  });

  it('refuses a file name that is not a valid workflow name when the file has no name', () => {
    const result = parseWorkflow('steps:\n  - name: a\n    command: x\n', { defaultName: 'my flow.yaml' });

    const message = result.ok ? '' : formatProblems(result.problems);

    expect(message).toBe(
      '1:1 name: the file name "my flow" is not a valid workflow name; add a "name" or rename the file (use up to 100 letters, digits, "_", "." and "-", starting with a letter or digit)',
    );
  });

  it('asks for a name when there is neither a name nor a file name', () => {
    const result = parseWorkflow('steps:\n  - name: a\n    command: x\n');

    const message = result.ok ? '' : formatProblems(result.problems);

    expect(message).toBe('1:1 name: missing; add a "name"');
  });
});

describe('formatProblems', () => {
  it.each([
    ['file, line and column lead the message', [{ message: 'steps[0].depends: unknown step "x"', line: 3, column: 5, path: 'steps[0].depends' }], 'f.yaml', 'f.yaml:3:5 steps[0].depends: unknown step "x"'],
    ['a problem without a position gets the file name only', [{ message: 'workflow: the file is empty', line: null, column: null, path: '' }], 'f.yaml', 'f.yaml workflow: the file is empty'],
    ['without a file name the position leads', [{ message: 'name: bad', line: 1, column: 7, path: 'name' }], undefined, '1:7 name: bad'],
    [
      'problems are written one per line',
      [
        { message: 'a: one', line: 1, column: 1, path: 'a' },
        { message: 'b: two', line: 2, column: 3, path: 'b' },
      ],
      'f.yaml',
      'f.yaml:1:1 a: one\nf.yaml:2:3 b: two',
    ],
  ])('%s', (_sentence, problems, fileName, expected) => {
    const text = formatProblems(problems, fileName);

    expect(text).toBe(expected);
  });
});

describe('workflows with very many steps', () => {
  /** `count` steps in Dagu's implicit chain; `cyclic` makes the first depend on the last, closing it into one cycle. */
  function manySteps(count: number, cyclic = false): string {
    const lines = ['steps:'];
    for (let index = 0; index < count; index += 1) {
      lines.push(`  - name: s${index}`, '    command: "true"');
      if (index === 0 && cyclic) lines.push(`    depends: [s${count - 1}]`);
    }
    return `${lines.join('\n')}\n`;
  }

  it.each([
    ['a chain', manySteps(10_000)],
    ['a cycle', manySteps(10_000, true)],
  ])('refuses %s of 10,000 steps by the step limit, with where and how to fix it', (_shape, yamlText) => {
    const problems = problemsOf(yamlText);

    expect(problems).toBe('wf.yaml:2:3 steps: has 10000 steps; a workflow may have at most 1000; split it into several workflows');
  });

  it('validates a chain of 10,000 steps when the limit allows it (the graph walks need no call stack)', () => {
    const result = parseWorkflow(manySteps(10_000), { defaultName: 'wf', maxSteps: 10_000 });

    expect(result.ok && result.spec.steps.length).toBe(10_000);
    expect(result.ok && result.spec.steps[9_999]?.depends).toEqual(['s9998']);
  });

  it('reports a cycle of 10,000 steps with its steps when the limit allows it', () => {
    const result = parseWorkflow(manySteps(10_000, true), { defaultName: 'wf', maxSteps: 10_000 });

    const message = result.ok ? '' : formatProblems(result.problems);
    expect(message.startsWith('4:15 steps: dependency cycle s0 → s1 → s2 → ')).toBe(true);
    expect(message).toContain('s9998 → s9999 → s0 (');
  });
});

describe('aliases and merge keys that multiply', () => {
  /** Each level merges the one before it four times: 4^levels values from a file of a few hundred bytes. */
  function nestedMerges(levels: number): string {
    const lines = ['x0: &a0 {k: v}'];
    for (let level = 1; level <= levels; level += 1) {
      const previous = `*a${level - 1}`;
      lines.push(`x${level}: &a${level} {<<: [${previous}, ${previous}, ${previous}, ${previous}], k${level}: v}`);
    }
    lines.push('steps:', '  - name: s', '    command: echo', `    env: *a${levels}`);
    return `${lines.join('\n')}\n`;
  }

  it('refuses nested merges past the bound, naming the bound and the line where it was reached', () => {
    const yamlText = nestedMerges(8);

    const problems = problemsOf(yamlText).split('\n');

    expect(yamlText.length).toBeLessThan(1_000);
    expect(problems.filter((problem) => problem.includes('expand'))).toEqual([
      expect.stringMatching(/^wf\.yaml:\d+:\d+ steps\[0\] \(s\)\.env: aliases and merge keys \("<<"\) expand to more than 10000 values; write the values out, or merge fewer times$/),
    ]);
  });

  it('still reads defaults merged into many steps', () => {
    const steps = Array.from({ length: 200 }, (_, index) => `  - name: s${index}\n    command: echo\n    env:\n      <<: *defaults\n      N: "${index}"`);
    const yamlText = `x-defaults: &defaults {A: "1", B: "2", C: "3"}\nsteps:\n${steps.join('\n')}\n`;

    const result = parseWorkflow(yamlText, { defaultName: 'wf' });

    expect(result.ok ? [] : result.problems.map((problem) => problem.message)).toEqual(['workflow: unknown key "x-defaults"; supported: defaults, delaySec, description, dotenv, env, errorMail, group, handlerOn, histRetentionDays, histRetentionRuns, infoMail, logDir, logOutput, mailOn, maxActiveRuns, maxActiveSteps, maxCleanUpTimeSec, maxOutputSize, missedTicks, name, params, precondition, preconditions, queue, restartWaitSec, schedule, shell, smtp, ssh, steps, tags, timeoutSec, type, workerSelector, workingDir; did you mean "defaults"?']);
  });
});
