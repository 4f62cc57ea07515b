// The floor: what one webhook delivery costs with no evaluation, no outbox and no server in
// between: the bench signs a notice of the same shape and POSTs it (with fetch, as the
// dispatcher does) to the same receiver, paced as the failing runs were.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import { BenchFailure } from '../shared/bench-failure.ts';
import type { WebhookReceiver } from './webhook-receiver.ts';

/** Send→received of each bare POST, ms, in send order. */
export async function measureBareWebhooks(receiver: WebhookReceiver, posts: number, perSecond: number): Promise<number[]> {
  const signer = new Webhook(receiver.secret);
  const latencies: number[] = [];
  const started = performance.now();
  for (let index = 0; index < posts; index += 1) {
    await sleep(Math.max(0, started + (index * 1000) / perSecond - performance.now()));
    const id = `msg_${randomUUID()}`;
    const runId = `bare-${index}`;
    const now = new Date();
    const body = JSON.stringify({ type: 'alert.firing', timestamp: now.toISOString(), data: { projectId: 'bench', projectName: 'bench', alerts: [{ runId, state: 'FIRING' }] } });
    const sentAt = performance.now();
    const response = await fetch(receiver.url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': 'Runtrail', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signer.sign(id, now, body) },
    });
    await response.arrayBuffer();
    const delivery = receiver.deliveries.find((candidate) => candidate.webhookId === id);
    if (!delivery) throw new BenchFailure(`the receiver answered ${response.status} to the bare POST ${id} but did not record it`);
    latencies.push(delivery.atMonotonicMs - sentAt);
  }
  return latencies;
}
