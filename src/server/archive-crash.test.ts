import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { archiveCensus, type ArchiveCensus } from '../test/archive-census.ts';
import { pollUntil } from '../test/poll-until.ts';
import { killServers, seedWithCli, startServerProcess, type ServerProcess } from '../test/server-process.ts';

describe('archival killed in the middle', () => {
  let dataDir: string;
  const servers: ServerProcess[] = [];
  const env = () => ({
    DATA_DIR: dataDir,
    LOAD_EXAMPLES: 'false',
    LOG_LEVEL: 'info',
    // Every finished run older than a day moves, in batches of 25 runs: a few hundred batches.
    RETENTION_HOT_DAYS: '1',
    RETENTION_KEEP_LAST_RUNS: '0',
    RETENTION_KEEP_FAILED_FOR_DAYS: '0',
    ARCHIVE_BATCH_RUNS: '25',
    ARCHIVE_EVERY_MINUTES: '60',
    // The killed process's archive lease runs out this soon.
    LEASE_SECONDS: '3',
  });
  const liveFile = () => path.join(dataDir, 'runtrail.db');
  const batchesMoved = (server: ServerProcess) => server.logs.filter((entry) => entry.msg === 'archive.batch_moved').length;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-archive-crash-'));
    seedWithCli({ dataDir, runs: 6_000, projects: 2, workflows: 3, days: 90, timeoutMs: 120_000 });
  });
  afterAll(async () => {
    await killServers(servers);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves every run in exactly one place when SIGKILLed, and finishes the move once started again', async () => {
    const before = archiveCensus(liveFile(), dataDir);

    const first = await startServerProcess(env());
    servers.push(first);
    await pollUntil('five batches moved', 60_000, async () => (batchesMoved(first) >= 5 ? true : null));
    first.child.kill('SIGKILL');
    await first.exited;
    const killed = archiveCensus(liveFile(), dataDir);

    const second = await startServerProcess(env());
    servers.push(second);
    await pollUntil('the archival round to end', 120_000, async () => (second.logs.some((entry) => entry.msg === 'archive.round_done') ? true : null));
    const finished = archiveCensus(liveFile(), dataDir);
    second.child.kill('SIGTERM');
    await second.exited;

    expect([...killed.states.values()]).toContain('MOVING');
    expectOnePlaceEach(killed, before);
    expect(killed.archived.size).toBeGreaterThanOrEqual(5 * 25);
    expect(finished.live.size).toBeLessThan(before.live.size / 10);
    expectOnePlaceEach(finished, before);
    expect(finished.uncommitted).toBe(0);
    expect([...finished.states.values()].every((state) => state === 'ARCHIVED')).toBe(true);
    expect(finished.rows).toEqual(before.rows);
  }, 180_000);

  it('leaves every run in one place when SIGKILLed in the middle of a restore, and finishes the restore once started again', async () => {
    const before = archiveCensus(liveFile(), dataDir);
    const [period] = [...before.archived.values()].reduce((counts, id) => counts.set(id, (counts.get(id) ?? 0) + 1), new Map<string, number>()).entries();
    if (!period) throw new Error('nothing archived');
    const [archiveId, archivedRuns] = period;
    const token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();

    const running = await startServerProcess(env());
    servers.push(running);
    await running.ready();
    const restoring = fetch(`${running.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'mutation ($id: ID!) { restoreArchive(id: $id) { state } }', variables: { id: archiveId } }),
    }).catch(() => null);
    await pollUntil('three batches restored', 60_000, async () => (running.logs.filter((entry) => entry.msg === 'archive.batch_restored').length >= 3 ? true : null));
    running.child.kill('SIGKILL');
    await running.exited;
    await restoring;
    const killed = archiveCensus(liveFile(), dataDir);

    const next = await startServerProcess(env());
    servers.push(next);
    await pollUntil('the restore to be finished', 120_000, async () => (next.logs.some((entry) => entry.msg === 'archive.restore_recovered') ? true : null));
    const finished = archiveCensus(liveFile(), dataDir);

    expect(killed.states.get(archiveId)).toBe('RESTORING');
    expectOnePlaceEach(killed, before);
    expect(finished.states.get(archiveId)).toBe('RESTORED');
    expectOnePlaceEach(finished, before);
    expect([...finished.archived.values()].filter((id) => id === archiveId)).toEqual([]);
    expect(finished.live.size).toBe(before.live.size + archivedRuns);
    expect(finished.rows).toEqual(before.rows);
  }, 180_000);
});

/** Every run of `before` is in the live store or in one committed batch of one archive, never both. */
function expectOnePlaceEach(census: ArchiveCensus, before: ArchiveCensus): void {
  expect(census.twice).toEqual([]);
  expect([...census.live].filter((id) => census.archived.has(id))).toEqual([]);
  expect(new Set([...census.live, ...census.archived.keys()])).toEqual(new Set([...before.live, ...before.archived.keys()]));
}
