import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processClient, runEnded } from '../test/process-client.ts';
import { startServerProcess, type ServerProcess } from '../test/server-process.ts';

describe('a subscriber resuming across a server restart', () => {
  let dataDir: string;
  let token = '';
  const servers: ServerProcess[] = [];
  const { graphql, streamFrom, triggerTwoSteps, eventSeqs } = processClient(() => token);

  async function stop(server: ServerProcess): Promise<void> {
    server.child.kill('SIGTERM');
    await server.exited;
  }

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-resume-'));
  });
  afterAll(async () => {
    for (const server of servers) if (server.child.exitCode === null) await stop(server);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gets every event after the last one it saw, from the restarted server, none twice', async () => {
    const env = { DATA_DIR: dataDir, SCHEDULER: 'off', LOAD_EXAMPLES: 'false', LOG_LEVEL: 'info' };
    const first = await startServerProcess(env);
    servers.push(first);
    token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    const { headSnapshot: start } = await graphql<{ headSnapshot: string }>(first, '{ headSnapshot }');
    const firstRun = await triggerTwoSteps(first);
    const seen = await streamFrom(first, start, (events) => events.length === 2);
    const lastSeen = seen.at(-1)?.seq ?? start;
    await streamFrom(first, start, runEnded(firstRun));
    await stop(first);

    const second = await startServerProcess(env);
    servers.push(second);
    const secondRun = await triggerTwoSteps(second);
    const resumed = await streamFrom(second, lastSeen, runEnded(secondRun));

    const expected = (await eventSeqs(second, [firstRun, secondRun])).filter((seq) => BigInt(seq) > BigInt(lastSeen));
    expect(resumed.map((event) => event.seq)).toEqual(expected);
  });
});
