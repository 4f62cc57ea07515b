// `npm run bench:alerts -- [--runs 50] [--rate 1] [--load-rate 3] [--hours 24]`: alerting, in two
// parts. Latency: a real `runtrail start` (SQLite) leads and evaluates a RUN_FAILED rule (group
// wait 0) with a webhook contact point at a receiver in this process; `runs` workflows fail once
// each, `rate` a second, beside a steady load of `true` runs: finishedAt → FIRING and
// finishedAt → webhook received, p50/p95, beside the floor of a bare signed POST from this process
// to the same receiver. Flap handling: a workflow alternating failure and success every minute for
// a simulated day, in process on a manual clock: notifications per hour with flap damping beside
// the transitions a rule without it would notify. Exit 1 when a check fails.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureBareWebhooks } from './alerts/bare-webhook.ts';
import { simulateFlapDay, type FlapDay } from './alerts/flap-day.ts';
import { parseOptions, type AlertsBenchOptions } from './alerts/options.ts';
import { measureServerLatency, startAlertingServer, type ServerLatency } from './alerts/server-latency.ts';
import { startWebhookReceiver } from './alerts/webhook-receiver.ts';
import { runBench, type CleanUps } from './shared/lifecycle.ts';
import { count, machineLines, ms, percentile, table } from './shared/report.ts';
import { build } from './shared/server-process.ts';

// The aim for a flapping workflow: at most this many notifications in any hour.
const FLAP_AIM_PER_HOUR = 2;

// The floor's POSTs only measure a delivery: no need to pace them as slowly as the runs.
const FLOOR_PER_SECOND = 10;

function log(line: string): void {
  console.log(line);
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(' / ');
}

async function main(options: AlertsBenchOptions, cleanUps: CleanUps): Promise<number> {
  build('server');
  for (const line of machineLines()) log(line);
  log(`load average (1 / 5 / 15 min) at the start: ${loadAverage()}`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-bench-alerts-'));
  if (options.keep) cleanUps.add(async () => log(`kept: the data directory (database, server.log) in ${dataDir}`));
  else cleanUps.add(async () => rmSync(dataDir, { recursive: true, force: true }));

  const receiver = await startWebhookReceiver();
  cleanUps.add(() => receiver.close());
  const session = await startAlertingServer(dataDir);
  const stopServer = cleanUps.add(() => session.stop());
  log(`\nlatency: ${options.runs} workflows failing once each at ${options.rate}/s, ${options.loadRate} runs/s of \`true\` beside them; RUN_FAILED, group wait 0, a signed webhook…`);
  const ours = await measureServerLatency(session, receiver, options);
  log(`floor: ${options.runs} bare signed POSTs from this process to the same receiver at ${FLOOR_PER_SECOND}/s…`);
  const floor = await measureBareWebhooks(receiver, options.runs, FLOOR_PER_SECOND);
  await stopServer();
  log(`load average after the latency part: ${loadAverage()}`);
  for (const line of latencyLines(ours, floor, options.runs)) log(line);
  const latencyPassed = latencyChecks(ours, floor, options.runs);

  log(`\nflap handling: a workflow failing and succeeding in turn every minute for ${options.hours} simulated hour${options.hours === 1 ? '' : 's'}, RUN_FAILED, group wait 0…`);
  const day = await simulateFlapDay(options.hours);
  for (const line of flapLines(day)) log(line);
  log(`load average at the end: ${loadAverage()}`);
  const flapPassed = sum(day.naive) === day.expectedNaive && Math.max(...day.damped) <= FLAP_AIM_PER_HOUR;
  return latencyPassed && flapPassed ? 0 : 1;
}

function latencyChecks(ours: ServerLatency, floor: readonly number[], runs: number): boolean {
  return ours.failedRuns === runs && ours.firingEvents === runs && ours.firingWebhooks === runs && ours.latencies.length === runs && ours.unverifiedWebhooks === 0 && floor.length === runs;
}

function latencyLines(ours: ServerLatency, floor: readonly number[], runs: number): string[] {
  const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);
  const toFiring = sorted(ours.latencies.map((latency) => latency.toFiring));
  const toWebhook = sorted(ours.latencies.map((latency) => latency.toWebhook));
  const bare = sorted(floor);
  const row = (name: string, values: readonly number[]) => [name, ms(percentile(values, 0.5)), ms(percentile(values, 0.95)), ms(values.at(-1) ?? Number.NaN)];
  const ratio = (fraction: number) => `${(percentile(toWebhook, fraction) / Math.max(percentile(bare, fraction), 1)).toFixed(0)}x`;
  return [
    '',
    ...table(
      ['ms', 'p50', 'p95', 'max'],
      [row('ours: run finishedAt → FIRING event', toFiring), row('ours: run finishedAt → webhook received', toWebhook), row('floor: bare signed POST → received', bare)],
    ),
    `ours / floor (webhook received): p50 ${ratio(0.5)}, p95 ${ratio(0.95)}`,
    '(finishedAt and the event time are the database\'s whole ms; the webhook time is the receiver\'s wall clock on the same machine;',
    ' a ratio counts a floor under 1 ms as 1 ms; the evaluator is woken by each run end on the event bus, the dispatcher by the evaluator once it committed)',
    `same answer: ${runs} runs failed: ${ours.failedRuns}; FIRING transitions: ${ours.firingEvents}; verified firing webhooks: ${ours.firingWebhooks} (unverified: ${ours.unverifiedWebhooks}); bare POSTs received: ${floor.length}; ` +
      `load runs triggered meanwhile: ${count(ours.loadRuns)} → ${latencyChecks(ours, floor, runs) ? 'yes' : 'NO'}`,
    ...(ours.unmatchedRunIds.length > 0 ? [`runs without a FIRING event or a firing webhook: ${ours.unmatchedRunIds.slice(0, 10).join(', ')}${ours.unmatchedRunIds.length > 10 ? ', …' : ''}`] : []),
  ];
}

function flapLines(day: FlapDay): string[] {
  const dampedMax = Math.max(...day.damped);
  const naiveMax = Math.max(...day.naive);
  const [dampedTotal, naiveTotal] = [sum(day.damped), sum(day.naive)];
  return [
    ...table(
      ['notifications', 'max per hour', 'total', 'per hour, hour by hour'],
      [
        ['ours (flap damping)', count(dampedMax), count(dampedTotal), day.damped.join(' ')],
        ['naive (every FIRING and RESOLVED)', count(naiveMax), count(naiveTotal), day.naive.join(' ')],
      ],
    ),
    `naive / ours: per-hour max ${(naiveMax / Math.max(dampedMax, 1)).toFixed(0)}x, total ${(naiveTotal / Math.max(dampedTotal, 1)).toFixed(0)}x`,
    `aim: at most ${FLAP_AIM_PER_HOUR} notifications in every hour: ${dampedMax <= FLAP_AIM_PER_HOUR ? 'yes' : 'NO'}`,
    `same answer: the lifecycle's transitions (${count(naiveTotal)}) equal the changes of outcome in the ${count(day.runs)} runs (${count(day.expectedNaive)}): ${naiveTotal === day.expectedNaive ? 'yes' : 'NO'}`,
    `(simulated in ${(day.elapsedMs / 1000).toFixed(1)} s: a run, catchUp, and a tick every simulated minute, on SQLite in this process)`,
  ];
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

runBench({
  name: 'alerts',
  interrupted: 'stopping the server and the receiver, removing the data directory…',
  parse: () => parseOptions(process.argv.slice(2)),
  main,
});
