import { commandLinePrincipal } from '../src/auth/principal.ts';
import {
  adminUserId,
  createProjectWithWorkflow,
  createUser,
  documentMark,
  gatedWorkflow,
  markDocument,
  screenshot,
  signIn,
  visibleText,
  useBrowserSuite,
} from './browser-harness.ts';

describe('the run detail page', () => {
  const suite = useBrowserSuite();

  it('follows a run triggered from its workflow page to Succeeded and shows the text its step echoed in the log', async () => {
    const { page, server, services } = suite;
    const gated = gatedWorkflow(server, 'hello from runtrail');
    await createProjectWithWorkflow(services, gated.yaml);
    await signIn(suite, adminUserId(suite));
    await markDocument(page);

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('heading', { name: 'Workflows', level: 1 }).waitFor();
    const workflowLink = page.getByRole('link', { name: gated.name, exact: true });
    await workflowLink.waitFor();
    await screenshot(page, 'workflows');
    await workflowLink.click();
    await page.getByRole('heading', { name: gated.name, level: 1 }).waitFor();
    await page.getByRole('region', { name: 'Definition' }).getByText('echo hello from runtrail').waitFor();
    await screenshot(page, 'workflow-detail');
    await page.getByRole('button', { name: 'Trigger run' }).click();

    await page.waitForURL(/\/runs\/run_[a-z0-9]+$/);
    await page.getByRole('heading', { name: `${gated.name} Running`, level: 1 }).waitFor();
    gated.open();
    await page.getByRole('heading', { name: `${gated.name} Succeeded`, level: 1 }).waitFor();
    await page.getByRole('list', { name: 'Steps' }).getByRole('button', { name: 'say' }).click();
    const log = page.getByRole('region', { name: 'Log of step say' });
    await log.getByText('hello from runtrail').waitFor();
    await screenshot(page, 'run-detail');
    expect(await visibleText(log.locator('pre'))).toBe('hello from runtrail');
    expect(await documentMark(page)).toBe('loaded once');
  });

  it('cancels a running run for an operator, who then reads the run as Aborted by them in its status history', async () => {
    const { page, server, services } = suite;
    const gated = gatedWorkflow(server, 'never said');
    const { project, workflow } = await createProjectWithWorkflow(services, gated.yaml);
    const operator = await createUser(services, { displayName: 'Olivia Operator', projectId: project.id, role: 'OPERATOR' });
    const run = await services.control.triggerRun(commandLinePrincipal(), workflow.id, {});
    await signIn(suite, operator.id);
    await page.goto(`${server.url}/runs/${run.id}`);
    await page.getByRole('heading', { name: `${gated.name} Running`, level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('heading', { name: `${gated.name} Aborted`, level: 1 }).waitFor();
    const history = page.getByRole('list', { name: 'Status changes, oldest first' });
    const aborted = history.getByRole('listitem').filter({ hasText: 'Run: Running → Aborted' });
    await aborted.waitFor();
    expect(await visibleText(aborted)).toMatch(new RegExp(`Run: Running → Aborted by ${operator.username}( |$)`));
    expect(await page.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
  });
});
