import type { Page } from 'playwright-core';
import { createRunByHand } from '../src/test/factories.ts';
import { adminUserId, createProjectWithWorkflow, documentMark, liveBadge, markDocument, signIn, unique, useBrowserSuite, type BrowserSuite } from './browser-harness.ts';

/** Runs recorded by hand (held under the test's claim, so the server's engine leaves them be), each in its own status history. */
async function recordRun(suite: BrowserSuite, ids: { projectId: string; workflowId: string }): Promise<string> {
  const run = await createRunByHand(suite.services, { ...ids, trigger: 'MANUAL', steps: ['build'] });
  return run.id;
}

/** The session cookie the browser holds after signing in, as a request header. */
async function sessionCookie(suite: BrowserSuite): Promise<string> {
  const cookies = await suite.context.cookies(suite.server.url);
  return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

async function rowIds(page: Page): Promise<string[]> {
  return page.locator('tr[data-run-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-run-id') ?? ''));
}

describe('first paint: pages rendered on the server', () => {
  const suite = useBrowserSuite();

  async function projectWithRuns(count: number) {
    const { project, workflow } = await createProjectWithWorkflow(suite.services, `name: ${unique('nightly')}\nsteps:\n  - name: build\n    command: "true"\n`);
    const ids = { projectId: project.id, workflowId: workflow.id };
    const runs: string[] = [];
    for (let index = 0; index < count; index += 1) runs.push(await recordRun(suite, ids));
    return { ids, workflow, runs };
  }

  it('sends the first page of /runs with its rows in the HTML, shown with scripts turned off', async () => {
    const { server } = suite;
    const { ids, workflow, runs } = await projectWithRuns(3);
    await signIn(suite, adminUserId(suite));
    const cookie = await sessionCookie(suite);

    const response = await fetch(`${server.url}/runs?project=${ids.projectId}`, { headers: { cookie } });
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const id of runs) expect(html).toContain(`data-run-id="${id}"`);
    expect(html).toContain(workflow.name);

    // A browser that runs no script at all still shows the rows, newest first.
    const noScripts = await suite.browser.newContext({ javaScriptEnabled: false, storageState: await suite.context.storageState() });
    try {
      const page = await noScripts.newPage();
      await page.goto(`${server.url}/runs?project=${ids.projectId}`);
      expect(await rowIds(page)).toEqual([...runs].reverse());
      await page.goto(`${server.url}/runs/${runs[0]}`);
      await page.getByRole('heading', { level: 1, name: workflow.name }).waitFor();
      expect(await page.getByRole('main').innerText()).toContain(runs[0]);
    } finally {
      await noScripts.close();
    }
  });

  it('sends a browser without a session to the login page before rendering anything, to come back to the page it asked for', async () => {
    const response = await fetch(`${suite.server.url}/runs?statuses=FAILED`, { redirect: 'manual' });
    const location = new URL(response.headers.get('location') ?? '', suite.server.url);
    expect(response.status).toBe(307);
    expect(location.pathname).toBe('/login');
    expect(location.searchParams.get('next')).toBe('/runs?statuses=FAILED');
  });

  it('streams from the rendered snapshot: a run created before the page started its stream, and one after, each offered once, without a reload', async () => {
    const { page, server } = suite;
    const { ids, runs } = await projectWithRuns(2);
    await signIn(suite, adminUserId(suite));

    // The HTML is rendered; its scripts are held until a run was created after that render and
    // before the page could subscribe: the stream must start from the page's snapshot to see it.
    let between: Promise<string> | null = null;
    await page.route('**/_next/static/chunks/**', async (route) => {
      between ??= recordRun(suite, ids);
      await between;
      await route.continue();
    });
    await page.goto(`${server.url}/runs?project=${ids.projectId}`);
    expect(await rowIds(page)).toEqual([...runs].reverse());
    await liveBadge(page).waitFor();
    await markDocument(page);
    await page.getByRole('button', { name: '1 new run — show' }).waitFor();

    const after = await recordRun(suite, ids);
    await page.getByRole('button', { name: '2 new runs — show' }).click();

    const created = await between;
    await page.locator(`tr[data-run-id="${after}"]`).waitFor();
    expect(await rowIds(page)).toEqual([after, created, ...[...runs].reverse()]);
    expect(await documentMark(page)).toBe('loaded once');
  });
});
