// `npm run bench:live -- [--subscribers 1000] [--rate 500] [--seconds 30] [--servers 1]`: live
// history. The subscribers hold graphql-ws `runEvents` subscriptions on the real server (API
// only, PostgreSQL, events through Redis; with --servers N, spread evenly over N such processes)
// while this process records status changes at the rate, for the seconds, through the real
// recorder; each delivery is timed from the write's commit to the client's receipt. Beside it,
// the floor: the same payloads broadcast by as many bare `ws` servers to as many plain clients,
// spread the same way, each sent when ours committed it, so both sides carry the same load even
// when the writer falls short of the rate. Exit 1 when an event was lost, duplicated or out of order
// on either side; a missed aim is only reported.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBareBroadcast, floorPayloads, type BareBroadcast, type FloorPayloads } from './live/bare-broadcast.ts';
import { recreateDatabase } from './live/bench-database.ts';
import { HealthProbe, PROBE_EVERY_MS, type ProbeResult } from './live/health-probe.ts';
import { nowMs, sleepUntil } from './live/clock.ts';
import { EventWriter, type Schedule, type WrittenEvents } from './live/event-writer.ts';
import { parseOptions, type LiveBenchOptions } from './live/options.ts';
import { complete, latencyVerdict, lost, tableLines, throughputVerdict, type SideResult } from './live/results.ts';
import { SubscriberPool } from './live/subscriber-pool.ts';
import type { Summary } from './live/subscribers-protocol.ts';
import { BenchFailure } from './shared/bench-failure.ts';
import { runBench, type CleanUps } from './shared/lifecycle.ts';
import { cpuPercent, cpuSample, cpuSampleOf, cpuSeconds, memory, openFilesLimit, userSeconds, writeCallsOf } from './shared/process-stats.ts';
import { count, duration, machineLines, ms } from './shared/report.ts';
import { build, startBenchServer, type BenchServer } from './shared/server-process.ts';

// Room for the warm-up before the first timed event is due.
const START_LEAD_MS = 250;
const PROGRESS_EVERY_MS = 5_000;
const DRAIN_POLL_MS = 50;
// Delivery that makes no progress for this long after the last write is over: the rest is lost.
const DRAIN_STALL_MS = 15_000;
const DRAIN_MAX_MS = 10 * 60 * 1000;
const MIN_SUBSCRIPTION_BUFFER = 100_000;
// A writer below this share of the rate asked is called out.
const WRITER_SHORTFALL = 0.95;
// A subscriber process above this share of one core may be what limits a side.
const CLIENTS_BUSY_PERCENT = 90;
// Beyond one socket per subscriber: database pool, Redis, log files, the runtime's own.
const SPARE_FILES = 256;
const SERVER_READY_TIMEOUT_MS = 2 * 60 * 1000;
const SERVER_STOP_GRACE_MS = 30 * 1000;

/** The real servers, API only, each streaming what this process's writer publishes on the shared Redis bus. */
interface LiveServers {
  servers: BenchServer[];
  adminToken: string;
}

/** What a side needs to be measured: something that produces the timed events from a start time. */
interface Producer {
  label: string;
  serverPids: number[];
  pool: SubscriberPool;
  /** At most this many. */
  events: number;
  /** Where the server answers /healthz, if it does. */
  healthUrl: string | null;
  produce(startMs: number): Promise<{ commitMs: Float64Array; produced: number; lastMs: number }>;
  produced(): number;
}

interface Measured {
  result: SideResult;
  /** Events produced per second, over the seconds asked for (or until the last commit or send, when later). */
  achievedRate: number;
  clientsCpuPercent: number | null;
  drainedMs: number;
  health: ProbeResult | null;
}

interface Bench {
  options: LiveBenchOptions;
  events: number;
  dataDir: string;
  notes: string[];
  cleanUps: CleanUps;
}

function log(line: string): void {
  console.log(line);
}

