import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { commandLinePrincipal } from '../src/auth/principal.ts';
import { adminUserId, createProjectWithWorkflow, createUser, screenshot, signIn, unique, useBrowserSuite, visibleText } from './browser-harness.ts';

/**
 * extract → wait (until the test opens its gate) → flaky (exits 3, retried once) and report
 * (after extract). The run stays RUNNING at `wait` as long as the test needs.
 */
function pipeline(gateDir: string) {
  const name = unique('pipeline');
  mkdirSync(gateDir, { recursive: true });
  const gate = path.join(gateDir, name);
  const yaml = [
    `name: ${name}`,
    'params:',
    '  - REGION: eu',
    '  - LIMIT: "10"',
    'steps:',
    '  - name: extract',
    '    command: echo 42',
    '    output: ROWS',
    '  - name: wait',
    `    command: ${JSON.stringify(`while [ ! -e '${gate}' ]; do sleep 0.05; done`)}`,
    '  - name: flaky',
    '    command: echo "trying ${REGION}"; exit 3',
    '    retryPolicy: {limit: 1, intervalSec: 0}',
    '  - name: report',
    '    depends: [extract]',
    '    command: "true"',
  ].join('\n');
  return { name, yaml, open: () => writeFileSync(gate, '') };
}

describe('the graph of a run and of a workflow', () => {
  const suite = useBrowserSuite();

  it('colours the run graph live, keeps the step a user selected while the run moves on, and shows its attempts, params and outputs', async () => {
    const { page, server, services } = suite;
    const flow = pipeline(path.join(server.dataDir, 'gates'));
    const { workflow } = await createProjectWithWorkflow(services, flow.yaml);
    const run = await services.control.triggerRun(commandLinePrincipal(), workflow.id, { REGION: 'us' });
    await signIn(suite, adminUserId(suite));
    await page.goto(`${server.url}/runs/${run.id}`);
    const graph = page.getByRole('group', { name: 'Graph of 4 steps' });
    const node = (step: string) => graph.locator(`[data-step="${step}"]`);
    await node('wait').and(page.locator('[data-status="RUNNING"]')).waitFor();
    await node('extract').and(page.locator('[data-status="SUCCEEDED"]')).waitFor();

    await node('extract').click();
    flow.open();
    await page.getByRole('heading', { name: `${flow.name} Failed`, level: 1 }).waitFor();

    await node('flaky').and(page.locator('[data-status="FAILED"]')).waitFor();
    expect(await node('extract').getAttribute('aria-pressed')).toBe('true');
    expect(await node('flaky').getAttribute('aria-pressed')).toBe('false');
    await page.getByRole('region', { name: 'Step extract', exact: true }).waitFor();
    await page.getByRole('region', { name: 'Log of step extract' }).getByText('42').waitFor();
    const values = page.getByRole('region', { name: 'Params and outputs' });
    expect(await visibleText(values)).toContain('REGION us');
    expect(await visibleText(values)).toContain('ROWS 42');

    await node('flaky').click();
    const detail = page.getByRole('region', { name: 'Step flaky', exact: true });
    await detail.waitFor();
    expect(await visibleText(detail.getByRole('definition').first())).toBe('3');
    expect(await detail.getByRole('table').getByRole('row').count()).toBe(3);
    await screenshot(page, 'run-graph');
  });

  it("draws a workflow's graph on its page, and offers its operators a trigger on the list with the declared defaults filled in", async () => {
    const { page, server, services } = suite;
    const flow = pipeline(path.join(server.dataDir, 'gates'));
    const { project, workflow } = await createProjectWithWorkflow(services, flow.yaml);
    const operator = await createUser(services, { displayName: 'Olga Operator', projectId: project.id, role: 'OPERATOR' });
    const viewer = await createUser(services, { displayName: 'Victor Viewer', projectId: project.id, role: 'VIEWER' });
    await signIn(suite, operator.id);
    await page.goto(`${server.url}/workflows/${workflow.id}`);
    const graph = page.getByRole('group', { name: 'Graph of 4 steps' });
    await graph.locator('[data-step="report"]').click();
    expect(await visibleText(page.getByLabel('Step report'))).toContain('Waits for extract');

    await page.goto(`${server.url}/workflows`);
    await page.getByRole('button', { name: `Trigger ${flow.name}` }).click();
    const region = page.getByLabel('REGION');
    await region.waitFor();
    expect(await region.inputValue()).toBe('eu');
    expect(await page.getByLabel('LIMIT').inputValue()).toBe('10');
    await screenshot(page, 'workflows-trigger');
    await region.fill('ap');
    await page.getByRole('button', { name: 'Trigger run' }).click();
    await page.waitForURL(/\/runs\/run_[a-z0-9]+$/);
    await page.getByRole('region', { name: 'Params and outputs' }).getByText('ap', { exact: true }).waitFor();

    const viewerPage = await suite.openPage();
    await signIn(suite, viewer.id, viewerPage);
    await viewerPage.goto(`${server.url}/workflows`);
    await viewerPage.getByRole('link', { name: flow.name, exact: true }).waitFor();
    expect(await viewerPage.getByRole('button', { name: `Trigger ${flow.name}` }).count()).toBe(0);
  });

  it('links a run to the sub-workflow runs its call step started, and a sub-workflow run back to its parent', async () => {
    const { page, server, services } = suite;
    const name = unique('parent');
    const yaml = [`name: ${name}`, 'steps:', '  - name: each region', '    call: load', '    parallel: [eu, us]', '    params: "REGION=${ITEM}"', '---', 'name: load', 'params: REGION=none', 'steps:', '  - name: load', '    command: echo "loading ${REGION}"'].join('\n');
    const { workflow } = await createProjectWithWorkflow(services, yaml);
    const run = await services.control.triggerRun(commandLinePrincipal(), workflow.id, {});
    await signIn(suite, adminUserId(suite));
    await page.goto(`${server.url}/runs/${run.id}`);
    await page.getByRole('heading', { name: `${name} Succeeded`, level: 1 }).waitFor();
    await page.reload();

    const children = page.getByRole('region', { name: 'Sub-workflows' }).getByRole('listitem');
    await children.first().waitFor();
    expect(await children.count()).toBe(2);
    expect(await visibleText(children.first())).toContain(`each region → ${name}.load`);
    const child = children.first().getByRole('link', { name: `${name}.load` });
    const childHref = await child.getAttribute('href');
    await child.click();
    await page.waitForURL(`${server.url}${childHref}`);
    const parent = page.getByRole('region', { name: 'Sub-workflows' });
    await parent.getByRole('link', { name, exact: true }).waitFor();
    expect(await visibleText(parent)).toContain(`Started by step each region of ${name}`);
  });

  it('lays out a graph of 1,000 steps off the main thread: the page keeps answering, then shows the graph or says why it lists the steps instead', async () => {
    const { page, server, services } = suite;
    const name = unique('thousand');
    // Each step after the first waits for a step a third of the way back and for the one ten before it: long edges, the costly case for crossing reduction.
    const steps = Array.from({ length: 1_000 }, (_, index) => {
      const depends = index === 0 ? [] : [...new Set([Math.floor((index - 1) / 3), ...(index > 10 ? [index - 10] : [])])].map((at) => `s${at}`);
      return `  - name: s${index}\n    command: "true"\n    depends: [${depends.join(', ')}]`;
    });
    const { workflow } = await createProjectWithWorkflow(services, [`name: ${name}`, 'steps:', ...steps].join('\n'));
    await signIn(suite, adminUserId(suite));
    await page.evaluate(() => {
      const longest = { ms: 0 };
      Object.assign(window, { longestTask: longest });
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longest.ms = Math.max(longest.ms, entry.duration);
      }).observe({ type: 'longtask', buffered: false });
    });

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('link', { name, exact: true }).click();
    await page.waitForURL(`${server.url}/workflows/${workflow.id}`);
    await page.getByText('Laying out the graph of 1,000 steps…').waitFor();
    await page.getByRole('group', { name: 'Graph of 1,000 steps' }).or(page.getByText('The graph of 1,000 steps takes too long to lay out')).waitFor({ timeout: 30_000 });
    await screenshot(page, 'thousand-steps');

    const longestTaskMs = await page.evaluate(() => (window as unknown as { longestTask: { ms: number } }).longestTask.ms);
    // A layout on the main thread blocks it for the whole layout (seconds to tens of seconds for this shape).
    expect(longestTaskMs).toBeLessThan(2_000);
  });
});
