import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServerProcess } from '../test/server-process.ts';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'runtrail');

describe('runtrail user | project | token: head-less set-up', () => {
  let dataDir: string;
  const runtrail = (args: string[], input?: string) =>
    spawnSync(process.execPath, [bin, ...args], {
      cwd: root,
      encoding: 'utf8',
      input,
      env: { NODE_ENV: 'production', PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      timeout: 60_000,
    });

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-access-cli-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a user, a project, a membership and a project token that the server then accepts', async () => {
    const user = runtrail(['user', 'create', 'alice', '--display-name', 'Alice', '--password-stdin'], 'alices password\n');
    const project = runtrail(['project', 'create', 'payments', '--name', 'Payments']);
    const member = runtrail(['project', 'add-member', 'payments', 'alice', 'operator']);
    const members = runtrail(['project', 'members', 'payments']);
    const token = runtrail(['token', 'create', 'alice', '--name', 'ci', '--project', 'payments', '--role', 'viewer', '--expires-in', '30']);
    const duplicate = runtrail(['user', 'create', 'alice']);
    const badRole = runtrail(['project', 'add-member', 'payments', 'alice', 'owner']);
    const secret = token.stdout.trim();

    const server = await startServerProcess({ DATA_DIR: dataDir });
    const ask = async (headers: Record<string, string>, query: string, variables: Record<string, unknown> = {}) =>
      (await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) })).json();
    const asToken = await ask({ authorization: `Bearer ${secret}` }, '{ viewer { username memberships { role project { slug } } } }');
    const login = await ask({}, 'mutation { login(username: "alice", password: "alices password") { viewer { memberships { role project { slug } } } } }');
    server.child.kill('SIGTERM');
    await server.exited;
    const listed = runtrail(['token', 'list', 'alice']);

    expect([user.status, project.status, member.status, token.status]).toEqual([0, 0, 0, 0]);
    expect(members.stdout).toMatch(/alice\s+OPERATOR/);
    expect(secret).toMatch(/^rt_\S+$/);
    expect(token.stderr).toContain('for payments as VIEWER');
    expect(duplicate.status).toBe(1);
    expect(duplicate.stderr).toContain('CONFLICT: A user named "alice" exists already');
    expect(badRole.status).not.toBe(0);
    expect(badRole.stderr).toContain('choose one of VIEWER, OPERATOR, ADMIN');
    expect(asToken).toEqual({ data: { viewer: { username: 'alice', memberships: [{ role: 'VIEWER', project: { slug: 'payments' } }] } } });
    expect(login).toEqual({ data: { login: { viewer: { memberships: [{ role: 'OPERATOR', project: { slug: 'payments' } }] } } } });
    expect(listed.stdout).toMatch(/^tok_\w+\s+active\s+ci  \(payments as VIEWER\)  last used /);
  });

  it('sets, shows and clears the address reports are mailed to, refusing one that is not an address', () => {
    const created = runtrail(['user', 'create', 'mailer', '--email', 'mailer@example.com']);
    const changed = runtrail(['user', 'email', 'mailer', 'reports@example.org']);
    const listed = runtrail(['user', 'list']);
    const invalid = runtrail(['user', 'email', 'mailer', 'Mailer <mailer@example.com>']);
    const neither = runtrail(['user', 'email', 'mailer']);
    const cleared = runtrail(['user', 'email', 'mailer', '--clear']);
    const after = runtrail(['user', 'list']);

    expect(created.stdout).toContain('mailed at mailer@example.com');
    expect(changed.stdout).toContain('mailer is mailed at reports@example.org');
    expect(listed.stdout).toMatch(/mailer\s+mailer <reports@example\.org>/);
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toContain('is not an email address: give one like ada@example.com');
    expect(neither.stderr).toContain('Give either an address or --clear');
    expect(cleared.stdout).toContain('mailer has no email address now');
    expect(after.stdout).not.toContain('reports@example.org');
  });

  it('prints a one-time sign-in link, and revokes tokens by id', () => {
    runtrail(['user', 'create', 'bob']);
    const link = runtrail(['user', 'login-link', 'bob']);
    const created = runtrail(['token', 'create', 'bob', '--name', 'laptop']);
    const id = /Token (tok_\w+)/.exec(created.stderr)?.[1] ?? '';
    const revoked = runtrail(['token', 'revoke', id]);
    const listed = runtrail(['token', 'list', 'bob']);
    const unknown = runtrail(['user', 'login-link', 'nobody']);

    expect(link.stdout).toMatch(/^http:\/\/localhost:4000\/auth\/link\?token=rt_\S+\n$/);
    expect(revoked.stdout).toContain(`Token ${id} "laptop" revoked`);
    expect(listed.stdout).toMatch(new RegExp(`^${id}\\s+revoked\\s+laptop`));
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('There is no user named "nobody"');
  });
});
