// Ours: a real `runtrail start` (SQLite, engine and scheduler on, so it leads and evaluates) with
// a webhook contact point at the bench's receiver and a RUN_FAILED rule (group wait 0) over
// `runs` workflows whose one step fails. Each of them fails once, paced, while a `true`
// workflow runs at a steady rate beside them: each failure is one FIRING episode (a workflow
// of its own, so flap damping never meets it) and one webhook. Afterwards the run's finishedAt,
// the FIRING event's time and the webhook's arrival are matched per run.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchFailure } from '../shared/bench-failure.ts';
import { startBenchServer, type BenchServer } from '../shared/server-process.ts';
import type { WebhookReceiver } from './webhook-receiver.ts';

const READY_TIMEOUT_MS = 2 * 60 * 1000;
const STOP_GRACE_MS = 15 * 1000;
const SETTLE_TIMEOUT_MS = 60 * 1000;
const POLL_MS = 200;
// After the last expected webhook, how long a duplicate (a second FIRING, a redelivery) is given to show.
const DUPLICATE_GRACE_MS = 2_000;

const LOAD_WORKFLOW = 'name: steady-load\nmaxActiveRuns: 100\nsteps:\n  - name: only\n    command: "true"\n';
const watchedWorkflow = (index: number) => `name: watched-${index}\nsteps:\n  - name: only\n    command: "false"\n`;

export interface RunLatency {
  runId: string;
  /** finishedAt → the FIRING AlertEvent's `at`, ms (the database's times: whole ms). */
  toFiring: number;
  /** finishedAt → the webhook's arrival at the receiver, ms. */
  toWebhook: number;
}

export interface ServerLatency {
  latencies: RunLatency[];
  /** What the check compares: failed runs, FIRING transitions of the rule, verified firing webhooks naming a failed run. */
  failedRuns: number;
  firingEvents: number;
  firingWebhooks: number;
  unverifiedWebhooks: number;
  loadRuns: number;
  /** Failing runs without a FIRING event or a firing webhook, for the failure message. */
  unmatchedRunIds: string[];
}

interface Session {
  server: BenchServer;
  token: string;
  projectId: string;
}

export async function startAlertingServer(dataDir: string): Promise<Session & { stop(): Promise<void> }> {
  const server = await startBenchServer({
    dataDir,
    databaseUrl: `file:${path.join(dataDir, 'runtrail.db')}`,
    logName: 'server.log',
    env: { ENGINE: 'on', SCHEDULER: 'on', MAX_ACTIVE_RUNS: '100', ALERT_ALLOW_PRIVATE_TARGETS: 'true' },
    readyTimeoutMs: READY_TIMEOUT_MS,
    stopGraceMs: STOP_GRACE_MS,
  });
  const token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
  const { projects } = await graphql<{ projects: { id: string }[] }>(server.url, token, '{ projects { id } }', {});
  const [project] = projects;
  if (!project) throw new BenchFailure('the new database has no project');
  return { server, token, projectId: project.id, stop: () => server.stop() };
}

