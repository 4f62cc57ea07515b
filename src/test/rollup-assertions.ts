import type { Db } from '../db/client.ts';
import { startOfDay, startOfHour } from '../domain/time-buckets.ts';

/** Every rollup must equal a GROUP BY over the runs (rows moved down to 0 are ignored). */
export async function expectRollupsToMatchRuns(db: Db): Promise<void> {
  const runs = await db.run.findMany({ select: { projectId: true, workflowId: true, trigger: true, status: true, createdAt: true } });
  const expectedHours = new Map<string, number>();
  const expectedDays = new Map<string, number>();
  const expectedProjectHours = new Map<string, number>();
  for (const run of runs) {
    const prefix = `${run.projectId} ${run.workflowId} ${run.status} ${run.trigger}`;
    const hourKey = `${prefix} ${startOfHour(run.createdAt).toISOString()}`;
    const dayKey = `${prefix} ${startOfDay(run.createdAt).toISOString()}`;
    expectedHours.set(hourKey, (expectedHours.get(hourKey) ?? 0) + 1);
    expectedDays.set(dayKey, (expectedDays.get(dayKey) ?? 0) + 1);
    const projectKey = `${run.projectId} ${run.status} ${startOfHour(run.createdAt).toISOString()}`;
    expectedProjectHours.set(projectKey, (expectedProjectHours.get(projectKey) ?? 0) + 1);
  }
  const hours = await db.statusBucket.findMany({ where: { count: { not: 0 } } });
  const days = await db.statusDayBucket.findMany({ where: { count: { not: 0 } } });
  const actualHours = new Map(hours.map((row) => [`${row.projectId} ${row.workflowId} ${row.status} ${row.trigger} ${row.hour.toISOString()}`, row.count]));
  const actualDays = new Map(days.map((row) => [`${row.projectId} ${row.workflowId} ${row.status} ${row.trigger} ${row.day.toISOString()}`, row.count]));
  const projectHours = await db.statusProjectBucket.findMany({ where: { count: { not: 0 } } });
  const actualProjectHours = new Map(projectHours.map((row) => [`${row.projectId} ${row.status} ${row.hour.toISOString()}`, row.count]));
  expect(actualHours).toEqual(expectedHours);
  expect(actualProjectHours).toEqual(expectedProjectHours);
  expect(actualDays).toEqual(expectedDays);
}
