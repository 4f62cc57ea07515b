// The write path alone: status changes per second through RunRecorderService, one at a time and
// many at once, beside a floor of the same writes as bare SQL on a plain connection.
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import pino from 'pino';
import { openDatabase, sqliteFilePath, type Database } from '../../src/db/client.ts';
import type { DatabaseConfig } from '../../src/db/provider.ts';
import { newId } from '../../src/domain/ids.ts';
import type { RunStatus } from '../../src/domain/status.ts';
import { bucketKeyOf } from '../../src/repositories/history-write.repository.ts';
import { composeTestServices } from '../../src/test/compose.ts';
import { count } from '../shared/report.ts';

/** A run's way through the states that every engine run passes: four changes. */
const PATH: readonly RunStatus[] = ['RUNNING', 'WAITING', 'RUNNING', 'SUCCEEDED'];

export interface WritePathFigures {
  label: string;
  /** Changes per second through the recorder, awaited one at a time. */
  sequential: number;
  /** Changes per second with `concurrency` runs changing at once (group commit). */
  concurrent: number;
  /** Changes per second of the bare SQL floor, one transaction each. */
  floor: number;
  sameAnswer: boolean;
}

export async function measureWritePath(config: DatabaseConfig, label: string, runs: number, concurrency: number): Promise<WritePathFigures> {
  const database = await openDatabase(config, pino({ level: 'silent' }));
  try {
    const services = composeTestServices(database);
    const project = await services.repositories.projects.create({ id: newId('prj'), slug: `write-${label}`.toLowerCase(), name: 'Write path' });
    const workflow = await database.db.workflow.create({ data: { id: newId('wf'), projectId: project.id, name: 'write-path', definition: 'steps: []', hash: 'w', tags: [] } });
    const create = () => services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'API', steps: [] });
    const walk = async (runId: string) => {
      for (const to of PATH) await services.recorder.recordTransition({ runId, to });
    };

    const sequentialRuns = await Promise.all(Array.from({ length: runs }, create));
    const headBefore = await services.history.headSnapshot();
    let started = performance.now();
    for (const run of sequentialRuns) await walk(run.id);
    const sequentialMs = performance.now() - started;

    const concurrentRuns = await Promise.all(Array.from({ length: runs }, create));
    started = performance.now();
    for (let index = 0; index < concurrentRuns.length; index += concurrency) {
      await Promise.all(concurrentRuns.slice(index, index + concurrency).map((run) => walk(run.id)));
    }
    const concurrentMs = performance.now() - started;
    const written = Number((await services.history.headSnapshot()) - headBefore) - runs;

    const floorRuns = (await Promise.all(Array.from({ length: runs }, create))).map((run) => ({ ...bucketKeyOf(run), id: run.id }));
    const floorHead = await services.history.headSnapshot();
    const floorMs = config.provider === 'sqlite' ? sqliteFloor(sqliteFilePath(config.url), floorRuns) : await postgresFloor(config.url, floorRuns);
    const floorWritten = Number((await services.history.headSnapshot()) - floorHead);
    const succeeded = await database.db.run.count({ where: { status: 'SUCCEEDED' } });
    const changes = runs * PATH.length;
    return {
      label,
      sequential: (changes / sequentialMs) * 1000,
      concurrent: (changes / concurrentMs) * 1000,
      floor: (changes / floorMs) * 1000,
      sameAnswer: written === 2 * changes && floorWritten === changes && succeeded === 3 * runs && (await rollupsMatchRuns(database)),
    };
  } finally {
    await database.close();
  }
}

export function writePathLines(figures: WritePathFigures): string[] {
  const ratio = (ours: number) => `${(ours / figures.floor).toFixed(2)}x the floor`;
  return [
    `${figures.label}: changes/s through recordTransition (event + run + 3 rollups, checked, in one transaction)`,
    `  one at a time   ${count(figures.sequential).padStart(8)}   ${ratio(figures.sequential)}`,
    `  many at once    ${count(figures.concurrent).padStart(8)}   ${ratio(figures.concurrent)}`,
    `  floor: bare SQL ${count(figures.floor).padStart(8)}   (the same rows written unchecked, one transaction a change, on a plain connection)`,
    `  same answer (every change written by both, every run SUCCEEDED, rollups equal to the runs): ${figures.sameAnswer ? 'yes' : 'NO'}`,
  ];
}

/** A run of the floor's, and where the rollups count it. */
interface FloorRun {
  id: string;
  projectId: string;
  workflowId: string;
  hour: Date;
  day: Date;
}

