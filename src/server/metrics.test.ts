import { readFileSync } from 'node:fs';
import path from 'node:path';
import { waitForRunEnd } from '../test/engine-helpers.ts';
import { familiesOf, parseExposition, promtoolCheck, valueOf } from '../test/prometheus-text.ts';
import { pollUntil } from '../test/poll-until.ts';
import { TEST_ENGINE } from '../test/compose.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';
import { PROVIDERS } from '../test/database-suite.ts';

const TOKEN = 'metrics-test-token-0123456789';
const SAVE = 'mutation SaveForMetrics($projectId: ID!, $yaml: String!) { saveWorkflow(projectId: $projectId, yaml: $yaml) { id } }';
const TRIGGER = 'mutation TriggerForMetrics($id: ID!) { triggerRun(workflowId: $id) { id } }';

async function scrape(url: string, token: string | null = TOKEN): Promise<{ status: number; text: string; contentType: string | null }> {
  const response = await fetch(`${url}/metrics`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  return { status: response.status, text: await response.text(), contentType: response.headers.get('content-type') };
}

describe.each(PROVIDERS)('/metrics with METRICS_TOKEN, after runs of two workflows (%s)', (provider) => {
  let server: TestServer;
  let text: string;

  beforeAll(async () => {
    // A heartbeat every second (a third of the lease), so one is counted while the test runs.
    server = await startTestServer(provider, { config: { metrics: { token: TOKEN, port: null, host: '127.0.0.1' }, engine: { ...TEST_ENGINE, leaseMs: 3_000 } } });
    const { body } = await server.query<{ projects: { id: string }[] }>('{ projects { id } }');
    const projectId = body.data?.projects[0]?.id ?? '';
    const save = async (yaml: string) => (await server.query<{ saveWorkflow: { id: string } }>(SAVE, { projectId, yaml })).body.data?.saveWorkflow.id ?? '';
    const passing = await save('name: metrics-pass\nsteps:\n  - name: only\n    command: "true"\n');
    const failing = await save('name: metrics-fail\nsteps:\n  - name: only\n    command: "false"\n');

    const events: unknown[] = [];
    server.wsClient().subscribe({ query: 'subscription Follow { runEvents { seq } }' }, { next: (value) => events.push(value), error: () => {}, complete: () => {} });
    await pollUntil('the subscription to stream', 10_000, async () => ((await scrape(server.url)).text.includes('runtrail_subscriptions_open{field="runEvents"} 1') ? true : null));

    const runIds: string[] = [];
    for (const workflowId of [passing, passing, passing, failing, failing]) {
      const { body: triggered } = await server.query<{ triggerRun: { id: string } }>(TRIGGER, { id: workflowId });
      runIds.push(triggered.data?.triggerRun.id ?? '');
    }
    for (const runId of runIds) await waitForRunEnd(server.app.services, runId);
    await pollUntil('a heartbeat and the events delivered', 10_000, async () => {
      const samples = parseExposition((await scrape(server.url)).text);
      return (valueOf(samples, 'runtrail_executor_heartbeats_total', { outcome: 'ok' }) ?? 0) >= 1 && events.length >= 5 * 4 ? true : null;
    });
    // The rollup totals are read at most every 5 s: this scrape reads them after the last run ended.
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    text = (await scrape(server.url)).text;
  }, 60_000);
  afterAll(async () => {
    await server.stop();
  });

  it('counts the finished runs of each workflow by final status, from the rollups', () => {
    const samples = parseExposition(text);

    expect(valueOf(samples, 'runtrail_runs_total', { project: 'default', workflow: 'metrics-pass', status: 'SUCCEEDED' })).toBe(3);
    expect(valueOf(samples, 'runtrail_runs_total', { project: 'default', workflow: 'metrics-fail', status: 'FAILED' })).toBe(2);
    expect(valueOf(samples, 'runtrail_runs_total', { workflow: 'metrics-pass', status: 'FAILED' })).toBeNull();
    expect(valueOf(samples, 'runtrail_rollups_up')).toBe(1);
    expect(valueOf(samples, 'runtrail_queue_depth')).toBe(0);
    expect(valueOf(samples, 'runtrail_queue_oldest_age_seconds')).toBe(0);
    expect(valueOf(samples, 'runtrail_executors_alive')).toBe(1);
  });

  it('has run and step durations, and the transitions written, of the runs this process recorded', () => {
    const samples = parseExposition(text);

    expect(valueOf(samples, 'runtrail_run_duration_seconds_count', { status: 'SUCCEEDED' })).toBe(3);
    expect(valueOf(samples, 'runtrail_run_duration_seconds_count', { status: 'FAILED' })).toBe(2);
    expect(valueOf(samples, 'runtrail_step_duration_seconds_count', { status: 'SUCCEEDED' })).toBe(3);
    expect(valueOf(samples, 'runtrail_step_duration_seconds_count', { status: 'FAILED' })).toBe(2);
    expect(valueOf(samples, 'runtrail_transitions_written_total', { kind: 'create' })).toBe(5);
    // Per run: QUEUED→RUNNING, RUNNING→end; per step: NOT_STARTED→RUNNING, RUNNING→end.
    expect(valueOf(samples, 'runtrail_transitions_written_total', { kind: 'run' })).toBe(10);
    expect(valueOf(samples, 'runtrail_transitions_written_total', { kind: 'step' })).toBe(10);
    expect(valueOf(samples, 'runtrail_transition_write_seconds_count', { kind: 'run' })).toBe(10);
  });

  it('times GraphQL operations by name and HTTP requests by route, and counts subscription deliveries', () => {
    const samples = parseExposition(text);

    expect(valueOf(samples, 'runtrail_graphql_operation_duration_seconds_count', { type: 'mutation', operation: 'TriggerForMetrics', outcome: 'ok' })).toBe(5);
    expect(valueOf(samples, 'runtrail_graphql_operation_duration_seconds_count', { type: 'query', operation: '(anonymous)', outcome: 'ok' })).toBe(1);
    expect(valueOf(samples, 'runtrail_http_request_duration_seconds_count', { method: 'POST', route: '/graphql', code: '200' })).toBe(8);
    expect(valueOf(samples, 'runtrail_subscriptions_open', { field: 'runEvents' })).toBe(1);
    expect(valueOf(samples, 'runtrail_subscription_deliveries_total', { field: 'runEvents' })).toBeGreaterThanOrEqual(20);
    expect(valueOf(samples, 'runtrail_executor_heartbeats_total', { outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'runtrail_claims_held', { state: 'executing' })).toBe(0);
    expect(valueOf(samples, 'runtrail_process_role', { role: 'all' })).toBe(1);
  });

  it("has the process's CPU, memory and event-loop lag", () => {
    const families = familiesOf(text);

    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) expect(families.has(name)).toBe(true);
  });

  it("passes Debian's promtool check metrics", () => {
    const { status, output } = promtoolCheck(text);

    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('has every metric the Grafana dashboard in docs/ queries', () => {
    const dashboard = readFileSync(path.join(__dirname, '..', '..', 'docs', 'grafana-dashboard.json'), 'utf8');
    const expressions = [...dashboard.matchAll(/"expr": "((?:[^"\\]|\\.)*)"/g)].map((match) => match[1] ?? '');
    const named = new Set(expressions.flatMap((expression) => [...expression.matchAll(/\b((?:runtrail|process|nodejs)_[a-z0-9_]+)/g)].map((match) => match[1] ?? '')));
    // A family without samples now (no run is active) still counts: its TYPE line is there.
    const exposed = new Set([...familiesOf(text), ...parseExposition(text).map((sample) => sample.name)]);

    expect(expressions.length).toBeGreaterThanOrEqual(10);
    expect([...named].filter((name) => !exposed.has(name))).toEqual([]);
  });

  it('reads the rollups at most once per 5 seconds, however many scrapes come', async () => {
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    const statements: string[] = [];
    server.database.onStatement((sql) => statements.push(sql));
    try {
      const scrapes = await Promise.all([scrape(server.url), scrape(server.url), scrape(server.url)]);
      const after = await scrape(server.url);

      expect([...scrapes, after].map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
      expect(statements.filter((sql) => sql.includes('StatusDayBucket'))).toHaveLength(1);
    } finally {
      server.database.onStatement(null);
    }
  }, 20_000);

  it('refuses a scrape without the token, or with another, saying what to send', async () => {
    const without = await scrape(server.url, null);
    const wrong = await scrape(server.url, 'not-the-metrics-token-at-all');

    expect(without.status).toBe(401);
    expect(without.text).toContain('Authorization: Bearer');
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('not the METRICS_TOKEN');
  });
});

describe('/metrics by default', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterAll(async () => {
    await server.stop();
  });

  it('is off, and says how to turn it on', async () => {
    const { status, text } = await scrape(server.url, null);

    expect(status).toBe(404);
    expect(text).toContain('Set METRICS_TOKEN');
    expect(text).toContain('METRICS_PORT');
  });
});

describe('/metrics on METRICS_PORT, in a worker', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('sqlite', { config: { role: 'worker', servesApi: false, metrics: { token: null, port: 0, host: '127.0.0.1' } } });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('is served on its own listener without a token, and not on the main port', async () => {
    const metricsUrl = `http://127.0.0.1:${server.app.metricsPort ?? 0}`;
    const own = await scrape(metricsUrl, null);
    const main = await scrape(server.url, null);

    expect(own.status).toBe(200);
    expect(own.contentType).toContain('text/plain; version=0.0.4');
    expect(valueOf(parseExposition(own.text), 'runtrail_process_role', { role: 'worker' })).toBe(1);
    expect(main.status).toBe(404);
    expect(main.text).toContain('METRICS_PORT listener');
  });
});
