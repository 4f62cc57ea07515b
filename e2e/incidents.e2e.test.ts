import { commandLinePrincipal } from '../src/auth/principal.ts';
import { adminUserId, createUser, screenshot, signIn, unique, useBrowserSuite, visibleText } from './browser-harness.ts';

describe('incidents in the UI', () => {
  // Incident detection is a leader duty.
  const suite = useBrowserSuite({ scheduler: true });

  it('shows an incident appear live when workflows of two projects fail together, its causes ranked by lift and its runs, and a viewer of one project only its share', async () => {
    const { server, services, page } = suite;
    const cli = commandLinePrincipal();
    const [alpha, beta] = [await services.access.createProject(cli, { slug: unique('alpha') }), await services.access.createProject(cli, { slug: unique('beta') })];
    await signIn(suite, adminUserId(suite));
    await page.goto(`${server.url}/insight/incidents`);
    await page.getByRole('heading', { name: 'Failures that clustered across projects' }).waitFor();

    const workflows = [];
    for (const [project, name] of [
      [alpha, 'load-orders'],
      [alpha, 'load-invoices'],
      [beta, 'sync-stock'],
    ] as const) {
      const saved = await services.workflows.load({ projectId: project.id, yaml: `name: ${name}\nsteps:\n  - name: connect\n    command: exit 7\n`, source: 'api', savedAt: new Date(), enabled: true });
      if (!saved.ok) throw new Error(saved.message);
      workflows.push(saved.workflow);
    }
    for (let round = 0; round < 2; round += 1) for (const workflow of workflows) await services.control.triggerRun(cli, workflow.id, {});

    // Pushed by incidentEvents to the page already open: nothing reloads it.
    const row = page.getByRole('table', { name: 'Incidents, newest opened first' }).getByRole('row').filter({ hasText: '6 failures of 3 workflows in 2 projects' });
    await row.waitFor({ timeout: 60_000 });
    expect(await visibleText(row)).toContain('Error: Step "connect" failed with exit code <n>');
    await screenshot(page, 'incidents');

    await row.getByRole('link').click();
    const attributes = page.getByRole('table', { name: 'Shared attributes, highest lift first' });
    expect(await visibleText(attributes.getByRole('row').nth(1))).toContain('Step "connect" failed with exit code <n>');
    const members = page.getByRole('table', { name: 'The incident’s failed runs you may read, oldest first' });
    expect(await members.getByRole('link', { name: 'sync-stock' }).count()).toBe(2);
    const incidentUrl = page.url();

    const viewer = await createUser(services, { displayName: 'Ada Alpha', projectId: alpha.id, role: 'VIEWER' });
    await signIn(suite, viewer.id);
    await page.goto(incidentUrl);
    await members.waitFor();
    expect(await members.getByRole('link', { name: 'load-orders' }).count()).toBe(2);
    expect(await members.getByRole('link', { name: 'sync-stock' }).count()).toBe(0);
    expect(await visibleText(page.locator('main'))).not.toContain(beta.slug);
  });
});