// The writes of one change, as bare SQL on the real tables: the counter, the event, the run and the three rollups.
const FLOOR_SQL = {
  seq: `UPDATE "EventCounter" SET value = value + 1 WHERE name = 'runEvent' RETURNING value`,
  event: `INSERT INTO "RunEvent" (seq, "runId", "projectId", "workflowId", kind, "from", "to", at) VALUES ($1, $2, $3, $4, 'RUN', $5, $6, $7)`,
  run: `UPDATE "Run" SET status = $1, "lastSeq" = $2 WHERE id = $3`,
  hourly: `UPDATE "StatusBucket" SET count = count + $1 WHERE "workflowId" = $2 AND hour = $3 AND status = $4 AND trigger = 'API'`,
  daily: `UPDATE "StatusDayBucket" SET count = count + $1 WHERE "workflowId" = $2 AND day = $3 AND status = $4 AND trigger = 'API'`,
  byProject: `UPDATE "StatusProjectBucket" SET count = count + $1 WHERE "projectId" = $2 AND hour = $3 AND status = $4`,
};

function sqliteFloor(file: string, runs: readonly FloorRun[]): number {
  const connection = new BetterSqlite3(file);
  const prepare = (sql: string) => connection.prepare(sql.replace(/\$\d+/g, '?'));
  try {
    const seq = prepare(FLOOR_SQL.seq).pluck();
    const [event, run, hourly, daily, byProject] = [FLOOR_SQL.event, FLOOR_SQL.run, FLOOR_SQL.hourly, FLOOR_SQL.daily, FLOOR_SQL.byProject].map(prepare);
    const change = connection.transaction((floorRun: FloorRun, from: string, to: string) => {
      const value: unknown = seq.get();
      const hour = floorRun.hour.getTime();
      event?.run(value, floorRun.id, floorRun.projectId, floorRun.workflowId, from, to, Date.now());
      run?.run(to, value, floorRun.id);
      for (const [delta, status] of [[-1, from], [1, to]] as const) {
        hourly?.run(delta, floorRun.workflowId, hour, status);
        daily?.run(delta, floorRun.workflowId, floorRun.day.getTime(), status);
        byProject?.run(delta, floorRun.projectId, hour, status);
      }
    });
    const started = performance.now();
    for (const floorRun of runs) {
      let from = 'QUEUED';
      for (const to of PATH) {
        change.immediate(floorRun, from, to);
        from = to;
      }
    }
    return performance.now() - started;
  } finally {
    connection.close();
  }
}

async function postgresFloor(url: string, runs: readonly FloorRun[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const utc = (date: Date) => date.toISOString().replace('Z', '');
  try {
    const started = performance.now();
    for (const floorRun of runs) {
      let from = 'QUEUED';
      for (const to of PATH) {
        await client.query('BEGIN');
        const { rows } = await client.query({ name: 'seq', text: FLOOR_SQL.seq });
        const value: unknown = rows[0]?.value;
        await client.query({ name: 'event', text: FLOOR_SQL.event, values: [value, floorRun.id, floorRun.projectId, floorRun.workflowId, from, to, utc(new Date())] });
        await client.query({ name: 'run', text: FLOOR_SQL.run, values: [to, value, floorRun.id] });
        for (const [delta, status] of [[-1, from], [1, to]] as const) {
          await client.query({ name: 'hourly', text: FLOOR_SQL.hourly, values: [delta, floorRun.workflowId, utc(floorRun.hour), status] });
          await client.query({ name: 'daily', text: FLOOR_SQL.daily, values: [delta, floorRun.workflowId, utc(floorRun.day), status] });
          await client.query({ name: 'byProject', text: FLOOR_SQL.byProject, values: [delta, floorRun.projectId, utc(floorRun.hour), status] });
        }
        await client.query('COMMIT');
        from = to;
      }
    }
    return performance.now() - started;
  } finally {
    await client.end();
  }
}

/** The hourly rollup holds exactly the runs, by status (both sides moved it). */
async function rollupsMatchRuns(database: Database): Promise<boolean> {
  const [runs, buckets] = await Promise.all([
    database.db.run.groupBy({ by: ['status'], _count: { _all: true } }),
    database.db.statusBucket.groupBy({ by: ['status'], _sum: { count: true } }),
  ]);
  const rolled = new Map(buckets.map((bucket) => [bucket.status, bucket._sum.count ?? 0]));
  return runs.every((row) => rolled.get(row.status) === row._count._all) && buckets.every((bucket) => (bucket._sum.count ?? 0) >= 0);
}
