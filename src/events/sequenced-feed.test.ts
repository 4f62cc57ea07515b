import pino from 'pino';
import type { RunEventMessage } from '../domain/run-event-message.ts';
import { InProcessRunEventBus } from './run-event-bus.ts';
import { SequencedRunEventFeed } from './sequenced-feed.ts';

const logger = pino({ level: 'silent' });

function event(seq: number): RunEventMessage {
  return {
    seq: String(seq),
    at: new Date(0).toISOString(),
    kind: 'RUN',
    runId: `run-${seq}`,
    stepRunId: null,
    projectId: 'project',
    workflowId: 'workflow',
    from: 'QUEUED',
    to: 'RUNNING',
    message: null,
    actor: null,
    trigger: 'MANUAL',
    runCreatedAt: new Date(0).toISOString(),
  };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('SequencedRunEventFeed', () => {
  it('gives the event loop a turn while it delivers a long backlog, and still delivers every event once, in order', async () => {
    const bus = new InProcessRunEventBus();
    let cpuUsedMs = 0;
    const feed = new SequencedRunEventFeed({ bus, backfill: async () => [], head: async () => 0n, logger, cpuMs: () => cpuUsedMs });
    const seen: string[] = [];
    // Each delivery takes 3 ms of CPU, as a fan-out to hundreds of sockets does.
    await feed.listen((delivered) => {
      seen.push(delivered.seq);
      cpuUsedMs += 3;
    });

    bus.publish(Array.from({ length: 20 }, (_, index) => event(index + 1)));
    setImmediate(() => seen.push('other work'));
    while (seen.length < 21) await nextTurn();

    expect(seen.indexOf('other work')).toBeLessThan(10);
    expect(seen.filter((entry) => entry !== 'other work')).toEqual(Array.from({ length: 20 }, (_, index) => String(index + 1)));
    await feed.stop();
  });

  it('delivers an event that arrives alone at once, without waiting for a turn of the event loop', async () => {
    const bus = new InProcessRunEventBus();
    const feed = new SequencedRunEventFeed({ bus, backfill: async () => [], head: async () => 0n, logger, cpuMs: () => 0 });
    const seen: string[] = [];
    await feed.listen((delivered) => seen.push(delivered.seq));

    bus.publish([event(1)]);
    setImmediate(() => seen.push('other work'));
    while (seen.length < 2) await nextTurn();

    expect(seen).toEqual(['1', 'other work']);
    await feed.stop();
  });
});
