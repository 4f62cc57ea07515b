import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseExposition, promtoolCheck, valueOf } from '../test/prometheus-text.ts';
import { pollUntil } from '../test/poll-until.ts';
import { processClient } from '../test/process-client.ts';
import { startClusterProcess, type ServerProcess } from '../test/server-process.ts';
import { createTempPostgres, type TempDatabase } from '../test/temp-database.ts';

const TOKEN = 'cluster-metrics-token-0123456789';
const WORKFLOW = 'name: cluster-metrics\nsteps:\n  - name: only\n    command: "true"\n';

async function scrape(url: string, token: string | null): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  return { status: response.status, text: await response.text() };
}

/** Where a process said its METRICS_PORT listener is (its `metrics.listening` log line). */
function metricsUrlOf(server: ServerProcess): string {
  const line = server.logs.find((entry) => entry.msg === 'metrics.listening');
  if (typeof line?.url !== 'string') throw new Error('The process logged no metrics.listening line');
  return line.url;
}

describe('/metrics of `runtrail api` (METRICS_TOKEN) and `runtrail worker` (METRICS_PORT) on one PostgreSQL database', () => {
  let database: TempDatabase;
  const dataDirs: string[] = [];
  const processes: ServerProcess[] = [];
  let api: ServerProcess;
  let worker: ServerProcess;
  let token = '';
  const { graphql } = processClient(() => token);

  beforeAll(async () => {
    database = await createTempPostgres('metrics-cluster');
    api = await startClusterProcess({ databaseUrl: database.config.url, role: 'api', leaseSeconds: 3, dataDirs, env: { METRICS_TOKEN: TOKEN } });
    processes.push(api);
    worker = await startClusterProcess({ databaseUrl: database.config.url, role: 'worker', name: 'metrics-worker', leaseSeconds: 3, dataDirs, env: { METRICS_PORT: '0' } });
    processes.push(worker);
    token = readFileSync(path.join(dataDirs[0] ?? '', 'admin-token'), 'utf8').trim();
  }, 120_000);
  afterAll(async () => {
    for (const server of processes) server.child.kill('SIGKILL');
    await Promise.all(processes.map((server) => server.exited));
    await database.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('counts in the API the runs the worker executed, and times them in the worker', async () => {
    const { projects } = await graphql<{ projects: { id: string }[] }>(api, '{ projects { id } }');
    const saved = await graphql<{ saveWorkflow: { id: string } }>(api, 'mutation ($p: ID!, $y: String!) { saveWorkflow(projectId: $p, yaml: $y) { id } }', { p: projects[0]?.id, y: WORKFLOW });
    for (let run = 0; run < 2; run += 1) await graphql(api, 'mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }', { id: saved.saveWorkflow.id });

    const fromApi = await pollUntil('both runs counted by the API process', 30_000, async () => {
      const { text } = await scrape(`${api.url}/metrics`, TOKEN);
      return valueOf(parseExposition(text), 'runtrail_runs_total', { workflow: 'cluster-metrics', status: 'SUCCEEDED' }) === 2 ? text : null;
    });
    const fromWorker = (await scrape(metricsUrlOf(worker), null)).text;
    const workerSamples = parseExposition(fromWorker);

    expect(valueOf(parseExposition(fromApi), 'runtrail_process_role', { role: 'api' })).toBe(1);
    expect(valueOf(workerSamples, 'runtrail_process_role', { role: 'worker' })).toBe(1);
    expect(valueOf(workerSamples, 'runtrail_run_duration_seconds_count', { status: 'SUCCEEDED' })).toBe(2);
    expect(valueOf(workerSamples, 'runtrail_runs_total', { workflow: 'cluster-metrics', status: 'SUCCEEDED' })).toBe(2);
    expect(valueOf(workerSamples, 'runtrail_executors_alive')).toBe(1);
    expect(promtoolCheck(fromApi).status).toBe(0);
    expect(promtoolCheck(fromWorker).status).toBe(0);
  }, 60_000);

  it("keeps the worker's metrics off its main port and the API's behind the token", async () => {
    const workerMain = await scrape(`${worker.url}/metrics`, null);
    const apiWithout = await scrape(`${api.url}/metrics`, null);

    expect(workerMain.status).toBe(404);
    expect(apiWithout.status).toBe(401);
  });
});
