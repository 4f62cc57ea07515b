import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { Services } from '../src/composition.ts';
import { commandLinePrincipal } from '../src/auth/principal.ts';
import { createProjectWithWorkflow } from '../src/test/factories.ts';
import { startTestServer, type TestServer } from '../src/test/test-server.ts';

const SCREENSHOT_DIR = path.resolve(__dirname, '..', 'test-results');
// Below jest's 60 s test timeout, so a wait that never ends fails with Playwright's message.
const WAIT_MS = 20_000;

/**
 * What a sighted user reads: the element's text pieces, one space between pieces that the
 * layout sets apart, without the parts only screen readers get.
 */
async function visibleText(locator: Locator): Promise<string> {
  const pieces = await locator.evaluate((element) => {
    const texts: string[] = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement?.closest('.visually-hidden')) texts.push(node.textContent ?? '');
    }
    return texts;
  });
  return pieces.join(' ').replace(/\s+/g, ' ').trim();
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

function liveBadge(page: Page): Locator {
  return page.getByRole('region', { name: 'Live run events' }).getByRole('status').filter({ hasText: 'Live updates: Live' });
}

/**
 * Resolves when the server starts the next `runEvents` subscription. Showing "Live" only means
 * the WebSocket is open; an event recorded before the subscription exists on the server would
 * never reach the page.
 */
function nextRunEventsSubscription(services: Services): Promise<void> {
  const stream = services.runEvents;
  const subscribe = stream.subscribe.bind(stream);
  return new Promise((resolve) => {
    jest.spyOn(stream, 'subscribe').mockImplementation((...args) => {
      const events = subscribe(...args);
      resolve();
      return events;
    });
  });
}

/** A fresh one-click sign-in link for the first admin, as the server prints at its first start. */
async function adminSignInLink(server: TestServer): Promise<string> {
  const adminUserId = server.app.firstStart?.adminUserId ?? '';
  const link = await server.app.services.auth.createLoginLink(adminUserId);
  return `${server.url}/auth/link?token=${link.secret}`;
}

describe('the home page in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: Error[];

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    server = await startTestServer('sqlite', { ui: true });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    context.setDefaultTimeout(WAIT_MS);
    page = await context.newPage();
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error));
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await context?.close();
  });

  it('signs in through the one-click link with an httpOnly cookie and shows the viewer, the default project and a live connection', async () => {
    await page.goto(await adminSignInLink(server));

    await page.waitForURL(`${server.url}/`);
    await liveBadge(page).waitFor();
    const viewerCard = page.getByRole('region', { name: 'Signed in as' });
    await viewerCard.getByText('Administrator', { exact: true }).waitFor();
    await viewerCard.getByText('@admin', { exact: true }).waitFor();
    const projectsCard = page.getByRole('region', { name: 'Projects' });
    const defaultProject = projectsCard.getByRole('row').filter({ has: page.getByRole('cell', { name: 'default', exact: true }) });
    await defaultProject.waitFor();
    await screenshot(page, 'home');
    expect(await visibleText(defaultProject)).toBe('Default default');
    expect(await context.cookies()).toEqual([expect.objectContaining({ name: 'runtrail_session', httpOnly: true, sameSite: 'Lax' })]);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(pageErrors).toEqual([]);
  });

  it('shows the status changes of a run recorded on the server in the live events card without a reload', async () => {
    const { services } = server.app;
    const subscribed = nextRunEventsSubscription(services);
    await page.goto(await adminSignInLink(server));
    await page.waitForURL(`${server.url}/`);
    await liveBadge(page).waitFor();
    await subscribed;
    await page.evaluate(() => Object.assign(window, { runtrailE2eMarker: 'loaded once' }));
    const { project, workflow } = await createProjectWithWorkflow(services, ['build', 'test']);

    const run = await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'MANUAL', steps: ['build', 'test'] });
    await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });

    const liveCard = page.getByRole('region', { name: 'Live run events' });
    const runEvents = liveCard.getByRole('listitem').filter({ hasText: run.id });
    const runningEvent = runEvents.filter({ hasText: 'RUNNING' });
    await runningEvent.waitFor();
    await screenshot(page, 'live-events');
    expect(await visibleText(runningEvent)).toContain(`Run ${run.id} QUEUED → RUNNING`);
    expect(await Promise.all((await runEvents.all()).map((item) => visibleText(item.locator('.transition'))))).toEqual([
      'QUEUED → RUNNING',
      'created → QUEUED',
    ]);
    const latest = liveCard.getByRole('definition').filter({ hasText: run.id });
    expect(await visibleText(latest)).toMatch(new RegExp(`^seq \\d+ run ${run.id} QUEUED → RUNNING$`));
    expect(await visibleText(liveCard.getByRole('definition').first())).toBe('2');
    expect(await page.evaluate(() => Reflect.get(window, 'runtrailE2eMarker'))).toBe('loaded once');
    expect(pageErrors).toEqual([]);
  });

  it('sends a visitor without a session from the home page to the login page', async () => {
    await page.goto(`${server.url}/`);

    await page.waitForURL(`${server.url}/login`);
    await page.getByRole('heading', { name: 'Sign in to Runtrail' }).waitFor();
    await page.getByLabel('Username').waitFor();
    await screenshot(page, 'login');
    expect(pageErrors).toEqual([]);
  });

  it('signs in with a username and password, says why a wrong one fails, and signs out', async () => {
    const password = 'e2e password 1';
    await server.app.services.access.createUser(commandLinePrincipal(), { username: 'dana', displayName: 'Dana Scully', password });
    await page.goto(`${server.url}/login`);

    await page.getByLabel('Username').fill('dana');
    await page.getByLabel('Password').fill('not it at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password' }).waitFor();
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.getByRole('region', { name: 'Signed in as' }).getByText('Dana Scully', { exact: true }).waitFor();
    await screenshot(page, 'home-after-password');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/login?reason=signed-out`);
    await page.goto(`${server.url}/`);
    await page.waitForURL(`${server.url}/login`);

    expect(pageErrors).toEqual([]);
  });

  it('explains a sign-in link that was already used', async () => {
    const link = await adminSignInLink(server);
    await page.goto(link);
    await page.waitForURL(`${server.url}/`);
    await context.clearCookies();

    await page.goto(link);

    await page.waitForURL(`${server.url}/login?reason=link-invalid`);
    await page.getByRole('alert').filter({ hasText: 'already used or has expired' }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
