import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { MetricsConfig } from '../config.ts';
import type { MetricsRegistry } from '../services/metrics/metrics-registry.ts';
import { LOGIN_LINK_PATH } from '../auth/login-link.ts';

export const METRICS_PATH = '/metrics';

const HOW_TO_ENABLE =
  'Metrics are off. Set METRICS_TOKEN and scrape /metrics with "Authorization: Bearer <token>", or set METRICS_PORT to serve /metrics on a listener of its own (on 127.0.0.1 unless METRICS_HOST says otherwise).';

/** /metrics on the main port: with METRICS_TOKEN, for requests bearing it; otherwise a 404 that says how to turn it on or where it is. */
export function metricsOnMainPort(metrics: MetricsRegistry, config: MetricsConfig): RequestHandler {
  return (request, response) => {
    if (config.port !== null) {
      response.status(404).type('text/plain').send('Metrics are served on the METRICS_PORT listener, not on this port.\n');
      return;
    }
    if (config.token === null) {
      response.status(404).type('text/plain').send(`${HOW_TO_ENABLE}\n`);
      return;
    }
    void serveIfAuthorized(metrics, config.token, request, response);
  };
}

/** The METRICS_PORT listener: /metrics alone (behind METRICS_TOKEN as well when that is set). */
export async function startMetricsListener(metrics: MetricsRegistry, config: MetricsConfig & { port: number }): Promise<{ port: number; close(): Promise<void> }> {
  const app = express();
  app.disable('x-powered-by');
  app.get(METRICS_PATH, (request, response) => {
    if (config.token === null) void serve(metrics, response);
    else void serveIfAuthorized(metrics, config.token, request, response);
  });
  app.use((_request, response) => {
    response.status(404).type('text/plain').send(`This listener serves ${METRICS_PATH} only.\n`);
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function serveIfAuthorized(metrics: MetricsRegistry, token: string, request: Request, response: Response): Promise<void> {
  const presented = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
  if (presented === undefined || !sameSecret(presented, token)) {
    response
      .status(401)
      .set('WWW-Authenticate', 'Bearer realm="runtrail-metrics"')
      .type('text/plain')
      .send(presented === undefined ? 'Send the METRICS_TOKEN as "Authorization: Bearer <token>".\n' : 'That is not the METRICS_TOKEN of this server.\n');
    return;
  }
  await serve(metrics, response);
}

async function serve(metrics: MetricsRegistry, response: Response): Promise<void> {
  try {
    const { contentType, body } = await metrics.scrape();
    response.status(200).type(contentType).send(body);
  } catch (error) {
    response.status(500).type('text/plain').send(`The metrics could not be collected: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

// Digests of equal length, so the comparison takes the same time whatever was presented.
function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const ROUTES = new Set(['/graphql', '/healthz', '/readyz', METRICS_PATH, LOGIN_LINK_PATH]);

/** A request's path as a bounded label: the API's own routes by name, everything else (the UI's pages, unknown paths) as one. */
export function routeLabelOf(path: string): string {
  if (ROUTES.has(path)) return path;
  if (path.startsWith('/reports/')) return '/reports/:file';
  if (path.startsWith('/_next/')) return '/_next/*';
  return '(other)';
}

/** Times every HTTP request the main port answers (runtrail_http_request_duration_seconds). */
export function requestTiming(metrics: MetricsRegistry): RequestHandler {
  return (request, response, next) => {
    const started = performance.now();
    const path = request.path;
    response.once('finish', () => {
      metrics.observeHttp(METHODS.has(request.method) ? request.method : '(other)', routeLabelOf(path), response.statusCode, (performance.now() - started) / 1000);
    });
    next();
  };
}
