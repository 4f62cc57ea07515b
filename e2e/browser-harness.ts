/**
 * The set-up every browser test shares: one real server (API, WebSocket and the Next UI from
 * the production build) and one Chromium per test file, a fresh browser context per test, and
 * the few things tests do everywhere (sign in, take a screenshot, read what a user sees).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { Services } from '../src/composition.ts';
import { commandLinePrincipal } from '../src/auth/principal.ts';
import type { RunStatus } from '../src/domain/status.ts';
import type { Role } from '../src/domain/vocabulary.ts';
import { startTestServer, type TestServer, type TestServerOptions } from '../src/test/test-server.ts';

const SCREENSHOT_DIR = path.resolve(__dirname, '..', 'test-results');
const TEST_TIMEOUT_MS = 60_000;
// Below the test timeout, so a wait that never ends fails with Playwright's message.
export const WAIT_MS = 20_000;

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Each run status as the UI names it, in the order the UI lists statuses. */
export const STATUS_LABELS: Record<RunStatus, string> = {
  QUEUED: 'Queued',
  RUNNING: 'Running',
  WAITING: 'Waiting',
  SUCCEEDED: 'Succeeded',
  PARTIALLY_SUCCEEDED: 'Partly succeeded',
  FAILED: 'Failed',
  ABORTED: 'Aborted',
  REJECTED: 'Rejected',
};

export interface BrowserSuite {
  server: TestServer;
  services: Services;
  browser: Browser;
  /** The context and page of the running test, light colour scheme. */
  context: BrowserContext;
  page: Page;
  /** Another page in its own context (its own cookies), e.g. in the dark colour scheme. */
  openPage(options?: { colorScheme?: 'light' | 'dark' }): Promise<Page>;
}

/**
 * Registers the hooks of a browser test file and returns the suite, filled in by `beforeAll`
 * and `beforeEach`; its server runs with `config` over the test defaults. Each test fails when a
 * page threw an uncaught error.
 */
export function useBrowserSuite(config: TestServerOptions['config'] = {}): BrowserSuite {
  const suite = {} as BrowserSuite;
  let contexts: BrowserContext[] = [];
  let pageErrors: Error[] = [];

  suite.openPage = async ({ colorScheme = 'light' } = {}) => {
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme });
    context.setDefaultTimeout(WAIT_MS);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error));
    return page;
  };

  // jest reads testTimeout from the root of its config only, not from a project's entry.
  jest.setTimeout(TEST_TIMEOUT_MS);

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    suite.server = await startTestServer('sqlite', { ui: true, config });
    suite.services = suite.server.app.services;
    suite.browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  });

  beforeEach(async () => {
    pageErrors = [];
    suite.page = await suite.openPage();
    suite.context = suite.page.context();
  });

  afterEach(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    contexts = [];
    expect(pageErrors).toEqual([]);
  });

  return suite;
}

/** A full-page screenshot in test-results/, for people to look at; nothing compares it. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

/** A user with a password, optionally a member of a project with a role. */
export async function createUser(services: Services, options: { displayName: string; password?: string; projectId?: string; role?: Role }) {
  const cli = commandLinePrincipal();
  const username = unique('user');
  const user = await services.access.createUser(cli, { username, displayName: options.displayName, password: options.password });
  if (options.projectId && options.role) await services.access.addMember(cli, { projectId: options.projectId, username, role: options.role });
  return user;
}

/** A project with one workflow saved from YAML, as an admin would save it. */
export async function createProjectWithWorkflow(services: Services, yaml: string) {
  const cli = commandLinePrincipal();
  const project = await services.access.createProject(cli, { slug: unique('e2e'), name: unique('E2E project') });
  const workflow = await services.workflows.save(cli, project.id, yaml);
  return { project, workflow };
}

/**
 * A workflow whose first step runs until the test opens its gate (creates a file), so a run
 * stays RUNNING exactly as long as the test needs, then echoes a line.
 */
export function gatedWorkflow(server: TestServer, echo: string) {
  const name = unique('gated');
  const gateDir = path.join(server.dataDir, 'gates');
  mkdirSync(gateDir, { recursive: true });
  const gate = path.join(gateDir, name);
  const yaml = [
    `name: ${name}`,
    'steps:',
    '  - name: wait',
    `    command: ${JSON.stringify(`while [ ! -e '${gate}' ]; do sleep 0.05; done`)}`,
    '  - name: say',
    `    command: ${JSON.stringify(`echo ${echo}`)}`,
    '    depends: [wait]',
  ].join('\n');
  return { name, yaml, open: () => writeFileSync(gate, '') };
}

/** Signs the page in as the user through a fresh one-click link and waits for the dashboard. */
export async function signIn(suite: BrowserSuite, userId: string, page: Page = suite.page): Promise<void> {
  await page.goto(await loginLink(suite, userId));
  await page.waitForURL(`${suite.server.url}/`);
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
}

export async function loginLink(suite: BrowserSuite, userId: string): Promise<string> {
  const link = await suite.services.auth.createLoginLink(userId);
  return `${suite.server.url}/auth/link?token=${link.secret}`;
}

export function adminUserId(suite: BrowserSuite): string {
  const id = suite.server.app.firstStart?.adminUserId;
  if (!id) throw new Error('The test server has no first admin');
  return id;
}

/** The connection badge in the header once the WebSocket is open. */
export function liveBadge(page: Page): Locator {
  return page.getByRole('banner').getByRole('status').filter({ hasText: 'Live updates: Live' });
}

/**
 * Marks the document, so a test can later prove the page was never reloaded: a reload or a
 * full navigation starts a new window object without the mark.
 */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => Object.assign(window, { runtrailE2eMarker: 'loaded once' }));
}

export async function documentMark(page: Page): Promise<unknown> {
  return page.evaluate(() => Reflect.get(window, 'runtrailE2eMarker'));
}

/**
 * What a sighted user reads: the element's text without the parts only screen readers get,
 * with a space between the texts of different elements (which the layout sets apart).
 */
export async function visibleText(locator: Locator): Promise<string> {
  const text = await locator.evaluate((element) => {
    let joined = '';
    let previousParent: Node | null = null;
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement?.closest('.visually-hidden')) continue;
      joined += (previousParent !== null && node.parentNode !== previousParent ? ' ' : '') + (node.textContent ?? '');
      previousParent = node.parentNode;
    }
    return joined;
  });
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Waits until `read` gives `expected` (a live view converges on it), then asserts it: when
 * the view never gets there, the test fails with the difference from the last value read.
 */
export async function expectEventually<T>(read: () => Promise<T>, expected: T, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let actual = await read();
  while (!isEqual(actual, expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    actual = await read();
  }
  expect(actual).toEqual(expected);
}

function isEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
