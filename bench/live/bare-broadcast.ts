// The floor's server (bare-broadcast.process.ts) and the payloads it sends: the graphql-ws
// `next` message a subscriber of ours received, with each event's seq, from, to and time.
import path from 'node:path';
import { BenchFailure } from '../shared/bench-failure.ts';
import { forkListening, stopChild } from '../shared/children.ts';
import type { ToBroadcast } from './bare-broadcast.process.ts';
import { RUN_STEPS, type WrittenEvents } from './event-writer.ts';

const STOP_GRACE_MS = 5_000;

export interface BareBroadcast {
  url: string;
  pid: number;
  broadcast(text: string): void;
  stop(): Promise<void>;
}

/** `workDir`: where the server's compiled script goes. */
export async function startBareBroadcast(workDir: string): Promise<BareBroadcast> {
  const { child, port } = await forkListening(path.join(__dirname, 'bare-broadcast.process.ts'), workDir);
  return {
    url: `ws://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    broadcast: (text) => child.send({ text } satisfies ToBroadcast),
    stop: () => stopChild(child, STOP_GRACE_MS),
  };
}

interface NextMessage {
  id: string;
  type: 'next';
  payload: { data: { runEvents: { seq: string; kind: string; from: string | null; to: string; at: string } } };
}

export interface FloorPayloads {
  /** The sample itself: the warm-up event. */
  warmUp: string;
  /** Index i: seq base+1+i, as ours sent it (same shape, same fields, the same size give or take a digit). */
  events: string[];
  /** Index i: when to send event i, from the start: when ours committed it, so both sides carry the same load. */
  offsetsMs: Float64Array;
}

export function floorPayloads(sample: string, written: WrittenEvents): FloorPayloads {
  const message = parseSample(sample);
  const event = message.payload.data.runEvents;
  const wallStart = Date.now();
  const offsetsMs = new Float64Array(written.written);
  let offset = 0;
  const events = Array.from({ length: written.written }, (_, index) => {
    // Writer loops may see their commits resolve out of seq order; the floor sends in seq order.
    offset = Math.max(offset, (written.commitMs[index] ?? Number.NaN) - written.startMs);
    offsetsMs[index] = offset;
    const step = RUN_STEPS[written.steps[index] ?? 0] ?? RUN_STEPS[0];
    event.seq = String(written.base + 1 + index);
    event.from = step.from;
    event.to = step.to;
    event.at = new Date(wallStart + offset).toISOString();
    return JSON.stringify(message);
  });
  return { warmUp: sample, events, offsetsMs };
}

function parseSample(sample: string): NextMessage {
  const message = JSON.parse(sample) as Partial<NextMessage>;
  const event = message.payload?.data?.runEvents;
  if (message.type !== 'next' || typeof message.id !== 'string' || !event || typeof event.seq !== 'string' || typeof event.at !== 'string') {
    throw new BenchFailure(`the captured graphql-ws message does not have the expected shape: ${sample}`);
  }
  return message as NextMessage;
}
