import type { Page } from 'playwright-core';
import { commandLinePrincipal } from '../src/auth/principal.ts';
import type { Services } from '../src/composition.ts';
import type { RunStatus } from '../src/domain/status.ts';
import { createRunByHand } from '../src/test/factories.ts';
import {
  adminUserId,
  createProjectWithWorkflow,
  documentMark,
  expectEventually,
  gatedWorkflow,
  markDocument,
  screenshot,
  signIn,
  STATUS_LABELS,
  unique,
  useBrowserSuite,
} from './browser-harness.ts';

/** The statuses a run goes through to end in each one, after QUEUED. */
const PATH_TO: Partial<Record<RunStatus, RunStatus[]>> = {
  RUNNING: ['RUNNING'],
  SUCCEEDED: ['RUNNING', 'SUCCEEDED'],
  PARTIALLY_SUCCEEDED: ['RUNNING', 'PARTIALLY_SUCCEEDED'],
  FAILED: ['RUNNING', 'FAILED'],
  ABORTED: ['RUNNING', 'ABORTED'],
};

interface Row {
  id: string;
  status: string;
}

async function recordRunEndingIn(services: Services, ids: { projectId: string; workflowId: string }, status: RunStatus): Promise<Row> {
  const run = await createRunByHand(services, { ...ids, trigger: 'MANUAL', steps: ['build'] });
  for (const to of PATH_TO[status] ?? []) await services.recorder.recordTransition({ runId: run.id, to });
  return { id: run.id, status: STATUS_LABELS[status] };
}

/** Each row of the runs table: its run and the status label its badge shows, by run id. */
async function tableRows(page: Page): Promise<Row[]> {
  const rows = await page
    .locator('tr[data-run-id]')
    .evaluateAll((elements) => elements.map((row) => ({ id: row.getAttribute('data-run-id') ?? '', status: row.querySelector('.status-badge')?.textContent?.trim() ?? '' })));
  return rows.sort((a, b) => a.id.localeCompare(b.id));
}

function byId(rows: Row[]): Row[] {
  return [...rows].sort((a, b) => a.id.localeCompare(b.id));
}

function statusParam(page: Page): string[] {
  return (new URL(page.url()).searchParams.get('status') ?? '').split(',').filter(Boolean).sort();
}

describe('the runs page', () => {
  const suite = useBrowserSuite();

  it('filters the runs by two statuses, shows only their rows, puts the filter in the URL, and goes back to the previous view', async () => {
    const { page, server, services } = suite;
    const { project, workflow } = await createProjectWithWorkflow(services, `name: ${unique('build')}\nsteps:\n  - name: build\n    command: "true"\n`);
    const ids = { projectId: project.id, workflowId: workflow.id };
    const runs: Row[] = [];
    for (const status of ['SUCCEEDED', 'FAILED', 'ABORTED', 'RUNNING', 'SUCCEEDED', 'PARTIALLY_SUCCEEDED', 'FAILED', 'SUCCEEDED'] as const) {
      runs.push(await recordRunEndingIn(services, ids, status));
    }
    const failed = runs.filter((run) => run.status === 'Failed');
    const failedOrSucceeded = runs.filter((run) => run.status === 'Failed' || run.status === 'Succeeded');
    await signIn(suite, adminUserId(suite));
    await page.goto(`${server.url}/runs?project=${project.id}`);
    await expectEventually(() => tableRows(page), byId(runs));
    await screenshot(page, 'runs');
    const statusChips = page.getByRole('group', { name: 'Status' });

    await statusChips.getByRole('button', { name: /^Failed/ }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'FAILED');
    await statusChips.getByRole('button', { name: /^Succeeded/ }).click();

    await page.waitForURL((url) => (url.searchParams.get('status') ?? '').includes(','));
    expect(statusParam(page)).toEqual(['FAILED', 'SUCCEEDED']);
    expect(new URL(page.url()).searchParams.get('project')).toBe(project.id);
    await expectEventually(() => tableRows(page), byId(failedOrSucceeded));
    expect(await statusChips.getByRole('button', { pressed: true }).allInnerTexts()).toEqual([expect.stringMatching(/^Succeeded/), expect.stringMatching(/^Failed/)]);

    await page.goBack();

    await page.waitForURL((url) => url.searchParams.get('status') === 'FAILED');
    await expectEventually(() => tableRows(page), byId(failed));
    expect(await statusChips.getByRole('button', { pressed: true }).allInnerTexts()).toEqual([expect.stringMatching(/^Failed/)]);
  });

  it('shows a run triggered while the page is open, which turns Running and then Succeeded in place without a reload', async () => {
    const { page, server, services } = suite;
    const gated = gatedWorkflow(server, 'hello from runtrail');
    const { project, workflow } = await createProjectWithWorkflow(services, gated.yaml);
    await signIn(suite, adminUserId(suite));
    await page.goto(`${server.url}/runs?project=${project.id}`);
    await page.getByRole('status').filter({ hasText: '0 runs as of' }).waitFor();
    await markDocument(page);

    const run = await services.control.triggerRun(commandLinePrincipal(), workflow.id, {});

    await page.getByRole('button', { name: '1 new run — show' }).click();
    const row = page.locator(`tr[data-run-id="${run.id}"]`);
    await row.getByRole('link', { name: gated.name }).waitFor();
    await row.locator('.status-badge[data-status="RUNNING"]').filter({ hasText: 'Running' }).waitFor();
    gated.open();
    await row.locator('.status-badge[data-status="SUCCEEDED"]').filter({ hasText: 'Succeeded' }).waitFor();
    expect(await tableRows(page)).toEqual([{ id: run.id, status: 'Succeeded' }]);
    expect(await documentMark(page)).toBe('loaded once');
  });
});
