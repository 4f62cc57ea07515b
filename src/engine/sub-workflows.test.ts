import type { Services } from '../composition.ts';
import { newId } from '../domain/ids.ts';
import { MAX_CALL_DEPTH } from '../domain/workflow/sub-workflow-spec.ts';
import { ResponseBudget } from '../domain/response-budget.ts';
import type { RunRecord } from '../repositories/run.repository.ts';
import { composeTestServices } from '../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';
import { waitForRunEnd, waitForStepStatus } from '../test/engine-helpers.ts';
import { ADMIN_PRINCIPAL } from '../test/principals.ts';

describe.each(PROVIDERS)('sub-workflows: call steps, each child a run of its own, on %s', (provider) => {
  const database = useMigratedDatabase(provider);
  let services: Services;

  beforeAll(async () => {
    // One run at a time, over everything: a parent waiting for its children must not hold them out.
    services = composeTestServices(database(), { engine: { maxActiveRuns: 1, concurrency: 1 } });
    await services.engine.start({ recover: false });
  });
  afterAll(async () => {
    await services.engine.stop('test over');
  });

  /** Saves each file in one new project; returns the first workflow. */
  async function saveAll(...files: string[]) {
    const project = await services.repositories.projects.create({ id: newId('prj'), slug: `p-${newId('prj').slice(-10)}`, name: 'Sub-workflow test' });
    const saved = [];
    for (const yaml of files) {
      const result = await services.workflows.load({ projectId: project.id, yaml, source: 'api' });
      if (!result.ok) throw new Error(`invalid test workflow:\n${result.message}`);
      saved.push(result.workflow);
    }
    const [first] = saved;
    if (!first) throw new Error('no workflow');
    return first;
  }

  async function runToEnd(...files: string[]): Promise<RunRecord> {
    const run = await services.control.start(await saveAll(...files), {}, 'MANUAL', 'tester');
    return waitForRunEnd(services, run.id, 60_000);
  }

  async function stepRow(runId: string, name: string) {
    const row = (await services.repositories.steps.listByRunIds([runId])).find((candidate) => candidate.name === name);
    if (!row) throw new Error(`no step ${name}`);
    return row;
  }

  const child = `
name: greet
params: {WHO: nobody}
steps:
  - name: say
    command: echo "hello \${WHO}"
    output: GREETING
`;

  it('runs the called workflow as a run of its own (SUBDAG, linked to the step), its outputs the step\'s output, with call and its old name run', async () => {
    const parent = await runToEnd(
      `
name: parent
steps:
  - name: new-name
    call: greet
    params: "WHO=world"
    output: RESULT
  - name: old-name
    run: greet
    params: {WHO: "\${RESULT.outputs.GREETING}"}
  - name: check
    command: echo "\${RESULT}"
`,
      child,
    );
    expect(parent.status).toBe('SUCCEEDED');
    const children = await services.repositories.runs.listChildren([parent.id], 10);
    expect(children.map((run) => [run.trigger, run.status, run.parentStepName, run.params])).toEqual([
      ['SUBDAG', 'SUCCEEDED', 'new-name', { WHO: 'world' }],
      ['SUBDAG', 'SUCCEEDED', 'old-name', expect.anything()],
    ]);
    expect(children.every((run) => run.parentRunId === parent.id)).toBe(true);
    expect(JSON.parse((await stepRow(parent.id, 'new-name')).output ?? '')).toEqual({ name: 'greet', params: 'WHO=world', status: 'SUCCEEDED', outputs: { GREETING: 'hello world' } });
    const log = await services.runQueries.stepLog(ADMIN_PRINCIPAL, parent.id, 'new-name', 0, 10_000, new ResponseBudget(10_000));
    expect(log.content).toBe(`started run ${children[0]?.id} of greet with WHO=world\nrun ${children[0]?.id} of greet ended SUCCEEDED\n`);
  });

  it('refuses to nest calls deeper than MAX_CALL_DEPTH, so a workflow calling itself ends', async () => {
    const top = await runToEnd(`
name: again
steps:
  - name: deeper
    call: again
`);
    const chain = [top];
    for (let run = top; ; ) {
      const [next] = await services.repositories.runs.listChildren([run.id], 10);
      if (!next) break;
      chain.push(next);
      run = next;
    }
    expect(top.status).toBe('FAILED');
    expect(chain).toHaveLength(MAX_CALL_DEPTH);
    expect(chain.every((run) => run.status === 'FAILED')).toBe(true);
    expect((await stepRow(chain[MAX_CALL_DEPTH - 1]?.id ?? '', 'deeper')).error).toContain(`calls nest ${MAX_CALL_DEPTH} deep here`);
  });

  it('runs one child per item, maxConcurrent at a time, items from an earlier output, local workflows of the same file', async () => {
    const parent = await runToEnd(`
name: fan
steps:
  - name: list
    command: echo '["a", "b", "c"]'
    output: ITEMS
  - name: each
    call: square
    parallel:
      items: \${ITEMS}
      maxConcurrent: 2
    params: "LETTER=\${ITEM}"
    output: RESULTS
  - name: total
    command: echo "\${RESULTS}"
---
name: square
params: {LETTER: x}
steps:
  - name: double
    command: echo "\${LETTER}\${LETTER}"
    output: DOUBLE
`);
    expect(parent.status).toBe('SUCCEEDED');
    const results: unknown = JSON.parse((await stepRow(parent.id, 'each')).output ?? '');
    expect(results).toMatchObject({ summary: { total: 3, succeeded: 3, failed: 0 }, outputs: [{ DOUBLE: 'aa' }, { DOUBLE: 'bb' }, { DOUBLE: 'cc' }] });
    const children = await services.repositories.runs.listChildren([parent.id], 10);
    expect(children).toHaveLength(3);
    const local = await services.repositories.workflows.findById(children[0]?.workflowId ?? '');
    expect(local?.name).toBe('fan.square');
    expect(local?.source).toBe('local:fan');
  });

  it('fails the call step when a child fails, saying which, and when the workflow or a param is unknown', async () => {
    const parent = await runToEnd(
      `
name: parent-f
steps:
  - name: each
    call: flaky
    parallel: [ok, bad]
    params: "MODE=\${ITEM}"
    depends: []
  - name: unknown
    call: nowhere
    depends: []
  - name: wrong-param
    call: flaky
    params: "COLOUR=red"
    depends: []
handlerOn:
  failure:
    call: flaky
    params: "MODE=ok"
`,
      `
name: flaky
params: {MODE: ok}
steps:
  - name: go
    command: test "\${MODE}" = ok
`,
    );
    expect(parent.status).toBe('FAILED');
    const each = await stepRow(parent.id, 'each');
    expect(each.status).toBe('FAILED');
    expect(each.error).toMatch(/^flaky: 1 of 2 runs did not succeed: run \S+ FAILED \(Step "go" failed with exit code 1\)$/);
    expect((await stepRow(parent.id, 'unknown')).error).toBe('nowhere: item 1: no workflow "nowhere" in this project; save it there (or define it in this file after "---")');
    expect((await stepRow(parent.id, 'wrong-param')).error).toContain('params for "flaky": Unknown param "COLOUR"; this workflow takes: MODE');
    expect((await stepRow(parent.id, 'onFailure')).status).toBe('SUCCEEDED');
    const handlerChildren = (await services.repositories.runs.listChildren([parent.id], 10)).filter((run) => run.parentStepName === 'onFailure');
    expect(handlerChildren.map((run) => [run.status, run.params])).toEqual([['SUCCEEDED', { MODE: 'ok' }]]);
  });

  it('cancels the children of a call step past its timeoutSec and fails it', async () => {
    const parent = await runToEnd(
      `
name: parent-t
steps:
  - name: wait
    call: sleeper-t
    timeoutSec: 1
`,
      `
name: sleeper-t
steps:
  - name: nap
    command: sleep 60
`,
    );
    expect(parent.status).toBe('FAILED');
    expect((await stepRow(parent.id, 'wait')).error).toBe('timed out after 1s; its runs were cancelled');
    const children = await services.repositories.runs.listChildren([parent.id], 10);
    expect(children.map((run) => run.status)).toEqual(['ABORTED']);
  });

  it('cancels the children when the parent run is cancelled', async () => {
    const workflow = await saveAll(
      `
name: parent-c
steps:
  - name: wait
    call: sleeper
`,
      `
name: sleeper
steps:
  - name: nap
    command: sleep 60
`,
    );
    const run = await services.control.start(workflow, {}, 'MANUAL', 'tester');
    await waitForStepStatus(services, run.id, 'wait', 'RUNNING');
    let children: RunRecord[] = [];
    for (let tries = 0; children.length === 0 && tries < 200; tries += 1) {
      children = await services.repositories.runs.listChildren([run.id], 10);
      if (children.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const childRun = children[0];
    if (!childRun) throw new Error('no child started');
    await waitForStepStatus(services, childRun.id, 'nap', 'RUNNING');
    await services.control.cancelRun(ADMIN_PRINCIPAL, run.id);
    expect((await waitForRunEnd(services, run.id, 30_000)).status).toBe('ABORTED');
    expect((await waitForRunEnd(services, childRun.id, 30_000)).status).toBe('ABORTED');
  });
});

describe('a parent waiting for its children, picked up by another executor', () => {
  const database = useMigratedDatabase('sqlite');

  it('follows the children it had started instead of starting them again, and ends with them', async () => {
    // The first executor hands its runs back when it stops, as a worker does at SIGTERM.
    const first = composeTestServices(database(), { engine: { handBackOnStop: true } });
    await first.engine.start({ recover: false });
    const project = await first.repositories.projects.create({ id: newId('prj'), slug: `p-${newId('prj').slice(-10)}`, name: 'Recovery' });
    const saved = await first.workflows.load({
      projectId: project.id,
      source: 'api',
      yaml: `
name: parent-r
steps:
  - name: wait
    call: slow
    output: RESULT
---
name: slow
steps:
  - name: nap
    command: sleep 1; echo rested
    output: NAP
    retryPolicy: {limit: 1}
`,
    });
    if (!saved.ok) throw new Error(saved.message);
    const run = await first.control.start(saved.workflow, {}, 'MANUAL', 'tester');
    await waitForStepStatus(first, run.id, 'wait', 'RUNNING');
    let [childRun] = await first.repositories.runs.listChildren([run.id], 10);
    for (let tries = 0; !childRun && tries < 200; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      [childRun] = await first.repositories.runs.listChildren([run.id], 10);
    }
    if (!childRun) throw new Error('no child started');
    await waitForStepStatus(first, childRun.id, 'nap', 'RUNNING');
    await first.engine.stop('worker stopped');
    expect((await first.repositories.runs.findById(run.id))?.status).toBe('QUEUED');

    const second = composeTestServices(database());
    await second.engine.start({ recover: true });
    try {
      const ended = await waitForRunEnd(second, run.id, 60_000);
      expect(ended.status).toBe('SUCCEEDED');
      const children = await second.repositories.runs.listChildren([run.id], 10);
      expect(children.map((child) => [child.id, child.status])).toEqual([[childRun.id, 'SUCCEEDED']]);
      const wait = (await second.repositories.steps.listByRunIds([run.id])).find((step) => step.name === 'wait');
      expect(JSON.parse(wait?.output ?? '{}')).toMatchObject({ outputs: { NAP: 'rested' } });
    } finally {
      await second.engine.stop('test over');
    }
  });
});

describe.each(PROVIDERS)('the queue and sub-workflow runs on %s', (provider) => {
  const database = useMigratedDatabase(provider);

  it('leaves a queued child to a parent that can still run it, and takes one whose parent ended', async () => {
    // No engine: the runs stay as they are written.
    const services = composeTestServices(database());
    const project = await services.repositories.projects.create({ id: newId('prj'), slug: `p-${newId('prj').slice(-10)}`, name: 'Queue' });
    const saved = await services.workflows.load({ projectId: project.id, source: 'api', yaml: 'name: q\nsteps:\n  - name: a\n    command: "true"\n' });
    if (!saved.ok) throw new Error(saved.message);
    const base = { projectId: project.id, workflowId: saved.workflow.id, steps: ['a'], versionId: saved.versionId };
    const liveParent = await services.recorder.createRun({ ...base, trigger: 'MANUAL' });
    const endedParent = await services.recorder.createRun({ ...base, trigger: 'MANUAL' });
    await services.recorder.recordTransition({ runId: endedParent.id, to: 'FAILED', error: 'lost' });
    const followed = await services.recorder.createRun({ ...base, trigger: 'SUBDAG', parent: { runId: liveParent.id, stepName: 'a' } });
    const orphan = await services.recorder.createRun({ ...base, trigger: 'SUBDAG', parent: { runId: endedParent.id, stepName: 'a' } });

    const claimable = (await services.repositories.claims.listClaimable(new Date(), null, 100)).map((run) => run.id);
    expect(claimable).toContain(liveParent.id);
    expect(claimable).toContain(orphan.id);
    expect(claimable).not.toContain(followed.id);
  });
});
