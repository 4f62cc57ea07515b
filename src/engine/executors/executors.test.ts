import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Services } from '../../composition.ts';
import { ResponseBudget } from '../../domain/response-budget.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../../test/alert-receivers.ts';
import { composeTestServices } from '../../test/compose.ts';
import { useMigratedDatabase } from '../../test/database-suite.ts';
import { saveTestWorkflow, stepsOf, waitForRunEnd, waitForStepStatus } from '../../test/engine-helpers.ts';
import { ADMIN_PRINCIPAL } from '../../test/principals.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP API on an ephemeral port: /items answers JSON, /missing 404, /hold never answers, /big 2 MiB. */
async function startApi(): Promise<{ base: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const path = (request.url ?? '').split('?')[0];
      if (path === '/items') response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: [{ name: 'a', stock: 2 }, { name: 'b', stock: 0 }] }));
      else if (path === '/moved') response.writeHead(302, { location: '/items' }).end();
      else if (path === '/big') response.writeHead(200).end(Buffer.alloc(2 * 1024 * 1024, 'x'));
      else if (path === '/hold') return;
      else response.writeHead(404, { 'content-type': 'text/plain' }).end('no such thing');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('step executors, run by the engine', () => {
  const database = useMigratedDatabase('sqlite');
  let services: Services;
  let api: Awaited<ReturnType<typeof startApi>>;
  let smtp: SmtpReceiver;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-executors-'));
    writeFileSync(path.join(dataDir, 'admin-token'), 'not for mail');
    services = composeTestServices(database(), { dataDir });
    await services.engine.start({ recover: false });
    api = await startApi();
    smtp = await startSmtpReceiver('mail-secret');
  });
  afterAll(async () => {
    await services.engine.stop('test over');
    await api.close();
    await smtp.close();
  });

  async function runToEnd(yaml: string) {
    const workflow = await saveTestWorkflow(services, yaml);
    const run = await services.control.start(workflow, {}, 'MANUAL', 'tester');
    return waitForRunEnd(services, run.id);
  }

  async function stepRow(runId: string, name: string) {
    const rows = await services.repositories.steps.listByRunIds([runId]);
    const row = rows.find((candidate) => candidate.name === name);
    if (!row) throw new Error(`no step ${name}`);
    return row;
  }

  async function logOf(runId: string, step: string): Promise<string> {
    return (await services.runQueries.stepLog(ADMIN_PRINCIPAL, runId, step, 0, 100_000, new ResponseBudget(100_000))).content;
  }

  it('sends the request an http step describes and hands its body to a jq step, in both spellings', async () => {
    const run = await runToEnd(`
params:
  PAGE: "2"
steps:
  - name: fetch
    type: http
    command: POST ${api.base}/items
    with:
      headers: {X-Token: "t-\${PAGE}"}
      query: {page: "\${PAGE}"}
      body: '{"want": "all"}'
      silent: true
    output: ITEMS
  - name: in-stock
    executor: jq
    command: '.items[] | select(.stock > 0) | .name'
    script: \${ITEMS}
    output: NAMES
  - name: raw
    executor:
      type: jq
      config: {raw: true}
    command: '.items[0].name'
    script: \${ITEMS}
    output: RAW
  - name: check
    command: test "\${NAMES}" = '"a"' && test "\${RAW}" = a
`);
    expect(run.status).toBe('SUCCEEDED');
    const request = api.seen.find((seen) => seen.url.startsWith('/items'));
    expect(request).toMatchObject({ method: 'POST', url: '/items?page=2', body: '{"want": "all"}' });
    expect(request?.headers['x-token']).toBe('t-2');
    expect((await stepRow(run.id, 'fetch')).output).toBe(JSON.stringify({ items: [{ name: 'a', stock: 2 }, { name: 'b', stock: 0 }] }));
    expect(await logOf(run.id, 'fetch')).toContain(`POST ${api.base}/items?page=2\nHTTP 200 OK\n`);
  });

  it('follows redirects, gives status, headers and body without silent and one JSON object with json', async () => {
    const run = await runToEnd(`
steps:
  - name: plain
    type: http
    command: GET ${api.base}/moved
    output: PLAIN
  - name: as-json
    type: http
    command: GET ${api.base}/items
    with: {json: true}
    output: AS_JSON
`);
    expect(run.status).toBe('SUCCEEDED');
    const plain = (await stepRow(run.id, 'plain')).output ?? '';
    expect(plain.startsWith('HTTP 200 OK\n')).toBe(true);
    expect(plain).toContain('content-type: application/json');
    expect(plain.endsWith('{"items":[{"name":"a","stock":2},{"name":"b","stock":0}]}')).toBe(true);
    const parsed: unknown = JSON.parse((await stepRow(run.id, 'as-json')).output ?? '');
    expect(parsed).toMatchObject({ status_code: 200, headers: { 'content-type': 'application/json' }, body: { items: [{ name: 'a' }, { name: 'b' }] } });
  });

  it('fails an http step on a status outside 2xx and on a response too large, saying why', async () => {
    const run = await runToEnd(`
steps:
  - name: missing
    type: http
    command: GET ${api.base}/missing
    depends: []
  - name: big
    type: http
    command: GET ${api.base}/big
    depends: []
`);
    expect(run.status).toBe('FAILED');
    const missing = await stepRow(run.id, 'missing');
    expect(missing).toMatchObject({ status: 'FAILED', exitCode: 1, error: `GET ${api.base}/missing answered HTTP 404 Not Found` });
    expect(await logOf(run.id, 'missing')).toContain('no such thing');
    expect((await stepRow(run.id, 'big')).error).toContain('the response body is larger than 1048576 bytes');
  });

  it('aborts an http request in flight when the run is cancelled, and ends one past its timeout', async () => {
    const workflow = await saveTestWorkflow(services, `
steps:
  - name: held
    type: http
    command: GET ${api.base}/hold
`);
    const started = await services.control.start(workflow, {}, 'MANUAL', 'tester');
    await waitForStepStatus(services, started.id, 'held', 'RUNNING');
    await services.control.cancelRun(ADMIN_PRINCIPAL, started.id);
    const cancelled = await waitForRunEnd(services, started.id);
    expect(cancelled.status).toBe('ABORTED');
    expect(await stepsOf(services, started.id)).toEqual({ held: 'ABORTED' });

    const timedOut = await runToEnd(`
steps:
  - name: held
    type: http
    command: GET ${api.base}/hold
    with: {timeout: 1}
`);
    expect(timedOut.status).toBe('FAILED');
    expect((await stepRow(timedOut.id, 'held')).error).toContain('within 1s (with.timeout)');
  });

  it('fails a jq step with jq\'s own message, and ends a filter that never stops at the step\'s timeout', async () => {
    const run = await runToEnd(`
steps:
  - name: broken
    type: jq
    command: '.items['
    script: '{"items": []}'
    depends: []
  - name: forever
    type: jq
    command: 'repeat(1)'
    script: '1'
    timeoutSec: 2
    depends: []
`);
    expect(run.status).toBe('FAILED');
    expect((await stepRow(run.id, 'broken')).error).toContain('jq: error: syntax error');
    expect(await stepRow(run.id, 'forever')).toMatchObject({ status: 'FAILED', error: 'timed out after 2s' });
  });

  it("sends a mail step's message through the workflow's smtp server, references expanded", async () => {
    const run = await runToEnd(`
params:
  WHAT: nightly load
smtp: {host: 127.0.0.1, port: "${smtp.port}", username: alerts, password: mail-secret}
steps:
  - name: count
    command: echo 42
    output: ROWS
  - name: tell
    type: mail
    with:
      from: runtrail@example.com
      to: [ops@example.com, lead@example.com]
      subject: "\${WHAT} done"
      message: "Loaded \${ROWS} rows."
`);
    expect(run.status).toBe('SUCCEEDED');
    const mail = smtp.messages.find((message) => message.subject === 'nightly load done');
    expect(mail?.text?.trim()).toBe('Loaded 42 rows.');
    expect(mail?.to && !Array.isArray(mail.to) ? mail.to.text : null).toBe('ops@example.com, lead@example.com');
    expect(await logOf(run.id, 'tell')).toContain(`mail to ops@example.com, lead@example.com through 127.0.0.1:${smtp.port}`);
  });

  it('attaches a file a step wrote, and never one of DATA_DIR', async () => {
    const run = await runToEnd(`
smtp: {host: 127.0.0.1, port: ${smtp.port}, username: alerts, password: mail-secret}
steps:
  - name: write
    command: echo "col1,col2" > report.csv
  - name: send
    type: mail
    with: {from: r@example.com, to: ops@example.com, subject: with report, message: see attached, attachments: [report.csv]}
  - name: leak
    type: mail
    with: {from: r@example.com, to: ops@example.com, subject: token, message: x, attachments: ["${dataDir}/admin-token"]}
`);
    expect(run.status).toBe('FAILED');
    const sent = smtp.messages.find((message) => message.subject === 'with report');
    expect(sent?.attachments.map((attachment) => [attachment.filename, attachment.content.toString('utf8')])).toEqual([['report.csv', 'col1,col2\n']]);
    expect((await stepRow(run.id, 'leak')).error).toBe(`attachment "${dataDir}/admin-token" is inside Runtrail's DATA_DIR, which steps may not read`);
    expect(smtp.messages.some((message) => message.subject === 'token')).toBe(false);
  });

  it('fails a mail step whose server refuses the login, with the server\'s answer', async () => {
    const run = await runToEnd(`
smtp: {host: 127.0.0.1, port: ${smtp.port}, username: alerts, password: wrong}
steps:
  - name: tell
    type: mail
    with: {from: runtrail@example.com, to: ops@example.com, subject: x, message: y}
`);
    expect(run.status).toBe('FAILED');
    expect((await stepRow(run.id, 'tell')).error).toContain(`sending the mail through 127.0.0.1:${smtp.port} failed: Invalid login`);
  });
});
