import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { expandVariables } from '../../domain/workflow/expand.ts';
import type { HttpExecutor } from '../../domain/workflow/executor-spec.ts';
import type { ExecutorContext, ExecutorOutcome } from './executor-context.ts';

/** Used when neither `with.timeout` nor the step's timeoutSec bounds a request. */
export const DEFAULT_HTTP_TIMEOUT_SEC = 300;
/** A response body larger than this fails the step (Dagu's maxOutputSize, 1 MiB, by default). */
export const HTTP_MAX_RESPONSE_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 10;

interface Response {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Dagu's http executor: the request the step describes, references expanded from the step's
 * variables. A status outside 2xx fails the step with exit code 1, as in Dagu. The output is the
 * status line, headers and body; only the body with `silent`; one JSON object with `json`.
 *
 * Requests may go to private and loopback addresses: a workflow's author can run any command
 * from a shell step already, so the alert senders' guard against private targets would protect
 * nothing here.
 */
export async function startHttpRequest(spec: HttpExecutor, context: ExecutorContext, signal: AbortSignal): Promise<ExecutorOutcome> {
  const expand = (text: string) => expandVariables(text, context.variables);
  let url: URL;
  try {
    url = new URL(expand(spec.url));
    for (const pair of spec.query) url.searchParams.append(pair.name, expand(pair.value));
  } catch {
    return { exitCode: 1, stdout: '', failure: `"${expand(spec.url)}" is not a valid URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { exitCode: 1, stdout: '', failure: `"${url.href}" is not an http:// or https:// URL` };
  const headers = Object.fromEntries(spec.headers.map((pair) => [pair.name, expand(pair.value)]));
  const body = spec.body === null ? null : expand(spec.body);
  const timeoutMs = (spec.timeoutSec ?? DEFAULT_HTTP_TIMEOUT_SEC) * 1000;
  context.log.write(Buffer.from(`${spec.method} ${url.href}\n`));

  const response = await requestFollowingRedirects(spec, url, headers, body, timeoutMs, signal);
  const statusLine = `HTTP ${response.status} ${response.statusText}`.trim();
  const headerLines = Object.entries(response.headers).map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : (value ?? '')}`);
  let output: string;
  if (spec.json) {
    output = JSON.stringify({ status_code: response.status, headers: response.headers, body: parsedBody(response.body) });
  } else if (spec.silent) {
    output = response.body;
  } else {
    output = [statusLine, ...headerLines, '', response.body].join('\n');
  }
  context.log.write(Buffer.from(spec.silent || spec.json ? `${statusLine}\n${output}\n` : `${output}\n`));
  const ok = response.status >= 200 && response.status < 300;
  return { exitCode: ok ? 0 : 1, stdout: output, failure: ok ? null : `${spec.method} ${url.href} answered ${statusLine}` };
}

async function requestFollowingRedirects(spec: HttpExecutor, first: URL, headers: Record<string, string>, body: string | null, timeoutMs: number, signal: AbortSignal): Promise<Response> {
  let url = first;
  let method: string = spec.method;
  let payload = body;
  for (let hop = 0; ; hop += 1) {
    const response = await requestOnce(method, url, headers, payload, timeoutMs, spec.skipTlsVerify, signal);
    const location = response.headers.location;
    if (![301, 302, 303, 307, 308].includes(response.status) || location === undefined) return response;
    if (hop >= MAX_REDIRECTS) throw new Error(`${spec.method} ${first.href}: more than ${MAX_REDIRECTS} redirects`);
    url = new URL(location, url);
    // As browsers do: 303 (and 301/302 after a POST) become a GET without a body.
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET';
      payload = null;
    }
  }
}

function requestOnce(method: string, url: URL, headers: Record<string, string>, body: string | null, timeoutMs: number, skipTlsVerify: boolean, signal: AbortSignal): Promise<Response> {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(url, { method, headers, signal, timeout: timeoutMs, ...(url.protocol === 'https:' ? { rejectUnauthorized: !skipTlsVerify } : {}) }, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > HTTP_MAX_RESPONSE_BYTES) {
          request.destroy(new Error(`the response body is larger than ${HTTP_MAX_RESPONSE_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', reject);
      response.on('end', () => resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    const deadline = setTimeout(() => request.destroy(new Error(`no complete answer within ${timeoutMs / 1000}s (with.timeout)`)), timeoutMs);
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs / 1000}s (with.timeout)`)));
    request.on('error', (error) => reject(new Error(`${method} ${url.href} failed`, { cause: error })));
    request.on('close', () => clearTimeout(deadline));
    request.end(body ?? undefined);
  });
}

function parsedBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
