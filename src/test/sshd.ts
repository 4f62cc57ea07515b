import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A real OpenSSH sshd on 127.0.0.1 and an ephemeral port, letting the current user in with `keyFile` only. */
export interface TestSshd {
  port: number;
  user: string;
  keyFile: string;
  /** A known_hosts file holding the server's key, as `ssh-keyscan` would write it. */
  knownHostsFile: string;
  /** A known_hosts file holding another key for the same host. */
  wrongKnownHostsFile: string;
  stop(): Promise<void>;
}

const SSHD = '/usr/sbin/sshd';

export async function startTestSshd(): Promise<TestSshd> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-sshd-'));
  const keygen = (file: string) => {
    const result = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
    if (result.status !== 0) throw new Error(`ssh-keygen failed: ${result.stderr.toString()}`);
  };
  keygen(path.join(dir, 'host_key'));
  keygen(path.join(dir, 'user_key'));
  keygen(path.join(dir, 'other_key'));
  writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(path.join(dir, 'user_key.pub')));
  // Debian's sshd refuses to start without its privilege separation directory.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const config = path.join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `ListenAddress 127.0.0.1`,
      `HostKey ${path.join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'PidFile none',
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      '',
    ].join('\n'),
  );
  const hostKey = readFileSync(path.join(dir, 'host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  const otherKey = readFileSync(path.join(dir, 'other_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  writeFileSync(path.join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostKey}\n`);
  writeFileSync(path.join(dir, 'wrong_known_hosts'), `[127.0.0.1]:${port} ${otherKey}\n`);
  const child = spawn(SSHD, ['-D', '-e', '-f', config, '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  await listening(child);
  return {
    port,
    user: os.userInfo().username,
    keyFile: path.join(dir, 'user_key'),
    knownHostsFile: path.join(dir, 'known_hosts'),
    wrongKnownHostsFile: path.join(dir, 'wrong_known_hosts'),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function listening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let said = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      said += chunk.toString('utf8');
      if (said.includes('Server listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`sshd exited with ${code}: ${said}`)));
    child.once('error', reject);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
