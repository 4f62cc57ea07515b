import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { processClient, runEnded } from '../test/process-client.ts';
import { createTempPostgres, type TempDatabase } from '../test/temp-database.ts';
import { startServerProcess, type ServerProcess } from '../test/server-process.ts';

// The Redis on this machine and CI's (see the README); each test database has its own channel.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('two server processes on one PostgreSQL database, events through Redis', () => {
  let database: TempDatabase;
  const dataDirs: string[] = [];
  let writer: ServerProcess;
  let reader: ServerProcess;
  let token = '';
  const { graphql, streamFrom, triggerTwoSteps, eventSeqs } = processClient(() => token);

  function start(engine: 'on' | 'off'): Promise<ServerProcess> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-fanout-'));
    dataDirs.push(dataDir);
    // A recheck far away: a socket closed within the test was closed by the announcement.
    return startServerProcess({ DATA_DIR: dataDir, DATABASE_URL: database.config.url, REDIS_URL, ENGINE: engine, SCHEDULER: 'off', LOAD_EXAMPLES: 'false', LOG_LEVEL: 'info', TOKEN_RECHECK_MS: '600000' });
  }

  const consecutiveFrom = (start: string, seqs: string[]) => seqs.map((_, index) => (BigInt(start) + 1n + BigInt(index)).toString());

  beforeAll(async () => {
    database = await createTempPostgres('fanout');
    writer = await start('on');
    token = readFileSync(path.join(dataDirs[0] ?? '', 'admin-token'), 'utf8').trim();
    reader = await start('off');
  });
  afterAll(async () => {
    for (const server of [writer, reader]) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await database.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('streams a run triggered through one process to a subscriber of the other, in order and complete', async () => {
    const { headSnapshot } = await graphql<{ headSnapshot: string }>(reader, '{ headSnapshot }');
    const streamed = streamFrom(reader, headSnapshot, runEnded());

    const runId = await triggerTwoSteps(writer);
    const seqs = (await streamed).map((event) => event.seq);

    expect(seqs).toEqual(await eventSeqs(reader, [runId]));
    expect(seqs).toEqual(consecutiveFrom(headSnapshot, seqs));
  });

  it('still delivers every event when Redis drops the subscriber connections meanwhile', async () => {
    const { headSnapshot } = await graphql<{ headSnapshot: string }>(reader, '{ headSnapshot }');
    const streamed = streamFrom(reader, headSnapshot, runEnded());
    const admin = new Redis(REDIS_URL);

    // Both before and right after the trigger: events are published while the reader's subscriber is away.
    await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    const runId = await triggerTwoSteps(writer);
    await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    const seqs = (await streamed).map((event) => event.seq);
    admin.disconnect();

    expect(seqs).toEqual(await eventSeqs(reader, [runId]));
    expect(seqs).toEqual(consecutiveFrom(headSnapshot, seqs));
  });

  /** A token's socket open on the reader, and the close code it ends with. */
  async function openTokenSocket(): Promise<{ tokenId: string; closed: Promise<number>; dispose: () => Promise<void> }> {
    const created = await graphql<{ createToken: { secret: string; token: { id: string } } }>(writer, 'mutation { createToken(input: { name: "laptop" }) { secret token { id } } }');
    let onClosed: (code: number) => void = () => {};
    const closed = new Promise<number>((resolve) => (onClosed = resolve));
    const client = createClient({
      url: `${reader.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${created.createToken.secret}` },
      on: { closed: (event) => onClosed((event as { code: number }).code) },
    });
    await new Promise((resolve) => client.subscribe({ query: 'subscription { statusCounts { total } }' }, { next: resolve, error: resolve, complete: () => {} }));
    return { tokenId: created.createToken.token.id, closed, dispose: async () => client.dispose() };
  }
  const revoke = (id: string) => graphql(writer, 'mutation ($id: ID!) { revokeToken(id: $id) { revokedAt } }', { id });

  it('closes a socket on one process the moment its token is revoked through the other', async () => {
    const socket = await openTokenSocket();

    await revoke(socket.tokenId);

    expect(await socket.closed).toBe(4403);
    await socket.dispose();
  });

  it('closes it once the subscriber is back when Redis dropped the announcement of the revocation', async () => {
    const socket = await openTokenSocket();
    const admin = new Redis(REDIS_URL);

    // The revocation is announced while the reader's subscriber is away: Redis delivers it to nobody.
    await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await revoke(socket.tokenId);
    admin.disconnect();

    expect(await socket.closed).toBe(4403);
    await socket.dispose();
  });
});
