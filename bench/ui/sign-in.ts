// The product's own sign-in: a one-time link from `runtrail user login-link`, opened in
// Chromium, leaves the session cookie, which every later browser context starts with.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import type { Dataset } from '../history/dataset.ts';
import { BenchFailure } from '../shared/bench-failure.ts';
import { REPOSITORY_ROOT } from '../shared/server-process.ts';

type StorageState = Exclude<BrowserContextOptions['storageState'], string | undefined>;

/** The CLI prints the link with its own idea of the host; the bench server listens elsewhere. */
function loginLink(dataset: Dataset, serverUrl: string): string {
  const result = spawnSync(process.execPath, [path.join(REPOSITORY_ROOT, 'bin', 'runtrail'), 'user', 'login-link', 'admin'], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, DATA_DIR: dataset.dataDir, DATABASE_URL: dataset.databaseUrl, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  const printed = /https?:\/\/\S+/.exec(result.stdout)?.[0];
  if (result.status !== 0 || !printed) throw new BenchFailure(`runtrail user login-link admin failed (exit ${result.status ?? result.signal}): ${result.stderr.trim()}`);
  const link = new URL(printed);
  const server = new URL(serverUrl);
  link.protocol = server.protocol;
  link.host = server.host;
  return link.toString();
}

/** Signs in once through the link and returns the cookies a fresh context needs to be signed in. */
export async function signedInState(browser: Browser, dataset: Dataset, serverUrl: string): Promise<StorageState> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const response = await page.goto(loginLink(dataset, serverUrl), { waitUntil: 'commit' });
    const landed = new URL(page.url());
    if (landed.pathname.startsWith('/login')) throw new BenchFailure(`the sign-in link was refused (landed on ${landed.pathname}${landed.search}, HTTP ${response?.status() ?? '?'})`);
    const state = await context.storageState();
    if (state.cookies.length === 0) throw new BenchFailure('the sign-in link set no cookie');
    return { cookies: state.cookies, origins: [] };
  } finally {
    await context.close();
  }
}
