import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { httpUrlProblem } from '../../domain/alerts/contact-point.ts';
import type { DeliveryResult } from './delivery-result.ts';
import type { TargetGuard } from './target-guard.ts';

/** Bytes of an endpoint's answer kept for the delivery log's error; the rest is not read. */
export const RESPONSE_EXCERPT_BYTES = 512;

/**
 * POSTs a JSON body: a 2xx answer delivers it; anything else (another status, a redirect, no
 * answer within `timeoutMs`, a refused connection) is a failure whose error says what happened,
 * with the start of the answer's body. Redirects are not followed: a receiver that moved must be
 * saved under its new URL. With a `guard`, the address the connection goes to is checked as it
 * connects (an address in the URL first, a name's answers in the request's lookup).
 */
export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number, guard: TargetGuard | null): Promise<DeliveryResult> {
  const problem = httpUrlProblem(url);
  if (problem !== null) return { ok: false, statusCode: null, error: `The URL ${problem}` };
  const target = new URL(url);
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const refused = guard && isIP(host) !== 0 ? guard.refusal(host, host) : null;
  if (refused !== null) return { ok: false, statusCode: null, error: refused };
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<DeliveryResult>((resolve) => {
    const request = send(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Runtrail', ...headers },
        ...(guard ? { lookup: guard.lookup() } : {}),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        readExcerpt(response).then((excerpt) => {
          if (status >= 200 && status < 300) resolve({ ok: true, statusCode: status, error: null });
          else resolve({ ok: false, statusCode: status, error: `HTTP ${status}${excerpt.length > 0 ? `: ${excerpt}` : ''}` });
        }, (error: unknown) => resolve({ ok: false, statusCode: status, error: errorText(error) }));
      },
    );
    const timer = setTimeout(() => {
      resolve({ ok: false, statusCode: null, error: `No answer within ${timeoutMs} ms` });
      request.destroy();
    }, timeoutMs);
    request.on('close', () => clearTimeout(timer));
    request.on('error', (error) => resolve({ ok: false, statusCode: null, error: errorText(error) }));
    request.end(body);
  });
}

/** The first RESPONSE_EXCERPT_BYTES of an answer's body; the rest is not read. */
function readExcerpt(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => resolve(Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8').trim());
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size < RESPONSE_EXCERPT_BYTES) return;
      response.destroy();
      done();
    });
    response.on('end', done);
    response.on('error', reject);
  });
}

/** An error's message, with its cause's (fetch says "fetch failed" and puts ECONNREFUSED in the cause). */
export function errorText(error: unknown): string {
  const message = messageOf(error);
  if (message === null) return String(error);
  const cause = typeof error === 'object' && error !== null && 'cause' in error ? messageOf(error.cause) : null;
  return cause === null ? message : `${message}: ${cause}`;
}

// By shape: errors of fetch and of other module realms are not this realm's Error.
function messageOf(error: unknown): string | null {
  return typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string' ? error.message : null;
}
