import { adminUserId, screenshot, signIn, useBrowserSuite } from './browser-harness.ts';

describe('the GraphQL playground', () => {
  const suite = useBrowserSuite();

  it('runs its example query as the signed-in user and shows the answer', async () => {
    const { page, server } = suite;
    await signIn(suite, adminUserId(suite));
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Playground' }).click();
    await page.waitForURL(`${server.url}/playground`);
    await page.getByLabel('Query Editor').getByText('query Overview {').waitFor();

    await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).click();

    const result = page.getByLabel('Result Window');
    await result.getByText('"username": "admin"').waitFor();
    await screenshot(page, 'playground');
    expect(await result.textContent()).not.toContain('"errors"');
  });
});
