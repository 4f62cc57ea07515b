import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newId } from '../domain/ids.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';
import { composeTestServices } from '../test/compose.ts';
import { expectRollupsToMatchRuns } from '../test/rollup-assertions.ts';
import { importDaguHistory } from './dagu-import.ts';

const FAILED_RUN = '0195a3c2-7d1e-7a8b-9c0d-1e2f3a4b5c6d';
const RETRIED_RUN = '0195a3c2-8e2f-7b9c-8d1e-2f3a4b5c6d7e';

function node(name: string, status: number, startedAt: string, finishedAt: string, extra: Record<string, unknown> = {}) {
  return { step: { name, command: 'x' }, stdout: `/logs/${name}.out`, stderr: `/logs/${name}.err`, startedAt, finishedAt, status, ...extra };
}

/** A Dagu 1.2x data directory: dag-runs/YYYY/MM/DD/dag-run_<time>_<id>/attempt_<time>_<id>/status.jsonl, and one older .dat file. */
function writeDaguDataDir(root: string): void {
  const runDir = (dag: string, day: string, stamp: string, id: string) => path.join(root, dag, 'dag-runs', ...day.split('/'), `dag-run_${stamp}_${id}`);
  const attempt = (dir: string, name: string, lines: unknown[]) => {
    mkdirSync(path.join(dir, name), { recursive: true });
    writeFileSync(path.join(dir, name, 'status.jsonl'), `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
  };

  const failed = runDir('etl', '2026/03/01', '20260301_100000Z', FAILED_RUN);
  const base = { name: 'etl', dagRunId: FAILED_RUN, attemptId: 'a1b2c3', createdAt: Date.parse('2026-03-01T10:00:00Z'), params: 'DAY=2026-03-01 "late load"', triggerType: 'scheduler' };
  attempt(failed, 'attempt_20260301_100000_120Z_a1b2c3', [
    { ...base, status: 1, startedAt: '2026-03-01T10:00:01Z', nodes: [node('extract', 1, '2026-03-01T10:00:01Z', '-')] },
    {
      ...base,
      status: 2,
      startedAt: '2026-03-01T10:00:01Z',
      finishedAt: '2026-03-01T10:02:31Z',
      nodes: [
        node('extract', 4, '2026-03-01T10:00:01Z', '2026-03-01T10:01:00Z'),
        node('load', 2, '2026-03-01T10:01:00Z', '2026-03-01T10:02:30Z', { error: 'exit status 3', retryCount: 2 }),
        node('report', 0, '-', '-'),
      ],
    },
  ]);
  mkdirSync(path.join(failed, 'children', 'child_0195a3c2-0000-7000-8000-000000000001'), { recursive: true });

  const retried = runDir('etl', '2026/03/02', '20260302_100000Z', RETRIED_RUN);
  const retriedBase = { name: 'etl', dagRunId: RETRIED_RUN, createdAt: Date.parse('2026-03-02T10:00:00Z') };
  attempt(retried, 'attempt_20260302_100000_050Z_d4e5f6', [{ ...retriedBase, status: 2, startedAt: '2026-03-02T10:00:01Z', finishedAt: '2026-03-02T10:00:09Z', nodes: [node('extract', 2, '2026-03-02T10:00:01Z', '2026-03-02T10:00:09Z', { error: 'exit status 1' })] }]);
  attempt(retried, 'attempt_20260302_120000_000Z_0a0b0c', [
    { ...retriedBase, status: 4, triggerType: 'retry', startedAt: '2026-03-02T12:00:00Z', finishedAt: '2026-03-02T12:00:20Z', nodes: [node('extract', 4, '2026-03-02T12:00:00Z', '2026-03-02T12:00:20Z')] },
  ]);
  // A dequeued attempt is hidden with a leading dot: not the run's latest.
  attempt(retried, '.attempt_20260302_130000_000Z_ffffff', [{ ...retriedBase, status: 5, nodes: [] }]);

  attempt(runDir('etl', '2026/03/03', '20260303_100000Z', '0195a3c2-9f30-7cad-8e2f-3a4b5c6d7e8f'), 'attempt_20260303_100000_000Z_111111', [
    { name: 'etl', dagRunId: '0195a3c2-9f30-7cad-8e2f-3a4b5c6d7e8f', status: 1, createdAt: Date.parse('2026-03-03T10:00:00Z'), startedAt: '2026-03-03T10:00:01Z', nodes: [] },
  ]);
  attempt(runDir('unknown-dag', '2026/03/01', '20260301_110000Z', '0195a3c2-aaaa-7000-8000-000000000002'), 'attempt_20260301_110000_000Z_222222', [
    { name: 'unknown-dag', dagRunId: '0195a3c2-aaaa-7000-8000-000000000002', status: 4, createdAt: Date.parse('2026-03-01T11:00:00Z'), startedAt: '2026-03-01T11:00:00Z', finishedAt: '2026-03-01T11:00:05Z', nodes: [] },
  ]);

  // Dagu before 1.17: <dag>-<hash>/<dag>.<YYYYMMDD.HH:MM:SS.mmm>.<id>.dat, capitalised keys, times in the machine's zone.
  mkdirSync(path.join(root, 'legacy-1a2b'), { recursive: true });
  const legacy = {
    RequestId: 'f00dfeed-1234-4abc-9def-0123456789ab',
    Name: 'legacy',
    Status: 4,
    StatusText: 'finished',
    Pid: -1,
    Nodes: [{ Step: { Name: 'only' }, Log: '/logs/only.log', StartedAt: '2024-01-05 09:30:00', FinishedAt: '2024-01-05 09:31:00', Status: 4, RetryCount: 0, DoneCount: 1, Error: '', StatusText: 'finished' }],
    StartedAt: '2024-01-05 09:30:00',
    FinishedAt: '2024-01-05 09:31:00',
    Log: '/logs/legacy.log',
    Params: '',
  };
  writeFileSync(path.join(root, 'legacy-1a2b', 'legacy.20240105.09:30:00.000.f00dfeed.dat'), `${JSON.stringify(legacy)}\n`);
}

describe.each(PROVIDERS)("importing Dagu's run history on %s", (provider) => {
  const database = useMigratedDatabase(provider);
  let daguDir: string;
  let projectId: string;

  beforeAll(async () => {
    daguDir = mkdtempSync(path.join(os.tmpdir(), 'dagu-data-'));
    writeDaguDataDir(daguDir);
    const { repositories } = composeTestServices(database());
    projectId = (await repositories.projects.create({ id: newId('prj'), slug: 'moved', name: 'Moved from Dagu' })).id;
    for (const name of ['etl', 'legacy']) {
      await repositories.workflows.create({ id: newId('wf'), projectId, name, definition: 'steps:\n  - name: s\n    command: "true"\n', hash: name, tags: [] });
    }
  });
  afterAll(() => rmSync(daguDir, { recursive: true, force: true }));

  it('imports each finished run once with its steps, statuses, times, params and trigger, and keeps the rollups exact', async () => {
    const { db, writer } = database();
    const first = await importDaguHistory({ db, writer, partitions: composeTestServices(database()).partitions }, { dataDir: daguDir, projectSlug: 'moved' });
    const again = await importDaguHistory({ db, writer, partitions: composeTestServices(database()).partitions }, { dataDir: daguDir, projectSlug: 'moved' });

    expect(first).toMatchObject({ found: 5, imported: 3, alreadyThere: 0, subDagRuns: 1, triggerNotRecorded: 1 });
    expect(first.withoutWorkflow).toEqual(new Map([['unknown-dag', 1]]));
    expect(first.skipped).toEqual([expect.stringContaining('still queued, running or waiting in Dagu')]);
    expect(again).toMatchObject({ imported: 0, alreadyThere: 3 });

    const runs = await db.run.findMany({ where: { projectId }, include: { steps: { orderBy: { position: 'asc' } }, events: { orderBy: { seq: 'asc' } } }, orderBy: { createdAt: 'asc' } });
    expect(runs.map((run) => [run.status, run.trigger])).toEqual([
      ['SUCCEEDED', 'MANUAL'],
      ['FAILED', 'SCHEDULER'],
      ['SUCCEEDED', 'RETRY'],
    ]);
    const failed = runs[1];
    expect(failed).toMatchObject({
      params: { DAY: '2026-03-01', '1': 'late load' },
      createdAt: new Date('2026-03-01T10:00:00Z'),
      startedAt: new Date('2026-03-01T10:00:01Z'),
      finishedAt: new Date('2026-03-01T10:02:31Z'),
      durationMs: 150_000,
      error: 'Step "load" failed: exit status 3',
    });
    expect(failed?.steps.map((step) => [step.name, step.status, step.exitCode, step.attempt, step.error])).toEqual([
      ['extract', 'SUCCEEDED', 0, 1, null],
      ['load', 'FAILED', 3, 3, 'exit status 3'],
      ['report', 'ABORTED', null, 0, null],
    ]);
    expect(failed?.events.map((event) => `${event.kind} ${event.from ?? '-'}→${event.to}`)).toEqual([
      'RUN -→QUEUED',
      'RUN QUEUED→RUNNING',
      'STEP NOT_STARTED→RUNNING',
      'STEP RUNNING→SUCCEEDED',
      'STEP NOT_STARTED→RUNNING',
      'STEP RUNNING→FAILED',
      'STEP NOT_STARTED→ABORTED',
      'RUN RUNNING→FAILED',
    ]);
    expect(failed?.lastSeq).toBe(failed?.events.at(-1)?.seq);
    expect(runs[0]?.startedAt).toEqual(new Date(2024, 0, 5, 9, 30, 0));
    expect(runs[2]?.startedAt).toEqual(new Date('2026-03-02T12:00:00Z'));
    const counter = await db.eventCounter.findUnique({ where: { name: 'runEvent' } });
    const newest = await db.runEvent.aggregate({ _max: { seq: true } });
    expect(counter?.value).toBe(newest._max.seq);
    await expectRollupsToMatchRuns(db);
  });

  it("refuses a path that is not a directory, naming Dagu's setting", async () => {
    const { db, writer } = database();

    await expect(importDaguHistory({ db, writer, partitions: null }, { dataDir: path.join(daguDir, 'missing'), projectSlug: 'moved' })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining('paths.dataDir'),
    });
  });
});
