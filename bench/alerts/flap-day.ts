// A simulated day of a flapping workflow, in this process on a manual clock: the evaluator's
// services on a temp SQLite database, a run ending every minute (failed, succeeded, failed, …),
// catchUp after each and a tick between them. Counts, per hour, the notifications the
// outbox got (flap damping) beside the FIRING and RESOLVED transitions the lifecycle alone made,
// which a rule without damping would each have notified.
import pino from 'pino';
import { openDatabase } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrator.ts';
import { parseAlertRule } from '../../src/domain/alerts/alert-rule.ts';
import { newId } from '../../src/domain/ids.ts';
import { BenchFailure } from '../shared/bench-failure.ts';
import { composeTestServices } from '../../src/test/compose.ts';
import { createProjectWithWorkflow } from '../../src/test/factories.ts';
import { ManualClock } from '../../src/test/manual-clock.ts';
import { createTempSqlite } from '../../src/test/temp-database.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
// The leader ticks every 15 s; once a simulated minute, between the runs, moves the same alerts
// (a flapping one settles after 30 quiet minutes) at a quarter of the cost.
const TICK_OFFSET_MS = 30_000;
const START = new Date('2026-12-01T00:00:00Z');

export interface FlapDay {
  runs: number;
  /** Per simulated hour: notifications in the outbox (damped), and FIRING + RESOLVED transitions (naive). */
  damped: number[];
  naive: number[];
  /** The naive count computed from the runs alone: every change of outcome is a transition. */
  expectedNaive: number;
  elapsedMs: number;
}

export async function simulateFlapDay(hours: number): Promise<FlapDay> {
  const temp = createTempSqlite('bench-alerts');
  await migrate(temp.config);
  const database = await openDatabase(temp.config, pino({ level: 'silent' }));
  try {
    const clock = new ManualClock(START);
    const services = composeTestServices(database, { clock });
    const { project, workflow } = await createProjectWithWorkflow(services, ['build']);
    const contactPoint = await database.db.contactPoint.create({
      data: { id: newId('cpt'), projectId: project.id, name: 'ops', kind: 'WEBHOOK', settings: '{"url":"http://127.0.0.1:9/"}', createdAt: clock.now(), updatedAt: clock.now() },
    });
    const rule = await services.repositories.alertRules.save({
      id: newId('rule'),
      projectId: project.id,
      spec: parseAlertRule({ name: 'flaps', kind: 'RUN_FAILED', groupWaitSeconds: 0 }),
      contactPointIds: [contactPoint.id],
      actor: 'bench',
      now: clock.now(),
    });
    await services.alertEvaluator.catchUp();

    const started = performance.now();
    const runs = hours * 60;
    let expectedNaive = 0;
    let previous: 'FAILED' | 'SUCCEEDED' = 'SUCCEEDED';
    for (let minute = 0; minute < runs; minute += 1) {
      const minuteStart = START.getTime() + minute * MINUTE_MS;
      clock.set(new Date(minuteStart));
      const status = minute % 2 === 0 ? 'FAILED' : 'SUCCEEDED';
      if (status !== previous) expectedNaive += 1;
      previous = status;
      const run = await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'MANUAL', steps: ['build'] });
      await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
      await services.recorder.recordTransition({ runId: run.id, to: status });
      await services.alertEvaluator.catchUp();
      clock.set(new Date(minuteStart + TICK_OFFSET_MS));
      await services.alertEvaluator.tick();
    }
    const elapsedMs = performance.now() - started;

    const notifications = await database.db.alertNotification.findMany({ where: { contactPointId: contactPoint.id }, select: { createdAt: true } });
    const transitions = await database.db.alertEvent.findMany({ where: { ruleId: rule.id, to: { in: ['FIRING', 'RESOLVED'] } }, select: { at: true } });
    return {
      runs,
      damped: perHour(notifications.map(({ createdAt }) => createdAt), hours),
      naive: perHour(transitions.map(({ at }) => at), hours),
      expectedNaive,
      elapsedMs,
    };
  } finally {
    await database.close();
    await temp.drop();
  }
}

function perHour(times: readonly Date[], hours: number): number[] {
  const counts = new Array<number>(hours).fill(0);
  for (const time of times) {
    const hour = Math.floor((time.getTime() - START.getTime()) / HOUR_MS);
    if (hour < 0 || hour >= hours) throw new BenchFailure(`a notification or transition at ${time.toISOString()} lies outside the simulated ${hours} h`);
    counts[hour] = (counts[hour] ?? 0) + 1;
  }
  return counts;
}
