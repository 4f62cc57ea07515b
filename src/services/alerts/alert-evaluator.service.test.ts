import { createProjectWithWorkflow } from '../../test/factories.ts';
import { composeTestServices } from '../../test/compose.ts';
import { ManualClock } from '../../test/manual-clock.ts';
import { PROVIDERS, useMigratedDatabase } from '../../test/database-suite.ts';
import { alertNoticeOf } from '../../domain/alerts/alert-notice-json.ts';
import { parseAlertRule, type AlertRuleDraft } from '../../domain/alerts/alert-rule.ts';
import { newId } from '../../domain/ids.ts';
import type { RunStatus } from '../../domain/status.ts';

describe.each(PROVIDERS)('alert evaluation (%s)', (provider) => {
  const database = useMigratedDatabase(provider);
  const clock = new ManualClock(new Date('2026-12-01T12:00:00Z'));

  async function setUp(draft: Partial<AlertRuleDraft> & { kind: string }) {
    const services = composeTestServices(database(), { clock });
    const { project, workflow } = await createProjectWithWorkflow(services, ['build']);
    const contactPoint = await database().db.contactPoint.create({
      data: { id: newId('cpt'), projectId: project.id, name: 'ops', kind: 'WEBHOOK', settings: '{"url":"http://127.0.0.1:9/"}', createdAt: clock.now(), updatedAt: clock.now() },
    });
    const rule = await services.repositories.alertRules.save({
      id: newId('rule'),
      projectId: project.id,
      spec: parseAlertRule({ name: 'breaks', groupWaitSeconds: 0, ...draft }),
      contactPointIds: [contactPoint.id],
      actor: 'admin',
      now: clock.now(),
    });
    // Runs that ended before the evaluator first looked are history, not news.
    await services.alertEvaluator.catchUp();
    const finishRun = async (status: RunStatus) => {
      const run = await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'MANUAL', steps: ['build'] });
      await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
      await services.recorder.recordTransition({ runId: run.id, to: status });
      return run.id;
    };
    const alerts = () => database().db.alertInstance.findMany({ where: { ruleId: rule.id } });
    const events = () => database().db.alertEvent.findMany({ where: { ruleId: rule.id }, orderBy: { seq: 'asc' } });
    const outbox = async () =>
      (await database().db.alertNotification.findMany({ where: { contactPointId: contactPoint.id }, orderBy: { createdAt: 'asc' } })).map((row) => ({ ...row, notice: alertNoticeOf(row.payload, row.id) }));
    return { services, project, workflow, rule, finishRun, alerts, events, outbox };
  }

  it('fires CONSECUTIVE_FAILURES once at the streak, notifies through the outbox, and resolves at the next success', async () => {
    const { services, workflow, finishRun, alerts, events, outbox } = await setUp({ kind: 'CONSECUTIVE_FAILURES', count: 2 });
    await finishRun('FAILED');
    await services.alertEvaluator.catchUp();
    expect(await alerts()).toEqual([expect.objectContaining({ state: 'INACTIVE', summary: expect.stringContaining('1 of 2 consecutive failures') })]);

    const second = await finishRun('FAILED');
    await finishRun('FAILED');
    await services.alertEvaluator.catchUp();
    expect(await alerts()).toEqual([expect.objectContaining({ groupKey: workflow.id, state: 'FIRING', firingNotified: true })]);
    const [firing] = await outbox();
    expect(await outbox()).toHaveLength(1);
    expect(firing?.notice).toMatchObject({ type: 'alert.firing', alerts: [{ workflowName: workflow.name, state: 'FIRING', ruleName: 'breaks' }] });
    expect(firing?.notice.alerts[0]?.runId).not.toBe(second);

    await finishRun('SUCCEEDED');
    await services.alertEvaluator.catchUp();
    expect((await alerts())[0]?.state).toBe('RESOLVED');
    expect((await events()).map(({ from, to }) => `${from}→${to}`)).toEqual(['INACTIVE→FIRING', 'FIRING→RESOLVED']);
    expect((await outbox()).map(({ notice }) => notice.type)).toEqual(['alert.firing', 'alert.resolved']);
  });

  it('takes a firing notice back when the alert resolves within its group wait, and sends no resolution then', async () => {
    const { services, finishRun, alerts, outbox } = await setUp({ kind: 'RUN_FAILED', groupWaitSeconds: 60 });
    await finishRun('FAILED');
    await services.alertEvaluator.catchUp();
    expect(await outbox()).toHaveLength(1);

    await finishRun('SUCCEEDED');
    await services.alertEvaluator.catchUp();
    expect((await alerts())[0]).toMatchObject({ state: 'RESOLVED', firingNotified: false });
    expect(await outbox()).toEqual([]);
  });

  it('records a transition once when two evaluators read the same run ends (a leader failover)', async () => {
    const { services, finishRun, events } = await setUp({ kind: 'RUN_FAILED' });
    const other = composeTestServices(database(), { clock });
    await finishRun('FAILED');
    await Promise.all([services.alertEvaluator.catchUp(), other.alertEvaluator.catchUp()]);
    expect((await events()).map(({ to }) => to)).toEqual(['FIRING']);
  });

  it('waits PENDING for `for` and fires on the tick once it held that long; reminds after the repeat interval', async () => {
    const { services, finishRun, alerts, outbox } = await setUp({ kind: 'RUN_FAILED', forSeconds: 300, repeatIntervalSeconds: 3600 });
    await finishRun('FAILED');
    await services.alertEvaluator.catchUp();
    expect((await alerts())[0]?.state).toBe('PENDING');
    expect(await outbox()).toEqual([]);

    clock.set(new Date(clock.now().getTime() + 300_000));
    await services.alertEvaluator.tick();
    expect((await alerts())[0]?.state).toBe('FIRING');
    expect(await outbox()).toHaveLength(1);

    clock.set(new Date(clock.now().getTime() + 1_800_000));
    await services.alertEvaluator.tick();
    expect(await outbox()).toHaveLength(1);
    clock.set(new Date(clock.now().getTime() + 1_800_000));
    await services.alertEvaluator.tick();
    expect((await outbox()).map(({ notice }) => notice.type)).toEqual(['alert.firing', 'alert.firing']);
  });
  it('records transitions but sends nothing while a silence matches, and notifies the alert still firing once it ends', async () => {
    const { services, project, workflow, finishRun, alerts, events, outbox } = await setUp({ kind: 'RUN_FAILED' });
    const silence = await services.repositories.silences.create({
      id: newId('silence', clock.now()),
      projectId: project.id,
      matchers: { ruleIds: [], workflowIds: [], workflowNames: [workflow.name] },
      startsAt: clock.now(),
      endsAt: new Date(clock.now().getTime() + 3_600_000),
      comment: 'maintenance',
      createdBy: 'ops',
      createdAt: clock.now(),
    });
    await finishRun('FAILED');
    await services.alertEvaluator.catchUp();
    expect((await events()).map(({ to }) => to)).toEqual(['FIRING']);
    expect(await outbox()).toEqual([]);

    await services.repositories.silences.expire(silence.id, clock.now());
    await services.alertEvaluator.tick();
    expect((await alerts())[0]?.firingNotified).toBe(true);
    expect((await outbox()).map(({ notice }) => notice.type)).toEqual(['alert.firing']);
  });

  it('damps a flapping alert: a workflow failing every other minute for two hours sends its first firing and that it flaps, not 120 notices', async () => {
    const { services, finishRun, outbox } = await setUp({ kind: 'RUN_FAILED' });
    const start = clock.now().getTime();
    for (let minute = 0; minute < 120; minute += 1) {
      clock.set(new Date(start + minute * 60_000));
      await finishRun(minute % 2 === 0 ? 'FAILED' : 'SUCCEEDED');
      await services.alertEvaluator.catchUp();
    }
    const notices = await outbox();
    const sent = notices.map(({ notice }) => notice.type);
    // The resolution after the first minute was held back, and taken back when it failed again.
    expect(sent).toEqual(['alert.firing', 'alert.flapping']);
    expect(notices[0]?.notice.alerts[0]?.runId).toBeTruthy();
    const hours = notices.map(({ createdAt }) => Math.floor((createdAt.getTime() - start) / 3_600_000));
    for (const hour of [0, 1]) expect(hours.filter((at) => at === hour).length).toBeLessThanOrEqual(2);

    clock.set(new Date(start + 150 * 60_000));
    await services.alertEvaluator.tick();
    expect((await outbox()).map(({ notice }) => notice.type)).toEqual([...sent, 'alert.resolved']);

    // Settled: the changes still in the last hour do not make it flap again without a new one.
    clock.set(new Date(start + 151 * 60_000));
    await finishRun('SUCCEEDED');
    await services.alertEvaluator.catchUp();
    expect((await outbox()).map(({ notice }) => notice.type)).toEqual([...sent, 'alert.resolved']);
  });
  it('fires DURATION_OVER on the tick while a run is still running past the limit, and resolves after a run within it', async () => {
    const { services, project, workflow, alerts } = await setUp({ kind: 'DURATION_OVER', limitSeconds: 60 });
    const run = await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'MANUAL', steps: ['build'] });
    await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
    clock.set(new Date(clock.now().getTime() + 30_000));
    await services.alertEvaluator.tick();
    expect(await alerts()).toEqual([]);

    clock.set(new Date(clock.now().getTime() + 31_000));
    await services.alertEvaluator.tick();
    expect((await alerts())[0]).toMatchObject({ state: 'FIRING', summary: expect.stringContaining(`run ${run.id} has been running 61.0 s, over the limit of 60.0 s`) });

    await services.recorder.recordTransition({ runId: run.id, to: 'SUCCEEDED' });
    const quick = await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'MANUAL', steps: ['build'] });
    await services.recorder.recordTransition({ runId: quick.id, to: 'RUNNING' });
    clock.set(new Date(clock.now().getTime() + 5_000));
    await services.recorder.recordTransition({ runId: quick.id, to: 'SUCCEEDED' });
    await services.alertEvaluator.catchUp();
    expect((await alerts())[0]?.state).toBe('RESOLVED');
  });
  it('fires MISSING_SUCCESS on the tick when a scheduled workflow has not succeeded since its last fire plus grace, and resolves at its success', async () => {
    const { services, project, alerts } = await setUp({ kind: 'MISSING_SUCCESS', graceMinutes: 1, workflowNames: ['every-five'] });
    const scheduled = await services.repositories.workflows.create({
      id: newId('wf'),
      projectId: project.id,
      name: 'every-five',
      definition: 'schedule: "*/5 * * * *"\nsteps:\n  - name: build\n    command: "true"\n',
      hash: newId('wf'),
      tags: [],
      schedule: '*/5 * * * *',
    });
    clock.set(new Date('2026-12-01T12:00:30Z'));
    await services.alertEvaluator.tick();
    expect(await alerts()).toEqual([]);

    clock.set(new Date('2026-12-01T12:01:30Z'));
    await services.alertEvaluator.tick();
    expect((await alerts())[0]).toMatchObject({ groupKey: scheduled.id, state: 'FIRING', summary: expect.stringContaining('no success since the run expected at 2026-12-01T12:00:00.000Z') });

    const run = await services.recorder.createRun({ projectId: project.id, workflowId: scheduled.id, trigger: 'SCHEDULER', steps: ['build'] });
    await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
    await services.recorder.recordTransition({ runId: run.id, to: 'SUCCEEDED' });
    await services.alertEvaluator.catchUp();
    expect((await alerts())[0]?.state).toBe('RESOLVED');
  });
  it('fires STATUS_SWING when this hour’s failures depart from the same hour of the last 4 weeks', async () => {
    const { services, project, workflow, alerts } = await setUp({ kind: 'STATUS_SWING', windowMinutes: 60, minDelta: 0.2, minRuns: 20 });
    const now = clock.now().getTime();
    const runAt = async (at: number, status: RunStatus) => {
      clock.set(new Date(at));
      const run = await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'MANUAL', steps: ['build'] });
      await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
      await services.recorder.recordTransition({ runId: run.id, to: status });
    };
    for (let week = 1; week <= 4; week += 1) {
      for (let index = 0; index < 5; index += 1) await runAt(now - week * 7 * 86_400_000 - 30 * 60_000 + index * 1_000, index === 0 ? 'FAILED' : 'SUCCEEDED');
    }
    for (let index = 0; index < 20; index += 1) await runAt(now - 10 * 60_000 + index * 1_000, index < 14 ? 'FAILED' : 'SUCCEEDED');
    clock.set(new Date(now));
    await services.alertEvaluator.catchUp();
    expect((await alerts())[0]).toMatchObject({ state: 'FIRING', summary: expect.stringContaining('FAILED 70.0% of 20 runs in the last 60 min against 20.0%') });
  });

  it('fires an ANOMALY rule on the tick while an anomaly of its kinds is open, and resolves when it ends', async () => {
    const { services, project, workflow, alerts, events } = await setUp({ kind: 'ANOMALY', anomalyKinds: ['MISSED_SCHEDULE'] });
    const at = clock.now().getTime();
    const finding = (kind: 'MISSED_SCHEDULE' | 'DURATION_SPIKE') => ({ kind, series: { workflowId: workflow.id, step: null }, start: at, raisedAt: at, end: null, score: 1, expected: 1, observed: 0, lower: 1, upper: 1 });
    // Another kind than the rule's does not fire it.
    await services.repositories.anomalies.raise(newId('anm'), project.id, finding('DURATION_SPIKE'));
    await services.alertEvaluator.tick();
    expect(await alerts()).toEqual([]);

    await services.repositories.anomalies.raise(newId('anm'), project.id, finding('MISSED_SCHEDULE'));
    await services.alertEvaluator.tick();
    expect(await alerts()).toEqual([expect.objectContaining({ groupKey: workflow.id, state: 'FIRING', summary: expect.stringContaining('MISSED_SCHEDULE since') })]);

    await services.repositories.anomalies.end({ ...finding('MISSED_SCHEDULE'), end: at + 60_000 });
    await services.alertEvaluator.tick();
    expect((await alerts())[0]?.state).toBe('RESOLVED');
    expect((await events()).map(({ from, to }) => `${from}→${to}`)).toEqual(['INACTIVE→FIRING', 'FIRING→RESOLVED']);
  });

  it('fires an INCIDENT rule on the tick while an incident holds failures of its workflows, telling nothing of the other projects, and resolves when it closes', async () => {
    const { services, project, workflow, alerts, events } = await setUp({ kind: 'INCIDENT' });
    const elsewhere = newId('prj');
    const member = (projectId: string, workflowId: string, index: number) => ({ runId: `run-${newId('run')}`, projectId, workflowId, at: new Date(clock.now().getTime() - index * 60_000), error: 'timeout', failedStep: 'build', trigger: 'SCHEDULER', worker: null, tags: [] });
    const parts = {
      members: [member(project.id, workflow.id, 1), member(project.id, workflow.id, 2), member(elsewhere, 'wf-elsewhere', 3), member(elsewhere, 'wf-elsewhere', 4), member(elsewhere, 'wf-elsewhere', 5)],
      projects: [
        { projectId: project.id, members: 2, others: 0 },
        { projectId: elsewhere, members: 3, others: 0 },
      ],
      attributes: [],
    };
    const incident = await services.repositories.incidents.open(newId('inc'), clock.now(), parts);
    await services.alertEvaluator.tick();
    const [firing] = await alerts();
    expect(firing).toMatchObject({ groupKey: workflow.id, state: 'FIRING', summary: `2 failures of this workflow in incident ${incident?.id}, open since ${clock.now().toISOString()} (failures clustering across projects)` });
    expect(firing?.summary).not.toContain(elsewhere);

    await services.repositories.incidents.update(incident?.id ?? '', parts, clock.now());
    await services.alertEvaluator.tick();
    expect((await alerts())[0]?.state).toBe('RESOLVED');
    expect((await events()).map(({ from, to }) => `${from}→${to}`)).toEqual(['INACTIVE→FIRING', 'FIRING→RESOLVED']);
  });
});
