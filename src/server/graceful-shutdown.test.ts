import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startServerProcess, type ServerProcess } from '../test/server-process.ts';

/** Sends the headers and half of the body, so the request stays in flight until `finish`. */
function startSlowRequest(url: string, token: string) {
  const body = JSON.stringify({ query: '{ viewer { username } }' });
  const request = http.request(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('response', (incoming) => {
      let text = '';
      incoming.on('data', (chunk: Buffer) => (text += chunk.toString()));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body: text }));
    });
    request.on('error', reject);
  });
  request.write(body.slice(0, 10));
  return { response, finish: () => request.end(body.slice(10)) };
}

describe('graceful shutdown of the server process', () => {
  let dataDir: string;
  let server: ServerProcess;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-shutdown-'));
    server = await startServerProcess({ DATA_DIR: dataDir });
  });
  afterAll(() => {
    server.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('on SIGTERM stops accepting, closes WebSockets with 1001, finishes in-flight requests and exits 0', async () => {
    const token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    const wsClosed = new Promise<number>((resolve) => {
      const client = createClient({
        url: server.url.replace(/^http/, 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${token}` },
        on: { closed: (event) => resolve((event as { code: number }).code) },
      });
      client.subscribe({ query: 'subscription { runEvents { seq } }' }, { next: () => {}, error: () => {}, complete: () => {} });
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const inFlight = startSlowRequest(server.url, token);
    await new Promise((resolve) => setTimeout(resolve, 100));

    server.child.kill('SIGTERM');

    expect(await wsClosed).toBe(1001);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    inFlight.finish();
    expect(await inFlight.response).toEqual({ status: 200, body: expect.stringContaining('"username":"admin"') });
    expect(await server.exited).toBe(0);
    expect(server.logs.map((entry) => entry.msg)).toEqual(expect.arrayContaining(['server.stopping', 'server.stopped']));
  });
});
