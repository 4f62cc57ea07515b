import { adminUserId, createProjectWithWorkflow, screenshot, signIn, unique, useBrowserSuite, visibleText } from './browser-harness.ts';

describe('reports in the UI', () => {
  const suite = useBrowserSuite();

  it('lets an admin define a report with a preview of the next one, run it now, read its HTML in the page, and download what it stored', async () => {
    const { server, services, page } = suite;
    const { project } = await createProjectWithWorkflow(services, `name: ${unique('nightly')}\nsteps:\n  - name: build\n    command: "true"\n`);
    await signIn(suite, adminUserId(suite), page);

    await page.goto(`${server.url}/reports?project=${project.id}`);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Reports' }).waitFor();
    await page.getByRole('button', { name: 'New report' }).click();
    const form = page.getByRole('form', { name: 'New report definition' });
    await form.getByLabel('Name').fill('Daily digest');
    await form.getByLabel('Time zone (IANA)').fill('Europe/Berlin');
    await form.getByLabel('HTML').check();
    await form.getByLabel('JSON').check();
    await form.getByRole('button', { name: 'Preview next report' }).click();
    const preview = form.getByRole('status');
    await preview.waitFor();
    expect(await visibleText(preview)).toMatch(/^Next report: \d{4}-\d{2}-\d{2} — 0 runs$/);
    await form.getByRole('button', { name: 'Save' }).click();

    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Daily digest' }) });
    expect(await visibleText(row)).toContain('0 6 * * * (Europe/Berlin)');
    await row.getByRole('button', { name: 'Run now' }).click();
    const file = page.getByRole('link', { name: /^JSON \(\d+ KB\)$/ });
    await file.waitFor();
    await page.getByRole('link', { name: /^HTML \(\d+ KB\)$/ }).waitFor();
    await page.getByRole('button', { name: 'View' }).click();
    // The stored HTML, in the page, fetched with the session of the signed-in user.
    const report = page.frameLocator('iframe[title="Report"]');
    await report.getByRole('heading', { name: 'Daily digest' }).waitFor();
    expect(await report.getByRole('img', { name: /^Pie chart of 0 runs by status$/ }).count()).toBe(1);
    await screenshot(page, 'reports');
    const href = await file.getAttribute('href');
    expect(href).toMatch(/^\/reports\/rep_[0-9a-z]{25}\.json$/);
    const download = await page.request.get(`${server.url}${href}`);
    expect(download.status()).toBe(200);
    expect(((await download.json()) as { definitionName: string }).definitionName).toBe('Daily digest');
  });
});
