import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { processClient } from '../test/process-client.ts';
import { residentMemory } from '../test/process-memory.ts';
import { openRawConnection } from '../test/raw-subscriber.ts';
import { startServerProcess, type ServerProcess } from '../test/server-process.ts';

const MB = 1024 * 1024;

/** Sends one text frame of `bytes` on a fresh socket and resolves with the close code the server answers with. */
function sendOversizedFrame(url: string, bytes: number, token: string | null): Promise<number> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  // The server may reset the connection while the frame is still going out.
  socket.on('error', () => undefined);
  return new Promise((resolve) => {
    socket.once('close', (code: number) => resolve(code));
    socket.once('open', () => {
      const init = token ? { type: 'connection_init', payload: { authorization: `Bearer ${token}` } } : null;
      if (init) socket.send(JSON.stringify(init));
      const prefix = '{"type":"connection_init","payload":{"padding":"';
      const frame = Buffer.alloc(bytes, 'a');
      frame.write(prefix);
      socket.send(frame, { binary: false });
    });
  });
}

describe('WebSocket bounds on a server process', () => {
  let dataDir = '';
  let token = '';
  let server: ServerProcess;
  const { graphql } = processClient(() => token);
  const wsUrl = () => `${server.url.replace(/^http/, 'ws')}/graphql`;
  const healthz = async () => (await fetch(`${server.url}/healthz`)).status;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-ws-bounds-'));
    // No keep-alive pings within the tests: a socket that reads nothing would also miss their pongs and be terminated.
    server = await startServerProcess({ DATA_DIR: dataDir, SCHEDULER: 'off', LOAD_EXAMPLES: 'false', WS_KEEP_ALIVE_MS: '600000' });
    token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
  });
  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('closes sockets whose unauthenticated connection_init is past REQUEST_MAX_BYTES with 1009, without reading them into memory', async () => {
    const before = residentMemory(server.child);

    const codes = await Promise.all(Array.from({ length: 4 }, () => sendOversizedFrame(wsUrl(), 48 * MB, null)));
    const after = residentMemory(server.child);

    expect(codes).toEqual([1009, 1009, 1009, 1009]);
    // Reading the four frames would take 192 MB and more.
    expect(after.peak - before.peak).toBeLessThan(64 * MB);
    expect(await healthz()).toBe(200);
  });

  it('refuses a saveWorkflow past REQUEST_MAX_BYTES over the socket as over HTTP, and stores nothing', async () => {
    const { projects } = await graphql<{ projects: { id: string }[] }>(server, '{ projects { id } }');
    const yaml = `name: oversized\nsteps:\n  - name: a\n    command: "true"\n${'# padding\n'.repeat(150_000)}`;
    const request = { query: 'mutation ($p: ID!, $y: String!) { saveWorkflow(projectId: $p, yaml: $y) { id } }', variables: { p: projects[0]?.id, y: yaml } };

    const connection = await openRawConnection(wsUrl(), token);
    connection.send({ id: '1', type: 'subscribe', payload: request });
    const socketCode = await connection.closed;
    const overHttp = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(request) });
    const { workflows } = await graphql<{ workflows: { edges: { node: { name: string } }[] } }>(server, '{ workflows { edges { node { name } } } }');

    expect(socketCode).toBe(1009);
    expect(overHttp.status).toBe(413);
    expect(workflows.edges.map((edge) => edge.node.name)).not.toContain('oversized');
  });

  it('holds back query answers for a socket that stopped reading: 300 step-log reads of 1 MiB keep the server small and healthy, and all arrive once it reads', async () => {
    const { projects } = await graphql<{ projects: { id: string }[] }>(server, '{ projects { id } }');
    const { saveWorkflow } = await graphql<{ saveWorkflow: { id: string } }>(server, 'mutation ($p: ID!, $y: String!) { saveWorkflow(projectId: $p, yaml: $y) { id } }', {
      p: projects[0]?.id,
      y: `name: loud\nsteps:\n  - name: a\n    command: "head -c ${4 * MB} /dev/zero | tr '\\\\0' x"\n`,
    });
    const { triggerRun } = await graphql<{ triggerRun: { id: string } }>(server, 'mutation ($w: ID!) { triggerRun(workflowId: $w) { id } }', { w: saveWorkflow.id });
    let status = 'QUEUED';
    while (!['SUCCEEDED', 'FAILED'].includes(status)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await graphql<{ run: { status: string } }>(server, 'query ($id: ID!) { run(id: $id) { status } }', { id: triggerRun.id })).run.status;
    }
    expect(status).toBe('SUCCEEDED');
    const operations = 300;

    const connection = await openRawConnection(wsUrl(), token);
    connection.pause();
    for (let index = 0; index < operations; index += 1) {
      connection.send({ id: String(index), type: 'subscribe', payload: { query: 'query ($r: ID!) { stepLog(runId: $r, step: "a", limit: 1048576) { content } }', variables: { r: triggerRun.id } } });
    }
    // Time for the server to run whatever it lets through and to write it out.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const stalled = residentMemory(server.child);
    const healthWhileStalled = await healthz();
    connection.resume();
    await connection.until((messages) => messages.filter((message) => message.type === 'complete').length === operations);
    connection.close();

    expect(stalled.peak).toBeLessThan(500 * MB);
    expect(healthWhileStalled).toBe(200);
    const answers = connection.messages.filter((message) => message.type === 'next') as { payload: { data: { stepLog: { content: string } } } }[];
    expect(answers).toHaveLength(operations);
    expect(answers.every((answer) => answer.payload.data.stepLog.content.length === MB)).toBe(true);
  }, 120_000);
});
