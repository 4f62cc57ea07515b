import { adminUserId, createUser, loginLink, screenshot, useBrowserSuite } from './browser-harness.ts';

describe('signing in', () => {
  const suite = useBrowserSuite();

  it('sends a visitor to the login page, refuses a wrong password, and signs in with the right one to the dashboard', async () => {
    const { page, server } = suite;
    const password = 'e2e password 1';
    const user = await createUser(suite.services, { displayName: 'Dana Scully', password });

    await page.goto(`${server.url}/`);
    await page.waitForURL(`${server.url}/login`);
    await page.getByRole('heading', { name: 'Sign in to Runtrail' }).waitFor();
    await screenshot(page, 'login');
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill('not it at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password' }).waitFor();
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.waitForURL(`${server.url}/`);
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await page.getByRole('banner').getByText('Dana Scully', { exact: true }).waitFor();
    expect(await suite.context.cookies()).toEqual([expect.objectContaining({ name: 'runtrail_session', httpOnly: true, sameSite: 'Lax' })]);
    expect(await page.evaluate(() => document.cookie)).toBe('');
  });

  it('brings a visitor who asked for a page of runs back to it after signing in', async () => {
    const { page, server } = suite;
    const password = 'e2e password 2';
    const user = await createUser(suite.services, { displayName: 'Fox Mulder', password });

    await page.goto(`${server.url}/runs?status=FAILED`);
    await page.waitForURL(`${server.url}/login?next=%2Fruns%3Fstatus%3DFAILED`);
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.waitForURL(`${server.url}/runs?status=FAILED`);
    await page.getByRole('heading', { name: 'Runs', level: 1 }).waitFor();
  });

  it('signs in with a one-click link, which works once only', async () => {
    const { page, server } = suite;
    const link = await loginLink(suite, adminUserId(suite));

    await page.goto(link);
    await page.waitForURL(`${server.url}/`);
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await page.getByRole('banner').getByText('Administrator', { exact: true }).waitFor();
    await suite.context.clearCookies();
    await page.goto(link);

    await page.waitForURL(`${server.url}/login?reason=link-invalid`);
    await page.getByRole('alert').filter({ hasText: 'That sign-in link was already used or has expired' }).waitFor();
  });

  it('signs out, after which the dashboard asks to sign in again', async () => {
    const { page, server } = suite;
    await page.goto(await loginLink(suite, adminUserId(suite)));
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();

    await page.waitForURL(`${server.url}/login?reason=signed-out`);
    await page.getByRole('status').filter({ hasText: 'You have signed out.' }).waitFor();
    await page.goto(`${server.url}/`);
    await page.waitForURL(`${server.url}/login`);
  });
});
