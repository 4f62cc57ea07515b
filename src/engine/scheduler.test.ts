import pino from 'pino';
import type { Services } from '../composition.ts';
import { StoredSpecs } from '../services/stored-specs.ts';
import { composeTestServices } from '../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';
import { saveTestWorkflow } from '../test/engine-helpers.ts';
import { ManualClock } from '../test/manual-clock.ts';
import { Scheduler } from './scheduler.ts';

const minute = 60_000;

/** The start of the minute after `date`, plus `seconds`. */
function nextMinute(date: Date, minutes = 1, seconds = 5): Date {
  return new Date(Math.floor(date.getTime() / minute) * minute + minutes * minute + seconds * 1000);
}

describe.each(PROVIDERS)('Scheduler with a controllable clock on %s', (provider) => {
  const database = useMigratedDatabase(provider);
  let clock: ManualClock;
  let services: Services;

  beforeAll(() => {
    clock = new ManualClock(new Date());
    services = composeTestServices(database(), { clock });
  });

  async function scheduledRuns(workflowId: string) {
    return (await database().db.run.findMany({ where: { workflowId }, orderBy: { createdAt: 'asc' } })).map((run) => run.trigger);
  }

  it('fires a due tick once, even when asked again or by a second scheduler', async () => {
    const workflow = await saveTestWorkflow(services, 'schedule: "* * * * *"\nsteps:\n  - name: tick\n    command: "true"\n');
    clock.set(nextMinute(workflow.updatedAt));

    const first = await services.scheduler.tick();
    const again = await services.scheduler.tick();
    const otherProcess = await new Scheduler({ ...services.repositories, control: services.control, specs: new StoredSpecs(), clock, logger: pino({ level: 'silent' }) }).tick();

    expect(first).toContain(workflow.id);
    expect(again).not.toContain(workflow.id);
    expect(otherProcess).not.toContain(workflow.id);
    expect(await scheduledRuns(workflow.id)).toEqual(['SCHEDULER']);
  });

  it('fires a tick once when two schedulers fire it at the same moment (a leader failover)', async () => {
    const workflow = await saveTestWorkflow(services, 'schedule: "* * * * *"\nsteps:\n  - name: tick\n    command: "true"\n');
    clock.set(nextMinute(workflow.updatedAt));
    const other = new Scheduler({ ...services.repositories, control: services.control, specs: new StoredSpecs(), clock, logger: pino({ level: 'silent' }) });

    const [first, second] = await Promise.all([services.scheduler.tick(), other.tick()]);

    expect([first.includes(workflow.id), second.includes(workflow.id)].sort()).toEqual([false, true]);
    expect(await scheduledRuns(workflow.id)).toEqual(['SCHEDULER']);
  });

  it('does not fire a tick again when the process stopped after queuing its run, before noting the tick', async () => {
    const workflow = await saveTestWorkflow(services, 'schedule: "* * * * *"\nsteps:\n  - name: tick\n    command: "true"\n');
    clock.set(nextMinute(workflow.updatedAt));
    await services.scheduler.tick();

    // What a crash between the two writes leaves: the run queued, the workflow not moved on.
    await database().db.workflow.update({ where: { id: workflow.id }, data: { lastFiredAt: null } });
    const afterRestart = await services.scheduler.tick();

    expect(afterRestart).not.toContain(workflow.id);
    expect(await scheduledRuns(workflow.id)).toEqual(['SCHEDULER']);
  });

  it('fires a tick whose run could not be queued at the next pass, once', async () => {
    const workflow = await saveTestWorkflow(services, 'schedule: "* * * * *"\nsteps:\n  - name: tick\n    command: "true"\n');
    clock.set(nextMinute(workflow.updatedAt));
    let failures = 1;
    const control = {
      startTick: (...args: Parameters<Services['control']['startTick']>) => {
        if (failures-- > 0) return Promise.reject(new Error('Connection terminated unexpectedly'));
        return services.control.startTick(...args);
      },
    };
    const scheduler = new Scheduler({ ...services.repositories, control, specs: new StoredSpecs(), clock, logger: pino({ level: 'silent' }) });

    const failed = await scheduler.tick();
    const retried = await scheduler.tick();
    const again = await scheduler.tick();

    expect(failed).not.toContain(workflow.id);
    expect(retried).toContain(workflow.id);
    expect(again).not.toContain(workflow.id);
    expect(await scheduledRuns(workflow.id)).toEqual(['SCHEDULER']);
  });

  it('fires the next tick when its minute comes, not before', async () => {
    const workflow = await saveTestWorkflow(services, 'schedule: "* * * * *"\nsteps:\n  - name: tick\n    command: "true"\n');
    const firstTick = nextMinute(workflow.updatedAt);
    clock.set(firstTick);
    await services.scheduler.tick();

    clock.set(new Date(firstTick.getTime() + 30_000));
    const early = await services.scheduler.tick();
    clock.set(nextMinute(firstTick, 1, 1));
    const due = await services.scheduler.tick();

    expect(early).not.toContain(workflow.id);
    expect(due).toContain(workflow.id);
    expect(await scheduledRuns(workflow.id)).toEqual(['SCHEDULER', 'SCHEDULER']);
  });

  it('skips a tick missed while down, unless the workflow asks for the latest one', async () => {
    const hourly = 'schedule: "0 * * * *"\nsteps:\n  - name: tick\n    command: "true"\n';
    const skipping = await saveTestWorkflow(services, hourly);
    const catchingUp = await saveTestWorkflow(services, `missedTicks: latest\n${hourly}`);
    const start = Math.max(skipping.updatedAt.getTime(), catchingUp.updatedAt.getTime());
    const nextHour = Math.floor(start / (60 * minute)) * 60 * minute + 60 * minute;

    clock.set(new Date(nextHour + 10 * minute));
    const fired = await services.scheduler.tick();
    const firedAgain = await services.scheduler.tick();

    expect(fired).toContain(catchingUp.id);
    expect(fired).not.toContain(skipping.id);
    expect(firedAgain).not.toContain(skipping.id);
    expect(await scheduledRuns(catchingUp.id)).toEqual(['SCHEDULER']);
    expect(await scheduledRuns(skipping.id)).toEqual([]);
  });

  it('does not fire a disabled workflow', async () => {
    const workflow = await saveTestWorkflow(services, 'schedule: "* * * * *"\nsteps:\n  - name: tick\n    command: "true"\n');
    await database().db.workflow.update({ where: { id: workflow.id }, data: { enabled: false } });
    clock.set(nextMinute(workflow.updatedAt, 2));

    expect(await services.scheduler.tick()).not.toContain(workflow.id);
  });
});
