import type { Page } from 'playwright-core';
import { commandLinePrincipal } from '../src/auth/principal.ts';
import { startHttpReceiver, type HttpReceiver } from '../src/test/alert-receivers.ts';
import { waitForRunEnd } from '../src/test/engine-helpers.ts';
import { adminUserId, createProjectWithWorkflow, createUser, expectEventually, screenshot, signIn, unique, useBrowserSuite, visibleText } from './browser-harness.ts';

const SIGNING_KEY = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

function alertRow(page: Page, workflowName: string) {
  return page.getByRole('main').getByRole('row').filter({ has: page.getByRole('rowheader', { name: workflowName }) });
}

describe('alerts in the UI', () => {
  // The scheduler on: this process holds the leader lease, whose duties evaluate alerts and deliver them.
  const suite = useBrowserSuite({ scheduler: true });
  let receiver: HttpReceiver;

  beforeAll(async () => {
    receiver = await startHttpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('lets an admin set up a webhook and a rule, shows the alert a failed run raises, lets an operator acknowledge it and not a viewer, and silence it after a preview', async () => {
    const { server, services, page } = suite;
    const { project, workflow } = await createProjectWithWorkflow(services, `name: ${unique('broken')}\nsteps:\n  - name: boom\n    command: "exit 3"\n`);
    const viewer = await createUser(services, { displayName: 'Vera Viewer', projectId: project.id, role: 'VIEWER' });
    const operator = await createUser(services, { displayName: 'Otto Operator', projectId: project.id, role: 'OPERATOR' });
    await signIn(suite, adminUserId(suite), page);

    await page.goto(`${server.url}/alerts/contact-points?project=${project.id}`);
    await page.getByRole('button', { name: 'New contact point' }).click();
    const pointForm = page.getByRole('form', { name: 'New contact point' });
    await pointForm.getByLabel('Name').fill('on-call hook');
    await pointForm.getByLabel('URL').fill(receiver.url);
    await pointForm.getByLabel('Signing key (whsec_…)').fill(SIGNING_KEY);
    await pointForm.getByRole('button', { name: 'Save contact point' }).click();
    const pointRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'on-call hook' }) });
    expect(await visibleText(pointRow)).toContain('Webhook');
    await pointRow.getByRole('button', { name: 'Test' }).click();
    const outcome = pointRow.getByRole('status');
    await outcome.waitFor();
    expect(await visibleText(outcome)).toMatch(/^Delivered \(200\) in \d+ ms$/);
    await pointRow.getByRole('button', { name: 'Delivery log' }).click();
    await page.getByRole('table', { name: 'Delivery log, newest notification first' }).getByRole('cell', { name: 'alert.test' }).waitFor();
    await screenshot(page, 'alerts-contact-points');
    await pointRow.getByRole('button', { name: 'Edit' }).click();
    const editForm = page.getByRole('form', { name: 'Edit contact point' });
    expect(await editForm.getByLabel('URL').inputValue()).toBe(receiver.url);
    const secretField = editForm.getByLabel('Signing key (whsec_…)');
    expect([await secretField.inputValue(), await secretField.getAttribute('placeholder')]).toEqual(['', 'Unchanged (stored, never shown)']);
    await editForm.getByRole('button', { name: 'Close' }).click();

    // A failure before the rule exists raises nothing, but the rule's preview finds it.
    const earlier = await services.control.triggerRun(commandLinePrincipal(), workflow.id, {});
    await waitForRunEnd(services, earlier.id);

    await page.goto(`${server.url}/alerts/rules?project=${project.id}`);
    await page.getByRole('button', { name: 'New rule' }).click();
    const ruleForm = page.getByRole('form', { name: 'New rule' });
    const preview = ruleForm.getByRole('region', { name: 'Preview over the last 30 days' });
    await preview.getByRole('status').filter({ hasText: 'Would have fired 1 time in the last 30 days (1 still firing), over 1 run.' }).waitFor();
    await preview.getByRole('img', { name: 'Alerts the rule would have fired and resolved per day over the last 30 days' }).locator('.recharts-bar-rectangle').first().waitFor();
    expect(await visibleText(preview.getByRole('list', { name: 'The latest times it would have fired' }))).toContain(`${workflow.name}: fired`);
    await screenshot(page, 'alerts-rule-preview');
    await ruleForm.getByLabel('Kind').selectOption({ label: 'A run succeeded' });
    await preview.getByRole('status').filter({ hasText: 'Would have fired 0 times' }).waitFor();
    expect(await ruleForm.getByLabel('Failures in a row').count()).toBe(0);
    await ruleForm.getByLabel('Kind').selectOption({ label: 'Consecutive failures' });
    await ruleForm.getByLabel('Failures in a row').waitFor();
    await ruleForm.getByLabel('Kind').selectOption({ label: 'A run failed' });
    await ruleForm.getByLabel('Group wait (seconds)').fill('abc');
    await ruleForm.getByRole('button', { name: 'Save rule' }).click();
    await ruleForm.getByRole('alert').filter({ hasText: 'Group wait (seconds): “abc” is not a number' }).waitFor();
    await ruleForm.getByLabel('Group wait (seconds)').fill('5000');
    await ruleForm.getByRole('button', { name: 'Save rule' }).click();
    const serverError = ruleForm.getByRole('alert').filter({ hasText: 'name: 1 to 120 characters (got 0)' });
    await serverError.waitFor();
    expect(await visibleText(serverError)).toContain('groupWaitSeconds');
    await ruleForm.getByLabel('Name').fill('broke');
    await ruleForm.getByLabel('Group wait (seconds)').fill('0');
    await ruleForm.getByLabel('on-call hook').check();
    await ruleForm.getByRole('button', { name: 'Save rule' }).click();
    const ruleRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'broke' }) });
    await screenshot(page, 'alerts-rules');
    expect(await visibleText(ruleRow)).toBe('broke A run failed Every workflow on-call hook Yes Edit Delete');

    // The page was loaded with nothing firing and polls nothing: the count moves with the alertEvents stream.
    await page.getByRole('banner').getByRole('link', { name: 'Alerts: 0 firing' }).waitFor();
    const run = await services.control.triggerRun(commandLinePrincipal(), workflow.id, {});
    await waitForRunEnd(services, run.id);

    const firingCount = page.getByRole('banner').getByRole('link', { name: 'Alerts: 1 firing' });
    await firingCount.click();
    await page.waitForURL(`${server.url}/alerts?state=FIRING&project=${project.id}`);
    const adminRow = alertRow(page, workflow.name);
    await expectEventually(async () => (await visibleText(adminRow.getByRole('cell').first())), 'Firing');
    expect(await visibleText(adminRow)).toContain(`Firing ${workflow.name} broke`);
    await adminRow.getByRole('button', { name: 'Acknowledge' }).waitFor();

    const viewerPage = await suite.openPage();
    await signIn(suite, viewer.id, viewerPage);
    await viewerPage.goto(`${server.url}/alerts?project=${project.id}`);
    const viewerRow = alertRow(viewerPage, workflow.name);
    await viewerRow.getByRole('button', { name: 'History' }).waitFor();
    expect(await visibleText(viewerRow.getByRole('cell').first())).toBe('Firing');
    expect(await viewerRow.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);

    const operatorPage = await suite.openPage();
    await signIn(suite, operator.id, operatorPage);
    await operatorPage.goto(`${server.url}/alerts?project=${project.id}`);
    const operatorRow = alertRow(operatorPage, workflow.name);
    await operatorRow.getByRole('button', { name: 'Acknowledge' }).click();
    await operatorRow.getByRole('button', { name: 'Acknowledge' }).waitFor({ state: 'detached' });
    expect(await visibleText(operatorRow.getByRole('cell').nth(5))).toMatch(new RegExp(`^${operator.username}, `));
    // The acknowledgement is a transition on the alertEvents stream: the admin's page refetches and loses the button too.
    await adminRow.getByRole('button', { name: 'Acknowledge' }).waitFor({ state: 'detached' });
    await adminRow.getByRole('button', { name: 'History' }).click();
    await page.getByRole('main').getByRole('listitem').filter({ hasText: `Firing → Firing by ${operator.username} — acknowledged` }).waitFor();
    await screenshot(page, 'alerts');

    await expectEventually(async () => receiver.received.some((request) => request.body.includes('"type":"alert.firing"')), true);

    await page.getByRole('navigation', { name: 'Alerting' }).getByRole('link', { name: 'Silences' }).click();
    await page.getByRole('button', { name: 'New silence' }).click();
    const silenceForm = page.getByRole('form', { name: 'New silence' });
    await silenceForm.getByLabel('broke', { exact: true }).check();
    await silenceForm.getByLabel('Comment (why)').fill('fixing the build');
    await silenceForm.getByRole('button', { name: 'Preview' }).click();
    await silenceForm.getByRole('status').filter({ hasText: 'Would silence 1 alert now.' }).waitFor();
    await screenshot(page, 'alerts-silence-preview');
    await silenceForm.getByRole('button', { name: 'Create silence' }).click();
    const silenceRow = page.getByRole('main').getByRole('row').filter({ hasText: 'fixing the build' });
    expect(await visibleText(silenceRow)).toMatch(/^broke Any .+ fixing the build .+ Expire$/);
    await silenceRow.getByRole('button', { name: 'Expire' }).click();
    await page.getByText('No silences in force or to come.').waitFor();

    page.on('dialog', (dialog) => void dialog.accept());
    await page.getByRole('navigation', { name: 'Alerting' }).getByRole('link', { name: 'Rules' }).click();
    await ruleRow.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No alert rules in this project yet.').waitFor();
    await page.getByRole('banner').getByRole('link', { name: 'Alerts: 0 firing' }).waitFor();
  });
});
