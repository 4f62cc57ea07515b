import { commandLinePrincipal } from '../src/auth/principal.ts';
import { waitForRunEnd } from '../src/test/engine-helpers.ts';
import { seederFor } from '../src/test/seeder.ts';
import { adminUserId, createProjectWithWorkflow, screenshot, signIn, unique, useBrowserSuite } from './browser-harness.ts';

const DAY = 24 * 60 * 60 * 1000;

describe('what a newcomer found on the pages', () => {
  const suite = useBrowserSuite();
  let projectId = '';
  let workflowName = '';
  let projectName = '';

  beforeAll(async () => {
    const { services } = suite;
    await seederFor(suite.server.database).seed({ runs: 60, projects: 2, workflowsPerProject: 1, from: new Date(Date.now() - 3 * DAY), to: new Date(Date.now() - DAY), seed: 7 });
    workflowName = unique('quarter-hourly');
    const { project, workflow } = await createProjectWithWorkflow(services, `name: ${workflowName}\nschedule: "*/15 6-22 * * 1-5"\nsteps:\n  - name: ok\n    command: "true"\n`);
    projectId = project.id;
    projectName = project.name;
    const run = await services.control.triggerRun(commandLinePrincipal(), workflow.id, {});
    await waitForRunEnd(services, run.id);
  });

  it('counts one run as "1 run", as of a time of day, with the snapshot number in its tooltip, and types search in the UI font', async () => {
    const { page, server } = suite;
    await signIn(suite, adminUserId(suite));

    await page.goto(`${server.url}/runs?project=${projectId}`);

    const line = page.getByRole('status').filter({ hasText: 'as of' });
    await line.getByText(/^1 run as of \d{1,2}:\d{2}:\d{2}/).waitFor();
    expect(await line.locator('[title^="Snapshot "]').count()).toBe(1);
    const fonts = await page.evaluate(() => ({ input: getComputedStyle(document.querySelector('input[type="search"]') ?? document.body).fontFamily, body: getComputedStyle(document.body).fontFamily }));
    expect(fonts.input).toBe(fonts.body);
  });

  it('names each workflow choice with its project when the runs of every project are shown', async () => {
    const { page, server } = suite;
    await signIn(suite, adminUserId(suite));

    await page.goto(`${server.url}/runs`);

    const picker = page.getByLabel('Workflow');
    await picker.locator('option', { hasText: `${projectName} / ${workflowName}` }).waitFor({ state: 'attached' });
    const options = await picker.locator('option').allTextContents();
    expect(options.filter((option) => option !== 'All workflows').every((option) => option.includes(' / '))).toBe(true);
  });

  it('keeps a cron expression on one line in a narrow list of workflows', async () => {
    const page = await suite.openPage();
    await page.setViewportSize({ width: 700, height: 900 });
    await signIn(suite, adminUserId(suite), page);

    await page.goto(`${suite.server.url}/workflows`);

    const cell = page.getByRole('cell', { name: '*/15 6-22 * * 1-5' });
    await cell.waitFor();
    const lines = await cell.evaluate((element) => {
      const range = document.createRange();
      range.selectNodeContents(element);
      return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
    });
    expect(lines).toBe(1);
  });

  it('draws a pie of one status as a whole ring without a seam, and titles the active runs for what they are', async () => {
    const { page, server } = suite;
    await signIn(suite, adminUserId(suite));

    await page.goto(`${server.url}/?project=${projectId}&range=24h`);

    const sector = page.locator('.status-pie .status-pie__slice');
    await sector.first().waitFor();
    expect(await sector.count()).toBe(1);
    // One stroke around the whole ring: its dash is the circumference and leaves no gap to show as a seam.
    const [dash, gap] = ((await sector.first().getAttribute('stroke-dasharray')) ?? '').split(' ').map(Number);
    expect(dash).toBeCloseTo(2 * Math.PI * Number(await sector.first().getAttribute('r')), 3);
    expect(gap).toBe(0);
    await page.getByRole('heading', { name: 'In progress' }).waitFor();
    await screenshot(page, 'dashboard-one-status');
  });

  it('shows every duration label of a workflow chart whole, inside the chart', async () => {
    const { page, server } = suite;
    await signIn(suite, adminUserId(suite));
    await page.goto(`${server.url}/workflows`);
    await page.getByRole('row').filter({ hasText: 'Seed 1' }).first().getByRole('link').first().click();

    const chart = page.getByRole('img', { name: /^Durations of the last/ });
    await chart.locator('.recharts-cartesian-axis-tick-value').first().waitFor();
    const ticks = await chart.evaluate((element) => {
      const box = element.getBoundingClientRect();
      return [...element.querySelectorAll('.recharts-cartesian-axis-tick-value')].map((text) => ({ left: text.getBoundingClientRect().left - box.left, lines: text.querySelectorAll('tspan').length }));
    });
    await screenshot(page, 'workflow-durations');
    expect(ticks.length).toBeGreaterThan(1);
    expect(ticks.filter((tick) => tick.left < 0 || tick.lines > 1)).toEqual([]);
  });

  it('gives the playground query editor nearly half of the window, not half of the content column', async () => {
    const { page, server } = suite;
    await signIn(suite, adminUserId(suite));

    await page.goto(`${server.url}/playground`);

    const editor = page.getByLabel('Query Editor');
    await editor.getByText('query Overview {').waitFor();
    const width = (await editor.boundingBox())?.width ?? 0;
    await screenshot(page, 'playground-wide');
    expect(width).toBeGreaterThan(1280 * 0.44);
  });
});