async function main(bench: Bench): Promise<number> {
  const { options } = bench;
  checkOpenFiles(options.subscribers);
  build('server');
  printHeader(bench);

  const database = await recreateDatabase(options.postgresUrl);
  onCleanUp(bench, () => database.drop());
  log(`\nours: starting ${options.servers === 1 ? 'the server' : `${options.servers} servers`} (API only) on ${database.name}…`);
  const servers = await startLiveServers(bench, database.url);
  const stopServers = onCleanUp(bench, async () => {
    await Promise.all(servers.servers.map((server) => server.stop()));
  });
  const writer = await EventWriter.open({ databaseUrl: database.url, redisUrl: options.redisUrl, dataDir: bench.dataDir });
  const closeWriter = onCleanUp(bench, () => writer.close());

  const { measured: ours, written, sample } = await measureOurs(bench, servers, writer);
  await closeWriter();
  await stopServers();
  printSide(bench, ours);

  log(`\nfloor: the same ${count(written.written)} payloads from a bare ws server, each at the time ours committed it…`);
  const payloads = floorPayloads(sample, written);
  log(`  payload: ${Buffer.byteLength(sample)} bytes as ours sent it, e.g. ${sample}`);
  const floor = await measureFloor(bench, payloads, written.base);
  printSide(bench, floor);

  log('');
  for (const line of tableLines(ours.result, floor.result)) log(line);
  log('(latency: from the write committing (ours) or the payload being handed to the server (floor) to the client receiving it)');
  log('');
  const oursComplete = complete(ours.result.summary);
  const floorComplete = complete(floor.result.summary);
  log(`same answer (every client received every event once, in order): ours ${oursComplete ? 'yes' : 'NO'}, floor ${floorComplete ? 'yes' : 'NO'}`);
  const verdicts = [latencyVerdict(ours.result), throughputVerdict(ours.result, floor.result)];
  log(`aims: ${verdicts.map((verdict) => verdict.text).join('; ')}`);
  for (const note of bench.notes) log(`note: ${note}`);
  return oursComplete && floorComplete ? 0 : 1;
}

/**
 * The first server migrates the new database and writes the admin token; the others start
 * after it, on the same database and Redis, each with a data directory of its own.
 */
async function startLiveServers(bench: Bench, databaseUrl: string): Promise<LiveServers> {
  const first = await startLiveServer(bench, databaseUrl, 0);
  const tokenFile = path.join(first.dataDir, 'admin-token');
  if (!existsSync(tokenFile)) throw new BenchFailure(`the server started without writing ${tokenFile}: is ${databaseUrl} really new?`);
  // A server that fails to start fails the bench, whose exit stops every child it started.
  const rest = await Promise.all(Array.from({ length: bench.options.servers - 1 }, (_, index) => startLiveServer(bench, databaseUrl, index + 1)));
  return { servers: [first.server, ...rest.map((started) => started.server)], adminToken: readFileSync(tokenFile, 'utf8').trim() };
}

async function startLiveServer(bench: Bench, databaseUrl: string, index: number): Promise<{ server: BenchServer; dataDir: string }> {
  // Events a subscriber may fall behind before RESYNC: large, so the bench measures delivery, not cut-offs.
  const subscriptionBuffer = Math.max(MIN_SUBSCRIPTION_BUFFER, bench.events + 1_000);
  const dataDir = path.join(bench.dataDir, `server-${index + 1}`);
  const { cpuProfileDir } = bench.options;
  const server = await startBenchServer({
    dataDir,
    databaseUrl,
    logName: 'server.log',
    env: { REDIS_URL: bench.options.redisUrl, SUBSCRIPTION_BUFFER: String(subscriptionBuffer) },
    nodeOptions: cpuProfileDir === null ? [] : ['--cpu-prof', `--cpu-prof-dir=${path.resolve(cpuProfileDir)}`],
    readyTimeoutMs: SERVER_READY_TIMEOUT_MS,
    stopGraceMs: SERVER_STOP_GRACE_MS,
  });
  return { server, dataDir };
}

/** `{ headSnapshot }` over HTTP: the seq a subscriber passes as afterSeq to miss nothing from now on. */
async function headSnapshot(url: string, adminToken: string): Promise<string> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ query: '{ headSnapshot }' }),
  });
  const body = (await response.json()) as { data?: { headSnapshot?: string }; errors?: unknown[] };
  const head = body.data?.headSnapshot;
  if (head === undefined) throw new BenchFailure(`{ headSnapshot } failed: ${JSON.stringify(body.errors)}`);
  return head;
}

function checkOpenFiles(subscribers: number): void {
  const limit = openFilesLimit();
  const needed = subscribers + SPARE_FILES;
  if (limit !== null && limit < needed) {
    throw new BenchFailure(
      `the open files limit is ${limit}, but the subscriber process holds a socket per subscriber and needs ${needed}: ` +
        `raise it (\`ulimit -n ${Math.max(4096, needed)}\`; the hard limit is \`ulimit -Hn\`) or run with fewer --subscribers`,
    );
  }
}

