// The JavaScript a page costs a first-time visitor: every script response of one load in a
// fresh context (empty HTTP cache), as sent (encoded) and as parsed (decoded). Next.js also
// prefetches the pages that visible links lead to; those bytes are counted apart.
import type { Browser, BrowserContextOptions, Response } from 'playwright-core';

export interface ScriptBytes {
  path: string;
  scripts: number;
  /** Body bytes on the wire, after content-encoding: what the network carried. */
  transferred: number;
  /** Body bytes after decoding: what the browser parsed. */
  decoded: number;
  /** Script responses that came without content-encoding. */
  uncompressed: Uncompressed[];
  /** Script bytes on the wire that Next.js's prefetching of linked pages added to the load. */
  prefetched: number;
}

export interface Uncompressed {
  path: string;
  bytes: number;
}

interface Load {
  scripts: number;
  transferred: number;
  decoded: number;
  uncompressed: Uncompressed[];
}

const SETTLE_MS = 60_000;
// Next.js marks the requests of its link prefetching with this header.
const PREFETCH_HEADER = 'next-router-prefetch';

export async function scriptBytes(browser: Browser, state: BrowserContextOptions['storageState'], origin: string, path: string): Promise<ScriptBytes> {
  const own = await loadScripts(browser, state, `${origin}${path}`, { prefetch: false });
  const withPrefetch = await loadScripts(browser, state, `${origin}${path}`, { prefetch: true });
  return { path, ...own, prefetched: Math.max(0, withPrefetch.transferred - own.transferred) };
}

async function loadScripts(browser: Browser, state: BrowserContextOptions['storageState'], url: string, options: { prefetch: boolean }): Promise<Load> {
  const context = await browser.newContext({ storageState: state });
  try {
    if (!options.prefetch) await context.route('**/*', (route) => (route.request().headers()[PREFETCH_HEADER] ? route.abort() : route.fallback()));
    const page = await context.newPage();
    const responses: Response[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') responses.push(response);
    });
    // Network idle: chunks a page loads after its first render count too.
    await page.goto(url, { waitUntil: 'networkidle', timeout: SETTLE_MS });
    const sizes = await Promise.all(
      responses.map(async (response) => {
        const [sent, body, encoding] = await Promise.all([response.request().sizes(), response.body(), response.headerValue('content-encoding')]);
        return { url: response.url(), transferred: sent.responseBodySize, decoded: body.length, compressed: encoding !== null };
      }),
    );
    return {
      scripts: sizes.length,
      transferred: sizes.reduce((total, size) => total + size.transferred, 0),
      decoded: sizes.reduce((total, size) => total + size.decoded, 0),
      uncompressed: sizes.filter((size) => !size.compressed).map((size) => ({ path: new URL(size.url).pathname, bytes: size.decoded })),
    };
  } finally {
    await context.close();
  }
}
