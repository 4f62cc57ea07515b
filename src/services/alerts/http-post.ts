import { httpUrlProblem } from '../../domain/alerts/contact-point.ts';
import type { DeliveryResult } from './delivery-result.ts';

/** Bytes of an endpoint's answer kept for the delivery log's error; the rest is not read. */
export const RESPONSE_EXCERPT_BYTES = 512;

/**
 * POSTs a JSON body: a 2xx answer delivers it; anything else (another status, a redirect, no
 * answer within `timeoutMs`, a refused connection) is a failure whose error says what happened,
 * with the start of the answer's body. Redirects are not followed: a receiver that moved must be
 * saved under its new URL.
 */
export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<DeliveryResult> {
  const problem = httpUrlProblem(url);
  if (problem !== null) return { ok: false, statusCode: null, error: `The URL ${problem}` };
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'user-agent': 'Runtrail', ...headers }, redirect: 'manual', signal });
    const excerpt = await readExcerpt(response);
    if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status, error: null };
    return { ok: false, statusCode: response.status, error: `HTTP ${response.status}${excerpt.length > 0 ? `: ${excerpt}` : ''}` };
  } catch (error) {
    if (signal.aborted) return { ok: false, statusCode: null, error: `No answer within ${timeoutMs} ms` };
    return { ok: false, statusCode: null, error: errorText(error) };
  }
}

async function readExcerpt(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < RESPONSE_EXCERPT_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  await reader.cancel();
  return Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8').trim();
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