function schedule(bench: Bench, startMs: number): Schedule {
  return { startMs, intervalMs: 1000 / bench.options.rate, events: bench.events };
}

async function measureOurs(bench: Bench, live: LiveServers, writer: EventWriter): Promise<{ measured: Measured; written: WrittenEvents; sample: string }> {
  const pool = SubscriberPool.start();
  const closePool = onCleanUp(bench, () => pool.close());
  const [first] = live.servers;
  if (!first) throw new BenchFailure('no server was started');
  const afterSeq = await headSnapshot(first.url, live.adminToken);
  const urls = live.servers.map((server) => `${server.url.replace(/^http/, 'ws')}/graphql`);
  const connected = await pool.connect({ kind: 'graphql-ws', urls, token: live.adminToken, afterSeq }, bench.options.subscribers);
  log(`  ${count(connected.clients)} graphql-ws clients connected and subscribed in ${duration(connected.connectMs)}${spread(bench)}`);
  const base = await writer.warmUp();
  const armed = await pool.arm(base, bench.events);
  log(`  all received the warm-up event (seq ${base}) within ${duration(armed.waitedMs)} of arming; writing…`);
  if (armed.sample === null) throw new BenchFailure('no graphql-ws message was captured from the warm-up event');
  let written: WrittenEvents | null = null;
  let writerCpu: NodeJS.CpuUsage | null = null;
  const measured = await measure(bench, {
    label: 'ours',
    serverPids: live.servers.map((server) => server.pid),
    pool,
    events: bench.events,
    healthUrl: first.url,
    produce: async (startMs) => {
      const cpuBefore = process.cpuUsage();
      written = await writer.writePaced(schedule(bench, startMs), base, bench.options.writers);
      writerCpu = process.cpuUsage(cpuBefore);
      return { commitMs: written.commitMs, produced: written.written, lastMs: written.lastCommitMs };
    },
    produced: () => writer.written,
  });
  await closePool();
  if (written === null || writerCpu === null) throw new BenchFailure('the writer did not finish');
  noteWriter(bench, measured, written, writerCpu);
  return { measured, written, sample: armed.sample };
}

async function measureFloor(bench: Bench, payloads: FloorPayloads, base: number): Promise<Measured> {
  const broadcasts: BareBroadcast[] = await Promise.all(Array.from({ length: bench.options.servers }, () => startBareBroadcast(bench.dataDir)));
  const stopBroadcasts = onCleanUp(bench, async () => {
    await Promise.all(broadcasts.map((broadcast) => broadcast.stop()));
  });
  const broadcast = (text: string) => {
    for (const each of broadcasts) each.broadcast(text);
  };
  const pool = SubscriberPool.start();
  const closePool = onCleanUp(bench, () => pool.close());
  const connected = await pool.connect({ kind: 'plain', urls: broadcasts.map((each) => each.url) }, bench.options.subscribers);
  log(`  ${count(connected.clients)} plain ws clients connected in ${duration(connected.connectMs)}${spread(bench)}`);
  broadcast(payloads.warmUp);
  const armed = await pool.arm(base, payloads.events.length);
  log(`  all received the warm-up payload within ${duration(armed.waitedMs)}; broadcasting…`);
  let sent = 0;
  const measured = await measure(bench, {
    label: 'floor',
    serverPids: broadcasts.map((each) => each.pid),
    pool,
    events: payloads.events.length,
    healthUrl: null,
    produce: async (startMs) => {
      const sentMs = new Float64Array(payloads.events.length);
      for (const [index, text] of payloads.events.entries()) {
        await sleepUntil(startMs + (payloads.offsetsMs[index] ?? 0));
        sentMs[index] = nowMs();
        broadcast(text);
        sent += 1;
      }
      return { commitMs: sentMs, produced: sent, lastMs: sentMs[sent - 1] ?? Number.NaN };
    },
    produced: () => sent,
  });
  await closePool();
  await stopBroadcasts();
  return measured;
}

