import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { startServerProcess } from '../test/server-process.ts';

const root = path.resolve(__dirname, '..', '..');

describe('starting the server process', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-start-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sets up an empty DATA_DIR once, prints a working login URL, and starts again without redoing it', async () => {
    const first = await startServerProcess({ DATA_DIR: dataDir });
    const token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    const printed = /(http:\/\/\S+)\/login#token=(\S+)/.exec(first.stdout());
    first.child.kill('SIGTERM');
    await first.exited;

    const second = await startServerProcess({ DATA_DIR: dataDir });
    const response = await fetch(`${second.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${printed?.[2]}` },
      body: JSON.stringify({ query: '{ viewer { username } projects { slug } }' }),
    });
    const body = await response.json();
    second.child.kill('SIGTERM');
    await second.exited;

    expect(printed?.[1]).toBe(first.url);
    expect(printed?.[2]).toBe(token);
    expect(first.logs.map((entry) => entry.msg)).toEqual(expect.arrayContaining(['db.migrated', 'bootstrap.admin_created']));
    expect(second.logs.map((entry) => entry.msg)).not.toContain('db.migrated');
    expect(second.logs.map((entry) => entry.msg)).not.toContain('bootstrap.admin_created');
    expect(second.stdout()).not.toContain('/login#token=');
    expect(body).toEqual({ data: { viewer: { username: 'admin' }, projects: [{ slug: 'default' }] } });
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
