import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { pollUntil } from '../test/poll-until.ts';
import { startServerProcess } from '../test/server-process.ts';

const root = path.resolve(__dirname, '..', '..');

async function graphql(url: string, headers: Record<string, string>, query: string): Promise<unknown> {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  return response.json();
}

describe('starting the server process', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-start-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sets up an empty DATA_DIR once, prints a one-click sign-in URL that works once, and starts again without redoing it', async () => {
    const first = await startServerProcess({ DATA_DIR: dataDir });
    const token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    // The banner follows the start-up log (recovery included).
    await first.ready();
    const banner = await pollUntil('the first-start banner', 30_000, async () => (first.stderr().includes('The admin API token is in') ? first.stderr() : null));
    const printed = /(http:\/\/\S+)\/auth\/link\?token=(\S+)/.exec(banner);
    first.child.kill('SIGTERM');
    await first.exited;

    const second = await startServerProcess({ DATA_DIR: dataDir });
    const link = `${second.url}/auth/link?token=${printed?.[2]}`;
    const signedIn = await fetch(link, { redirect: 'manual' });
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const asCookie = await graphql(second.url, { cookie }, '{ viewer { username } projects { slug } }');
    const asToken = await graphql(second.url, { authorization: `Bearer ${token}` }, '{ viewer { username } }');
    const again = await fetch(link, { redirect: 'manual' });
    second.child.kill('SIGTERM');
    await second.exited;

    expect(printed?.[1]).toBe(first.url);
    // stdout is the log alone, a JSON object a line, for a collector; the banner is on stderr, whole, after listening.
    expect(first.stdout().split('\n').filter((line) => line !== '' && !line.startsWith('{'))).toEqual([]);
    expect(banner).toMatch(/^\n {2}Runtrail is ready\. Sign in as admin[^\n]*\n\n {4}http:\/\/\S+\n\n {2}Set a password[^\n]*\n {2}The admin API token is in \S+\n\n$/);
    expect(first.logs.map((entry) => entry.msg)).toEqual(expect.arrayContaining(['db.migrated', 'bootstrap.admin_created']));
    expect(second.logs.map((entry) => entry.msg)).not.toContain('db.migrated');
    expect(second.logs.map((entry) => entry.msg)).not.toContain('bootstrap.admin_created');
    expect(second.stdout()).not.toContain('/auth/link');
    expect(second.stderr()).not.toContain('/auth/link');
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/');
    expect(signedIn.headers.get('set-cookie')).toMatch(/^runtrail_session=rt_[^;]+;.*HttpOnly.*SameSite=Lax/i);
    expect(asCookie).toEqual({ data: { viewer: { username: 'admin' }, projects: [{ slug: 'default' }] } });
    expect(asToken).toEqual({ data: { viewer: { username: 'admin' } } });
    expect(again.headers.get('location')).toBe('/login?reason=link-invalid');
    expect(again.headers.get('set-cookie')).toBeNull();
  });

  it('refuses an invalid setting with a message naming the variable and what is allowed', () => {
    const result = spawnSync(process.execPath, [path.join(root, 'dist', 'main.js')], {
      env: { NODE_ENV: 'production', PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: 'eighty', DATABASE_URL: 'mysql://x' },
      encoding: 'utf8',
    });

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Invalid configuration');
    expect(result.stderr).toMatch(/PORT: .*number/);
    expect(result.stderr).toContain('DATABASE_URL: must start with file: (SQLite) or postgres:// (PostgreSQL)');
  });
});