/** Produces the timed events, waits until every client has them (or delivery stalls), then asks the subscribers for the figures. */
async function measure(bench: Bench, producer: Producer): Promise<Measured> {
  const { pool, serverPids } = producer;
  const startMs = nowMs() + START_LEAD_MS;
  const serverBefore = cpuSampleOf(serverPids, nowMs());
  const writesBefore = writeCallsOf(serverPids);
  const clientsBefore = cpuSample(pool.pid, nowMs());
  const ticker = setInterval(() => printProgress(bench, producer, startMs), PROGRESS_EVERY_MS);
  const probe = producer.healthUrl === null ? null : new HealthProbe(producer.healthUrl);
  let produced;
  try {
    produced = await producer.produce(startMs);
  } finally {
    clearInterval(ticker);
  }
  const expected = produced.produced * bench.options.subscribers;
  const drainStarted = nowMs();
  const drained = await drain(pool, expected);
  const health = probe?.stop() ?? null;
  const serverAfter = cpuSampleOf(serverPids, nowMs());
  const writesAfter = writeCallsOf(serverPids);
  const clientsAfter = cpuSample(pool.pid, nowMs());
  const serverPeakRss = peakRssOf(serverPids);
  const summary = await pool.finish(produced.commitMs);
  if (!drained) {
    bench.notes.push(`${producer.label}: delivery stopped ${duration(nowMs() - drainStarted)} after the last event with ${count(lost(summary))} deliveries missing`);
  }
  noteProblems(bench, producer.label, summary, startMs);
  const deliveredPerSecond = summary.delivered / ((summary.lastReceiptMs - startMs) / 1000);
  return {
    result: {
      label: producer.label,
      summary,
      deliveredPerSecond: Number.isFinite(deliveredPerSecond) ? deliveredPerSecond : 0,
      serverCpuPercent: cpuPercent(serverBefore, serverAfter),
      serverCpuPerDeliveryUs: perDelivery(cpuSeconds(serverBefore, serverAfter), summary.delivered),
      serverUserCpuPerDeliveryUs: perDelivery(userSeconds(serverBefore, serverAfter), summary.delivered),
      serverWritesPerDelivery: writesBefore === null || writesAfter === null || summary.delivered === 0 ? null : (writesAfter - writesBefore) / summary.delivered,
      serverPeakRss,
    },
    // Over the window asked for, or longer when the last event came later.
    achievedRate: produced.produced / Math.max(bench.options.seconds, (produced.lastMs - startMs) / 1000),
    clientsCpuPercent: cpuPercent(clientsBefore, clientsAfter),
    drainedMs: (Number.isNaN(summary.lastReceiptMs) ? drainStarted : summary.lastReceiptMs) - produced.lastMs,
    health,
  };
}

/** The processes' peak RSS added up; null when any cannot be read. */
function peakRssOf(pids: readonly number[]): number | null {
  let total: number | null = 0;
  for (const pid of pids) {
    const { peak } = memory(pid);
    total = peak === null || total === null ? null : total + peak;
  }
  return total;
}

function spread(bench: Bench): string {
  const { servers, subscribers } = bench.options;
  return servers === 1 ? '' : `, ${count(Math.ceil(subscribers / servers))} or fewer on each of ${servers} servers`;
}

function perDelivery(seconds: number | null, delivered: number): number | null {
  return seconds === null || delivered === 0 ? null : (seconds * 1e6) / delivered;
}

/** Most of the bench process's CPU while writing is the writer's: the recorder's transactions. */
function noteWriter(bench: Bench, measured: Measured, written: WrittenEvents, cpu: NodeJS.CpuUsage): void {
  const { rate, writers } = bench.options;
  const cpuPerEvent = (cpu.user + cpu.system) / 1000 / Math.max(1, written.written);
  log(`  writer: ${count(written.written)} events in ${writers} loops, ${measured.achievedRate.toFixed(0)}/s of the ${count(rate)}/s asked; ${ms(cpuPerEvent)} ms of CPU per event in this process`);
  if (measured.achievedRate < WRITER_SHORTFALL * rate) {
    bench.notes.push(
      `the writer reached ${measured.achievedRate.toFixed(0)} of the ${count(rate)} events/s asked (each write cost it ${ms(cpuPerEvent)} ms of CPU, beside the server's): ` +
        `both sides carried that load instead, as the floor sends each payload when ours committed it`,
    );
  }
}

/** Waits until every expected delivery arrived; false when delivery stalled or took too long. */
async function drain(pool: SubscriberPool, expected: number): Promise<boolean> {
  const started = nowMs();
  let last = -1;
  let changedAt = started;
  for (;;) {
    const delivered = pool.progress?.delivered ?? 0;
    if (delivered >= expected) return true;
    const now = nowMs();
    if (delivered !== last) {
      last = delivered;
      changedAt = now;
    }
    if (now - changedAt > DRAIN_STALL_MS || now - started > DRAIN_MAX_MS) return false;
    await sleep(DRAIN_POLL_MS);
  }
}

