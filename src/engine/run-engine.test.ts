import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Services } from '../composition.ts';
import { ResponseBudget } from '../domain/response-budget.ts';
import { ADMIN_PRINCIPAL } from '../test/principals.ts';
import { composeTestServices } from '../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';
import { eventTrail, saveTestWorkflow, stepsOf, waitForRunEnd, waitForRunStatus, waitForStepStatus } from '../test/engine-helpers.ts';

describe.each(PROVIDERS)('RunEngine with real child processes on %s', (provider) => {
  const database = useMigratedDatabase(provider);
  let services: Services;

  beforeAll(async () => {
    services = composeTestServices(database());
    await services.engine.start({ recover: false });
  });
  afterAll(async () => {
    await services.engine.stop('test over');
  });

  async function runToEnd(yaml: string, params?: Record<string, string>) {
    const workflow = await saveTestWorkflow(services, yaml);
    const run = await services.control.start(workflow, params ?? {}, 'MANUAL', 'tester');
    return { workflow, run: await waitForRunEnd(services, run.id) };
  }

  it('runs steps in dependency order, passes outputs and params, and ends SUCCEEDED', async () => {
    const { run } = await runToEnd(`
params:
  GREETING: hello
steps:
  - name: produce
    command: echo "\${GREETING} world"
    output: MESSAGE
  - name: left
    depends: produce
    command: echo left
  - name: right
    depends: produce
    command: echo right
  - name: consume
    depends: [left, right]
    command: test "\${MESSAGE}" = "hello world" && echo "got \${MESSAGE}"
`);

    const log = await services.runQueries.stepLog(ADMIN_PRINCIPAL, run.id, 'consume', 0, 1000, new ResponseBudget(1000));
    const trail = await eventTrail(services, run.id);
    expect(run.status).toBe('SUCCEEDED');
    expect(log.content).toBe('got hello world\n');
    expect(log.complete).toBe(true);
    expect(trail.indexOf('produce:SUCCEEDED')).toBeLessThan(trail.indexOf('left:RUNNING'));
    expect(trail.indexOf('right:SUCCEEDED')).toBeLessThan(trail.indexOf('consume:RUNNING'));
    expect(trail.at(-1)).toBe('run:SUCCEEDED');
  });

  it('decides a step when its last dependency ends, wherever the steps stand in the file, and aborts a chain behind a failure', async () => {
    const { run } = await runToEnd(`
steps:
  - name: second-behind
    depends: first-behind
    command: echo never
  - name: after-both
    depends: [slow, quick]
    command: echo done
  - name: first-behind
    depends: broken
    command: echo never
  - name: slow
    depends: []
    command: sleep 0.3
  - name: quick
    depends: []
    command: "true"
  - name: broken
    depends: []
    command: exit 4
`);

    const trail = await eventTrail(services, run.id);
    expect(await stepsOf(services, run.id)).toEqual({ 'second-behind': 'ABORTED', 'after-both': 'SUCCEEDED', 'first-behind': 'ABORTED', slow: 'SUCCEEDED', quick: 'SUCCEEDED', broken: 'FAILED' });
    expect(trail.indexOf('slow:SUCCEEDED')).toBeLessThan(trail.indexOf('after-both:RUNNING'));
    expect(trail.indexOf('quick:SUCCEEDED')).toBeLessThan(trail.indexOf('after-both:RUNNING'));
    expect(trail.indexOf('first-behind:ABORTED')).toBeLessThan(trail.indexOf('second-behind:ABORTED'));
  });

  it('overrides a param per run', async () => {
    const { run } = await runToEnd('params:\n  WHO: nobody\nsteps:\n  - name: greet\n    command: test "${WHO}" = "ops"\n', { WHO: 'ops' });

    expect(run.status).toBe('SUCCEEDED');
  });

  it('ends FAILED with the failing step named, and aborts what depended on it', async () => {
    const { run } = await runToEnd('steps:\n  - name: build\n    command: exit 3\n  - name: deploy\n    command: echo never\n');

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('Step "build" failed with exit code 3');
    expect(await stepsOf(services, run.id)).toEqual({ build: 'FAILED', deploy: 'ABORTED' });
  });

  it('runs a step whose log file on this disk cannot be written, its log kept in the database', async () => {
    const { run } = await runToEnd(`
steps:
  - name: first
    command: mkdir "\${DAG_RUN_LOG_FILE%/*}/second.log"
  - name: second
    command: echo still logged
`);
    const log = await services.runQueries.stepLog(ADMIN_PRINCIPAL, run.id, 'second', 0, 1000, new ResponseBudget(1000));

    expect(run.status).toBe('SUCCEEDED');
    expect(log.content).toBe('still logged\n');
  });

  it('retries a failing step up to its limit, recording every attempt', async () => {
    const { run } = await runToEnd(`
steps:
  - name: flaky
    command: |
      n=$(cat "\${RUNTRAIL_RUN_ID}.count" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "\${RUNTRAIL_RUN_ID}.count"; test $n -ge 3
    retryPolicy:
      limit: 3
      intervalSec: 0.1
`);

    const trail = await eventTrail(services, run.id);
    const [step] = await services.repositories.steps.listByRunIds([run.id]);
    expect(run.status).toBe('SUCCEEDED');
    expect(trail.filter((entry) => entry.startsWith('flaky:'))).toEqual(['flaky:RUNNING', 'flaky:FAILED', 'flaky:RUNNING', 'flaky:FAILED', 'flaky:RUNNING', 'flaky:SUCCEEDED']);
    expect(step?.attempt).toBe(3);
  });

  it('lets a step wait for a dependency between its retries, while a step beside them ends', async () => {
    const { run } = await runToEnd(`
steps:
  - name: flaky
    command: test -f "\${RUNTRAIL_RUN_ID}.tried" || { touch "\${RUNTRAIL_RUN_ID}.tried"; exit 1; }
    retryPolicy: { limit: 1, intervalSec: 1 }
  - name: beside
    depends: []
    command: sleep 0.2
  - name: after
    depends: flaky
    command: echo after
`);

    expect(run.status).toBe('SUCCEEDED');
    expect(await stepsOf(services, run.id)).toEqual({ flaky: 'SUCCEEDED', beside: 'SUCCEEDED', after: 'SUCCEEDED' });
  });

  it('kills a step that outlives its timeout, with its children', async () => {
    const started = Date.now();
    const { run } = await runToEnd('steps:\n  - name: slow\n    command: sleep 30 & sleep 30; wait\n    timeoutSec: 0.5\n');

    const [step] = await services.repositories.steps.listByRunIds([run.id]);
    expect(run.status).toBe('FAILED');
    expect(step?.error).toBe('timed out after 0.5s');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('goes on past a failure continueOn allows and ends PARTIALLY_SUCCEEDED', async () => {
    const { run } = await runToEnd(`
steps:
  - name: optional
    command: exit 4
    continueOn:
      exitCode: [4]
  - name: after
    command: echo fine
`);

    expect(run.status).toBe('PARTIALLY_SUCCEEDED');
    expect(await stepsOf(services, run.id)).toEqual({ optional: 'FAILED', after: 'SUCCEEDED' });
  });

  it('skips a step whose precondition does not hold, and what depends on it', async () => {
    const { run } = await runToEnd(`
steps:
  - name: weekday-only
    command: echo work
    preconditions:
      - condition: "\`echo saturday\`"
        expected: "re:^(mon|tue)"
  - name: report
    command: echo report
  - name: independent
    depends: []
    command: echo always
`);

    const events = await services.repositories.events.listByRunIds([run.id]);
    expect(run.status).toBe('SUCCEEDED');
    expect(await stepsOf(services, run.id)).toEqual({ 'weekday-only': 'SKIPPED', report: 'SKIPPED', independent: 'SUCCEEDED' });
    expect(events.find((event) => event.to === 'SKIPPED')?.message).toBe('precondition "`echo saturday`" gave "saturday", expected "re:^(mon|tue)"');
  });

  it('runs the failure and exit handlers, and skips the success handler', async () => {
    const { run } = await runToEnd(`
steps:
  - name: main
    command: exit 1
handlerOn:
  success:
    command: echo success
  failure:
    command: echo "cleaning up after \${RUNTRAIL_RUN_ID}"
  exit:
    command: echo bye
`);

    const log = await services.runQueries.stepLog(ADMIN_PRINCIPAL, run.id, 'onFailure', 0, 1000, new ResponseBudget(1000));
    expect(run.status).toBe('FAILED');
    expect(await stepsOf(services, run.id)).toEqual({ main: 'FAILED', onSuccess: 'SKIPPED', onFailure: 'SUCCEEDED', onExit: 'SUCCEEDED' });
    expect(log.content).toBe(`cleaning up after ${run.id}\n`);
  });

  it('cancels a running step: SIGTERM to its group, the run ends ABORTED', async () => {
    const workflow = await saveTestWorkflow(services, 'steps:\n  - name: long\n    command: sleep 60\n  - name: next\n    command: echo never\n');
    const queued = await services.control.start(workflow, {}, 'MANUAL', 'tester');
    await waitForStepStatus(services, queued.id, 'long', 'RUNNING');

    const cancelled = await services.control.cancelRun(ADMIN_PRINCIPAL, queued.id);

    const events = await services.repositories.events.listByRunIds([queued.id]);
    expect(cancelled.status).toBe('ABORTED');
    expect(await stepsOf(services, queued.id)).toEqual({ long: 'ABORTED', next: 'ABORTED' });
    expect(events.at(-1)).toMatchObject({ to: 'ABORTED', actor: ADMIN_PRINCIPAL.username, message: `Cancelled by ${ADMIN_PRINCIPAL.username}` });
  });

  it('waits for an approval in WAITING and goes on once approved', async () => {
    const workflow = await saveTestWorkflow(services, 'steps:\n  - name: build\n    command: echo built\n  - name: approve\n    type: approval\n  - name: deploy\n    command: echo deployed\n');
    const queued = await services.control.start(workflow, {}, 'MANUAL', 'tester');
    const waiting = await waitForRunStatus(services, queued.id, (status) => status === 'WAITING');

    await services.control.approveStep(ADMIN_PRINCIPAL, queued.id, 'approve');
    const run = await waitForRunEnd(services, queued.id);

    const events = await services.repositories.events.listByRunIds([queued.id]);
    expect(await stepsOf(services, waiting.id)).toMatchObject({ approve: 'SUCCEEDED' });
    expect(run.status).toBe('SUCCEEDED');
    expect(events.find((event) => event.message === 'Approved')?.actor).toBe(ADMIN_PRINCIPAL.username);
  });

  it('ends REJECTED when the approval is rejected, with the reason recorded', async () => {
    const workflow = await saveTestWorkflow(services, 'steps:\n  - name: approve\n    type: approval\n  - name: deploy\n    command: echo never\n');
    const queued = await services.control.start(workflow, {}, 'MANUAL', 'tester');
    await waitForStepStatus(services, queued.id, 'approve', 'WAITING');

    const run = await services.control.rejectStep(ADMIN_PRINCIPAL, queued.id, 'approve', 'not on a Friday');

    const events = await services.repositories.events.listByRunIds([queued.id]);
    expect(run.status).toBe('REJECTED');
    expect(await stepsOf(services, queued.id)).toEqual({ approve: 'REJECTED', deploy: 'ABORTED' });
    expect(events.find((event) => event.to === 'REJECTED' && event.stepRunId)?.message).toBe('Rejected: not on a Friday');
  });

  it('keeps excess runs QUEUED under maxActiveRuns and starts them in arrival order', async () => {
    const workflow = await saveTestWorkflow(services, 'maxActiveRuns: 1\nsteps:\n  - name: work\n    command: sleep 0.3\n');

    const runs = [];
    for (let index = 0; index < 3; index += 1) runs.push(await services.control.start(workflow, {}, 'MANUAL', 'tester'));
    const finished = await Promise.all(runs.map((run) => waitForRunEnd(services, run.id)));

    const ordered = [...finished].sort((a, b) => (a.startedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0));
    expect(finished.map((run) => run.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(ordered.map((run) => run.id)).toEqual(runs.map((run) => run.id));
    for (let index = 1; index < ordered.length; index += 1) {
      expect(ordered[index]?.startedAt?.getTime() ?? 0).toBeGreaterThanOrEqual(ordered[index - 1]?.finishedAt?.getTime() ?? Infinity);
    }
  });

  it('retries from the failed step: earlier successes are carried over, not run again', async () => {
    // Each run has a fresh working directory, so the marker that outlives the first run lives elsewhere.
    const markers = mkdtempSync(path.join(os.tmpdir(), 'runtrail-markers-'));
    const { run: failed } = await runToEnd(`
steps:
  - name: prepare
    command: echo ready
    output: STATE
  - name: flaky
    dir: ${markers}
    command: test -f "\${RUNTRAIL_WORKFLOW}.fixed" || { touch "\${RUNTRAIL_WORKFLOW}.fixed"; exit 1; }
  - name: finish
    command: test "\${STATE}" = ready
`);

    const retried = await services.control.retryRun(ADMIN_PRINCIPAL, failed.id, true);
    const run = await waitForRunEnd(services, retried.id);

    const trail = await eventTrail(services, run.id);
    expect(failed.status).toBe('FAILED');
    expect(run).toMatchObject({ status: 'SUCCEEDED', retryOfId: failed.id, trigger: 'RETRY', attempt: 2 });
    expect(trail.filter((entry) => entry.startsWith('prepare:'))).toEqual(['prepare:SUCCEEDED']);
    expect(trail).toEqual(expect.arrayContaining(['flaky:RUNNING', 'flaky:SUCCEEDED', 'finish:SUCCEEDED']));
  });

  it('starts a step only once the end of the step it depends on is recorded: a refused record fails the dependent instead of running it', async () => {
    const marker = path.join(mkdtempSync(path.join(os.tmpdir(), 'runtrail-marker-')), 'ran');
    const refusal =
      provider === 'sqlite'
        ? [`CREATE TRIGGER refuse_end BEFORE UPDATE ON "StepRun" WHEN NEW.status = 'SUCCEEDED' AND NEW.name = 'unrecorded' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`]
        : [
            `CREATE FUNCTION refuse_end() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.status = 'SUCCEEDED' AND NEW.name = 'unrecorded' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`,
            `CREATE TRIGGER refuse_end BEFORE UPDATE ON "StepRun" FOR EACH ROW EXECUTE FUNCTION refuse_end()`,
          ];
    for (const statement of refusal) await database().db.$executeRawUnsafe(statement);
    try {
      // The precondition puts the dependent's start a few turns after the end it waits for: in a transaction of its own.
      const { run } = await runToEnd(`
steps:
  - name: unrecorded
    command: "true"
  - name: dependent
    command: touch "${marker}"
    preconditions:
      - condition: "test -d /"
`);

      const steps = await stepsOf(services, run.id);
      expect(run.status).toBe('FAILED');
      expect(steps.unrecorded).toBe('FAILED');
      expect(steps.dependent).not.toBe('SUCCEEDED');
      expect(existsSync(marker)).toBe(false);
    } finally {
      await database().db.$executeRawUnsafe('DROP TRIGGER refuse_end' + (provider === 'sqlite' ? '' : ' ON "StepRun"'));
    }
  });
});
