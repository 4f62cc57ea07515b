import { adminUserId, createProjectWithWorkflow, screenshot, signIn, unique, useBrowserSuite, visibleText } from './browser-harness.ts';

describe('reports in the UI', () => {
  const suite = useBrowserSuite();

  it('lets an admin define a report with a preview of the next one, run it now, and download what it stored', async () => {
    const { server, services, page } = suite;
    const { project } = await createProjectWithWorkflow(services, `name: ${unique('nightly')}\nsteps:\n  - name: build\n    command: "true"\n`);
    await signIn(suite, adminUserId(suite), page);

    await page.goto(`${server.url}/reports?project=${project.id}`);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Reports' }).waitFor();
    await page.getByRole('button', { name: 'New report' }).click();
    const form = page.getByRole('form', { name: 'New report definition' });
    await form.getByLabel('Name').fill('Daily digest');
    await form.getByLabel('Time zone (IANA)').fill('Europe/Berlin');
    // This branch renders JSON only; the other formats come with the renderers.
    await form.getByLabel('HTML').uncheck();
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
    await screenshot(page, 'reports');
    const href = await file.getAttribute('href');
    expect(href).toMatch(/^\/reports\/rep_[0-9a-z]{25}\.json$/);
    const download = await page.request.get(`${server.url}${href}`);
    expect(download.status()).toBe(200);
    expect(((await download.json()) as { definitionName: string }).definitionName).toBe('Daily digest');
  });
});
