import { commandLinePrincipal } from '../src/auth/principal.ts';
import { newId } from '../src/domain/ids.ts';
import { waitForRunEnd } from '../src/test/engine-helpers.ts';
import { adminUserId, createProjectWithWorkflow, createUser, screenshot, signIn, unique, useBrowserSuite, visibleText } from './browser-harness.ts';

describe('insight in the UI', () => {
  const suite = useBrowserSuite();

  it('lists open anomalies with what was expected, lets an operator mark one expected and not a viewer, and counts runs and errors across projects', async () => {
    const { server, services, page } = suite;
    const { project, workflow } = await createProjectWithWorkflow(services, `name: ${unique('etl')}\nsteps:\n  - name: load\n    command: "exit 2"\n`);
    const failed = await services.control.triggerRun(commandLinePrincipal(), workflow.id, {});
    await waitForRunEnd(services, failed.id);
    const at = Date.now();
    await services.repositories.anomalies.raise(newId('anm'), project.id, {
      kind: 'DURATION_SPIKE',
      series: { workflowId: workflow.id, step: 'load' },
      start: at - 60_000,
      raisedAt: at,
      end: null,
      score: 6.2,
      expected: 60_000,
      observed: 185_000,
      lower: 30_000,
      upper: 120_000,
    });
    const viewer = await createUser(services, { displayName: 'Vera Viewer', projectId: project.id, role: 'VIEWER' });

    await signIn(suite, viewer.id);
    await page.goto(`${server.url}/insight`);
    const row = page.getByRole('table', { name: 'Open anomalies, newest first' }).getByRole('row').filter({ hasText: workflow.name });
    expect(await visibleText(row)).toContain('Slower than usual');
    expect(await visibleText(row)).toContain('3 min 5 s, usually 1 min 0 s');
    expect(await row.getByRole('button', { name: 'Expected' }).count()).toBe(0);
    const overview = page.getByRole('table', { name: 'Runs created in the last 7 days per project and status' });
    // SUCCEEDED 0, FAILED 1 for the project of this test.
    expect(await visibleText(overview.getByRole('row').filter({ hasText: project.name }))).toMatch(/\s0\s+1\s/);
    expect(await visibleText(page.getByRole('region', { name: 'Commonest errors of the last 24 hours' }))).toContain('Step "load" failed with exit code <n> · 1 run');

    await signIn(suite, adminUserId(suite));
    await page.goto(`${server.url}/insight`);
    await screenshot(page, 'insight');
    await page.getByRole('table', { name: 'Open anomalies, newest first' }).getByRole('row').filter({ hasText: workflow.name }).getByRole('button', { name: 'Expected' }).click();
    await page.getByText('Every workflow behaves as its history says it should.').waitFor();
  });

  it('marks an anomaly on the dashboard trend and on the workflow duration chart, each a link to the runs it is about', async () => {
    const { server, services, page } = suite;
    const { project, workflow } = await createProjectWithWorkflow(services, `name: ${unique('nightly')}\nsteps:\n  - name: pack\n    command: "true"\n`);
    const run = await services.control.triggerRun(commandLinePrincipal(), workflow.id, {});
    await waitForRunEnd(services, run.id);
    const at = Date.now();
    await services.repositories.anomalies.raise(newId('anm'), project.id, {
      kind: 'DURATION_SPIKE',
      series: { workflowId: workflow.id, step: null },
      start: at - 60_000,
      raisedAt: at,
      end: null,
      score: 5.1,
      expected: 1_000,
      observed: 4_000,
      lower: 500,
      upper: 2_000,
    });

    await signIn(suite, adminUserId(suite));
    await page.goto(`${server.url}/?project=${project.id}`);
    const trend = page.getByRole('img', { name: /^Runs per hour/ });
    await trend.locator('a.anomaly-mark').waitFor();
    expect(await trend.locator('a.anomaly-mark').getAttribute('aria-label')).toBe('Slower than usual');
    await screenshot(page, 'dashboard-anomaly');

    await page.goto(`${server.url}/workflows/${workflow.id}`);
    const durations = page.getByRole('img', { name: /^Durations of the last/ });
    await durations.locator('a.anomaly-mark').waitFor();
    await page.getByRole('list', { name: 'Anomalies on this chart' }).getByRole('link', { name: /^Slower than usual/ }).click();
    await page.waitForURL((url) => url.pathname === '/runs' && url.searchParams.get('workflow') === workflow.id && url.searchParams.get('range') === 'custom');
    await page.locator(`tr[data-run-id="${run.id}"]`).waitFor();
  });
});
