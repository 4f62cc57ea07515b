import type { Page } from 'playwright-core';
import { commandLinePrincipal } from '../src/auth/principal.ts';
import { waitForRunEnd, waitForRunStatus } from '../src/test/engine-helpers.ts';
import { adminUserId, createProjectWithWorkflow, createUser, signIn, unique, useBrowserSuite } from './browser-harness.ts';

/** The buttons that change a run or a workflow; everything else on these pages only reads. */
const ACTION = /^(Cancel|Retry|Retry from failed step|Approve .+|Reject .+|Trigger run|Enable|Disable|Edit)$/;

async function actionButtons(page: Page): Promise<string[]> {
  const names = await page.getByRole('main').getByRole('button').allTextContents();
  return names.map((name) => name.trim()).filter((name) => ACTION.test(name));
}

describe('a project viewer', () => {
  const suite = useBrowserSuite();

  it('sees no action buttons on run and workflow pages where an admin sees them', async () => {
    const { server, services } = suite;
    const cli = commandLinePrincipal();
    const approval = await createProjectWithWorkflow(services, `name: ${unique('release')}\nsteps:\n  - name: sign-off\n    type: approval\n  - name: ship\n    command: "true"\n`);
    const failing = await services.workflows.save(cli, approval.project.id, `name: ${unique('broken')}\nsteps:\n  - name: boom\n    command: "exit 3"\n`);
    const waitingRun = await services.control.triggerRun(cli, approval.workflow.id, {});
    const failedRun = await services.control.triggerRun(cli, failing.id, {});
    await waitForRunStatus(services, waitingRun.id, (status) => status === 'WAITING');
    await waitForRunEnd(services, failedRun.id);
    const viewer = await createUser(services, { displayName: 'Vera Viewer', projectId: approval.project.id, role: 'VIEWER' });
    const viewerPage = suite.page;
    const adminPage = await suite.openPage();
    await signIn(suite, viewer.id, viewerPage);
    await signIn(suite, adminUserId(suite), adminPage);
    const pages = [
      { path: `/runs/${waitingRun.id}`, heading: `${approval.workflow.name} Waiting`, adminActions: ['Cancel', 'Approve sign-off', 'Reject sign-off'] },
      { path: `/runs/${failedRun.id}`, heading: `${failing.name} Failed`, adminActions: ['Retry', 'Retry from failed step'] },
      { path: `/workflows/${approval.workflow.id}`, heading: approval.workflow.name, adminActions: ['Disable', 'Trigger run', 'Edit'] },
    ];

    for (const { path, heading, adminActions } of pages) {
      for (const page of [viewerPage, adminPage]) {
        await page.goto(`${server.url}${path}`);
        await page.getByRole('heading', { name: heading, level: 1, exact: true }).waitFor();
      }

      expect({ path, actions: await actionButtons(viewerPage) }).toEqual({ path, actions: [] });
      expect({ path, actions: await actionButtons(adminPage) }).toEqual({ path, actions: adminActions });
    }
  });
});