function noteProblems(bench: Bench, label: string, summary: Summary, startMs: number): void {
  if (summary.errors > 0) {
    bench.notes.push(
      `${label}: ${count(summary.errors)} clients met an error (${count(summary.erroredAfterLast)} of them after their last event), ` +
        `the first ${duration(summary.firstErrorMs - startMs)} after the first event was due: ${summary.firstError}`,
    );
  }
  if (summary.completed > 0) bench.notes.push(`${label}: ${count(summary.completed)} streams ended before the bench closed them`);
  if (summary.unexpected > 0) bench.notes.push(`${label}: ${count(summary.unexpected)} receipts of seqs that were not written in the window`);
  if (summary.beforeCommit > 0) {
    bench.notes.push(
      `${label}: ${count(summary.beforeCommit)} receipts came before the writer noted their commit: ` +
        'a later event published first makes the server read the earlier one from the database, before its own publish (see ./live/event-writer)',
    );
  }
}

function printProgress(bench: Bench, producer: Producer, startMs: number): void {
  const elapsed = (nowMs() - startMs) / 1000;
  const produced = producer.produced();
  const delivered = producer.pool.progress?.delivered ?? 0;
  const expected = produced * bench.options.subscribers;
  const share = expected === 0 ? '' : ` (${((delivered / expected) * 100).toFixed(1)}% of what was written)`;
  log(`  ${elapsed.toFixed(0)} s: ${count(produced)} of ${count(producer.events)} events out, ${count(delivered)} deliveries${share}`);
}

function printSide(bench: Bench, side: Measured): void {
  const { result, clientsCpuPercent } = side;
  const clientsCpu = clientsCpuPercent === null ? 'n/a' : `${clientsCpuPercent.toFixed(0)}%`;
  log(
    `  ${result.label}: events out at ${side.achievedRate.toFixed(0)}/s; last delivery ${duration(Math.max(0, side.drainedMs))} after the last event; ` +
      `${count(result.summary.delivered)} of ${count(result.summary.expected)} deliveries; subscriber process CPU ${clientsCpu} of one core`,
  );
  if (side.health) {
    const { answers, failures, firstFailure, p50Ms, maxMs } = side.health;
    const failed = failures === 0 ? '' : `; ${count(failures)} requests failed, the first: ${firstFailure}`;
    log(`  ${result.label}: the server answered /healthz (asked again ${PROBE_EVERY_MS} ms after each answer) in ${duration(p50Ms)} at p50, ${duration(maxMs)} at worst (${count(answers)} answers${failed})`);
  }
  if (clientsCpuPercent !== null && clientsCpuPercent >= CLIENTS_BUSY_PERCENT) {
    bench.notes.push(`${result.label}: the subscriber process used ${clientsCpu} of one core: receiving may be what limited this side's figures`);
  }
}

function printHeader(bench: Bench): void {
  const { options } = bench;
  log('');
  log(
    `bench:live — ${count(options.subscribers)} subscribers on ${options.servers} server process${options.servers === 1 ? '' : 'es'} per side, ${count(options.rate)} events/s for ${options.seconds} s ` +
      `(${count(bench.events)} events, ${count(bench.events * options.subscribers)} deliveries per side), ${options.writers} writer loops`,
  );
  for (const line of machineLines()) log(line);
  const postgres = new URL(options.postgresUrl);
  log(`database: PostgreSQL runtrail_bench_live on ${postgres.host} (created for this run, dropped after); events through Redis at ${options.redisUrl}`);
  log(`open files limit: ${openFilesLimit() ?? 'unknown'} per process (the subscriber process holds one socket per subscriber, each server one per subscriber it serves)`);
  if (options.cpuProfileDir !== null) log(`each API process writes a CPU profile to ${path.resolve(options.cpuProfileDir)} when it stops`);
}

function onCleanUp(bench: Bench, cleanup: () => Promise<void>): () => Promise<void> {
  return bench.cleanUps.add(cleanup);
}

runBench({
  name: 'live',
  interrupted: 'stopping the clients and servers, dropping the database…',
  parse: () => parseOptions(process.argv.slice(2)),
  main: (options, cleanUps) => {
    const bench: Bench = {
      options,
      events: options.rate * options.seconds,
      dataDir: mkdtempSync(path.join(os.tmpdir(), 'runtrail-bench-live-')),
      notes: [],
      cleanUps,
    };
    onCleanUp(bench, async () => rmSync(bench.dataDir, { recursive: true, force: true }));
    return main(bench);
  },
});