export async function measureServerLatency(session: Session, receiver: WebhookReceiver, options: { runs: number; rate: number; loadRate: number }): Promise<ServerLatency> {
  const { server, token, projectId } = session;
  const call = <T>(query: string, variables: Record<string, unknown> = {}) => graphql<T>(server.url, token, query, variables);
  const saveWorkflow = async (yaml: string) => (await call<{ saveWorkflow: { id: string } }>('mutation ($p: ID!, $y: String!) { saveWorkflow(projectId: $p, yaml: $y) { id } }', { p: projectId, y: yaml })).saveWorkflow.id;
  const trigger = async (workflowId: string) => (await call<{ triggerRun: { id: string } }>('mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }', { id: workflowId })).triggerRun.id;

  const { saveContactPoint } = await call<{ saveContactPoint: { id: string } }>('mutation ($input: ContactPointInput!) { saveContactPoint(input: $input) { id } }', {
    input: { projectId, kind: 'WEBHOOK', name: 'bench receiver', url: receiver.url, secret: receiver.secret },
  });
  const loadWorkflowId = await saveWorkflow(LOAD_WORKFLOW);
  const watched: string[] = [];
  for (let index = 0; index < options.runs; index += 1) watched.push(await saveWorkflow(watchedWorkflow(index)));
  const { saveAlertRule } = await call<{ saveAlertRule: { id: string } }>('mutation ($input: AlertRuleInput!) { saveAlertRule(input: $input) { id } }', {
    input: {
      projectId,
      name: 'watched fails',
      kind: 'RUN_FAILED',
      groupWaitSeconds: 0,
      repeatIntervalSeconds: 0,
      workflowIds: watched,
      contactPointIds: [saveContactPoint.id],
    },
  });

  let loading = options.loadRate > 0;
  const loadRuns: Promise<string>[] = [];
  const load = (async () => {
    const started = performance.now();
    for (let index = 0; loading; index += 1) {
      await sleep(Math.max(0, started + (index * 1000) / options.loadRate - performance.now()));
      if (loading) loadRuns.push(trigger(loadWorkflowId));
    }
  })();

  const runIdByWorkflow = new Map<string, string>();
  try {
    const started = performance.now();
    for (const [index, workflowId] of watched.entries()) {
      await sleep(Math.max(0, started + (index * 1000) / options.rate - performance.now()));
      runIdByWorkflow.set(workflowId, await trigger(workflowId));
    }
    await waitForWebhooks(receiver, new Set(runIdByWorkflow.values()));
    await sleep(DUPLICATE_GRACE_MS);
  } finally {
    loading = false;
    await load;
  }
  await Promise.all(loadRuns);

  const finished = new Map<string, { status: string; finishedAt: string | null }>();
  for (const runId of runIdByWorkflow.values()) {
    const { run } = await call<{ run: { status: string; finishedAt: string | null } | null }>('query ($id: ID!) { run(id: $id) { status finishedAt } }', { id: runId });
    if (!run) throw new BenchFailure(`run ${runId} is gone`);
    finished.set(runId, run);
  }
  const { alerts } = await call<{ alerts: { workflowId: string; events: { to: string; at: string }[] }[] }>(
    'query ($rule: ID!) { alerts(filter: { ruleIds: [$rule], states: [INACTIVE, PENDING, FIRING, RESOLVED] }, first: 500) { workflowId events { to at } } }',
    { rule: saveAlertRule.id },
  );

  const latencies: RunLatency[] = [];
  let firingEvents = 0;
  for (const alert of alerts) {
    const firings = alert.events.filter((event) => event.to === 'FIRING');
    firingEvents += firings.length;
    const runId = runIdByWorkflow.get(alert.workflowId);
    const finishedAt = runId === undefined ? undefined : finished.get(runId)?.finishedAt;
    const [firing] = firings;
    const webhook = receiver.deliveries.find((delivery) => delivery.type === 'alert.firing' && runId !== undefined && delivery.runIds.includes(runId));
    if (runId === undefined || !finishedAt || !firing || !webhook) continue;
    const end = Date.parse(finishedAt);
    latencies.push({ runId, toFiring: Date.parse(firing.at) - end, toWebhook: webhook.atWallMs - end });
  }
  const runIds = new Set(runIdByWorkflow.values());
  const firingWebhooks = receiver.deliveries.filter((delivery) => delivery.verified && delivery.type === 'alert.firing' && delivery.runIds.some((runId) => runIds.has(runId)));
  return {
    latencies,
    failedRuns: [...finished.values()].filter((run) => run.status === 'FAILED').length,
    firingEvents,
    firingWebhooks: firingWebhooks.reduce((total, delivery) => total + delivery.runIds.filter((runId) => runIds.has(runId)).length, 0),
    unverifiedWebhooks: receiver.deliveries.filter((delivery) => !delivery.verified).length,
    loadRuns: loadRuns.length,
    unmatchedRunIds: [...runIds].filter((runId) => !latencies.some((latency) => latency.runId === runId)),
  };
}

/** Until a firing webhook named every run, or the timeout (the check then reports what is missing). */
async function waitForWebhooks(receiver: WebhookReceiver, runIds: ReadonlySet<string>): Promise<void> {
  const deadline = performance.now() + SETTLE_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const named = new Set(receiver.deliveries.filter((delivery) => delivery.type === 'alert.firing').flatMap((delivery) => delivery.runIds));
    if ([...runIds].every((runId) => named.has(runId))) return;
    await sleep(POLL_MS);
  }
}

async function graphql<T>(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!body.data) throw new BenchFailure(`GraphQL failed (HTTP ${response.status}): ${JSON.stringify(body.errors)}`);
  return body.data;
}
