// bench:live's table, ours beside the floor, then the aims and whether both gave the same answer.
import { count, megabytes, ms, table } from '../shared/report.ts';
import type { Summary } from './subscribers-protocol.ts';

export const P99_AIM_MS = 100;
export const THROUGHPUT_AIM = 0.5;

/** One side of the comparison, measured. */
export interface SideResult {
  label: string;
  summary: Summary;
  /** Deliveries per second, from the first event due until the last receipt. */
  deliveredPerSecond: number;
  /** Of one core, from the first event due until delivery ended; all of a side's server processes together, as the two lines below and the RSS. */
  serverCpuPercent: number | null;
  /** The server's CPU time over that window per delivery, in microseconds. */
  serverCpuPerDeliveryUs: number | null;
  /** Of which in user space (the rest is the kernel's, mostly socket writes). */
  serverUserCpuPerDeliveryUs: number | null;
  /** The servers' write system calls over that window per delivery: how many messages each socket write carried, inverted. */
  serverWritesPerDelivery: number | null;
  serverPeakRss: number | null;
}

export interface Verdict {
  met: boolean;
  text: string;
}

const TITLES = ['measurement', 'ours (graphql-ws)', 'floor (bare ws)', 'ours / floor'];

export function tableLines(ours: SideResult | null, floor: SideResult | null): string[] {
  const rows: string[][] = [
    row('latency p50, ms', ours, floor, (side) => side.summary.latency?.p50 ?? null, ms, true),
    row('latency p99, ms', ours, floor, (side) => side.summary.latency?.p99 ?? null, ms, true),
    row('delivered/s (all clients)', ours, floor, (side) => side.deliveredPerSecond, count, true),
    row('lost', ours, floor, (side) => lost(side.summary), count, false),
    row('duplicates', ours, floor, (side) => side.summary.duplicates, count, false),
    row('out-of-order', ours, floor, (side) => side.summary.outOfOrder, count, false),
    row('server CPU, % of one core', ours, floor, (side) => side.serverCpuPercent, (value) => value.toFixed(0), true),
    row('server CPU per delivery, µs', ours, floor, (side) => side.serverCpuPerDeliveryUs, (value) => value.toFixed(1), true),
    row('  of which user space, µs', ours, floor, (side) => side.serverUserCpuPerDeliveryUs, (value) => value.toFixed(1), true),
    row('server write calls per delivery', ours, floor, (side) => side.serverWritesPerDelivery, (value) => value.toFixed(2), true),
    row('server peak RSS', ours, floor, (side) => side.serverPeakRss, (value) => megabytes(value), true),
  ];
  return table(TITLES, rows);
}

function row(
  name: string,
  ours: SideResult | null,
  floor: SideResult | null,
  value: (side: SideResult) => number | null,
  text: (value: number) => string,
  withRatio: boolean,
): string[] {
  const ourValue = ours ? value(ours) : null;
  const floorValue = floor ? value(floor) : null;
  const ratio = withRatio && ourValue !== null && floorValue !== null && floorValue > 0 ? `${(ourValue / floorValue).toFixed(2)}x` : '';
  return [name, ourValue === null ? '—' : text(ourValue), floorValue === null ? '—' : text(floorValue), ratio];
}

export function lost(summary: Summary): number {
  return summary.expected - summary.delivered;
}

/** Every client received every event exactly once, in increasing seq. */
export function complete(summary: Summary): boolean {
  return summary.completeClients === summary.clients && lost(summary) === 0 && summary.duplicates === 0 && summary.outOfOrder === 0;
}

export function latencyVerdict(ours: SideResult): Verdict {
  const p99 = ours.summary.latency?.p99 ?? null;
  const met = p99 !== null && p99 < P99_AIM_MS;
  return { met, text: `p99 < ${P99_AIM_MS} ms: ${p99 === null ? 'n/a' : `${ms(p99)} ms`} ${met ? 'ok' : 'MISSED'}` };
}

export function throughputVerdict(ours: SideResult, floor: SideResult): Verdict {
  const ratio = ours.deliveredPerSecond / floor.deliveredPerSecond;
  const met = ratio >= THROUGHPUT_AIM;
  return { met, text: `delivered/s >= ${THROUGHPUT_AIM} x bare: ${ratio.toFixed(2)}x ${met ? 'ok' : 'MISSED'}` };
}
