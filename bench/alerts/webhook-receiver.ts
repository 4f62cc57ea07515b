// The bench's own webhook endpoint: verifies each POST with the standardwebhooks verifier and
// notes when it arrived, on both the wall clock (to compare with the server's timestamps) and
// this process's monotonic clock (to compare with the floor's sends).
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Delivery {
  webhookId: string;
  verified: boolean;
  type: string | null;
  /** The runs the notice names (each alert's runId). */
  runIds: string[];
  atWallMs: number;
  atMonotonicMs: number;
}

export interface WebhookReceiver {
  url: string;
  /** The signing key, as a contact point takes it. */
  secret: string;
  deliveries: Delivery[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const verifier = new Webhook(secret);
  const deliveries: Delivery[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const atWallMs = Date.now();
      const atMonotonicMs = performance.now();
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = { 'webhook-id': header(request.headers['webhook-id']), 'webhook-timestamp': header(request.headers['webhook-timestamp']), 'webhook-signature': header(request.headers['webhook-signature']) };
      let verified = true;
      try {
        verifier.verify(body, headers);
      } catch {
        verified = false;
      }
      deliveries.push({ webhookId: headers['webhook-id'], verified, ...noticeOf(body), atWallMs, atMonotonicMs });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/runtrail`,
    secret,
    deliveries,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function header(value: string | string[] | undefined): string {
  return typeof value === 'string' ? value : '';
}

/** The notice's type and run ids; a body of another shape names none (and counts as no alert). */
function noticeOf(body: string): { type: string | null; runIds: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { type: null, runIds: [] };
  }
  if (!isRecord(parsed)) return { type: null, runIds: [] };
  const type = typeof parsed.type === 'string' ? parsed.type : null;
  const alerts = isRecord(parsed.data) && Array.isArray(parsed.data.alerts) ? parsed.data.alerts : [];
  const runIds = alerts.flatMap((alert: unknown) => (isRecord(alert) && typeof alert.runId === 'string' ? [alert.runId] : []));
  return { type, runIds };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
