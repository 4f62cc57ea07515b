import { createHmac } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Client, type ConnectConfig } from 'ssh2';
import { expandVariables } from '../../domain/workflow/expand.ts';
import type { SshExecutor } from '../../domain/workflow/executor-spec.ts';
import { errorText, type ExecutorContext, type ExecutorOutcome } from './executor-context.ts';
import { expandHome, homeOf, stepFileProblem } from './step-files.ts';

const CONNECT_TIMEOUT_MS = 30_000;
const DEFAULT_KEYS = ['id_rsa', 'id_ecdsa', 'id_ed25519'];
const MAX_KEY_FILE_BYTES = 64 * 1024;
const MAX_KNOWN_HOSTS_BYTES = 4 * 1024 * 1024;

/**
 * Dagu's ssh executor: the step's command (or its script, fed to `sh -s`) runs on the remote
 * host, references to the step's variables expanded first. Its stdout and stderr go to the
 * step's log, its stdout is the output, and its exit code is the step's. The server's key must
 * be in the known-hosts file unless `strictHostKey: false`.
 */
export async function startSshCommand(spec: SshExecutor, context: ExecutorContext, signal: AbortSignal): Promise<ExecutorOutcome> {
  const expand = (text: string) => expandVariables(text, context.variables);
  const target = `${spec.user}@${spec.host}:${spec.port}`;
  const auth = await authentication(spec, expand, context);
  if ('failure' in auth) return { exitCode: 1, stdout: '', failure: auth.failure };
  const knownHosts = spec.strictHostKey ? await readKnownHosts(spec.knownHostFile === null ? path.join(homeOf(context), '.ssh', 'known_hosts') : expandHome(expand(spec.knownHostFile), context), context) : null;
  if (knownHosts !== null && 'failure' in knownHosts) return { exitCode: 1, stdout: '', failure: knownHosts.failure };
  const command = context.script !== null ? 'sh -s' : expand(context.command ?? '');
  context.log.write(Buffer.from(`ssh ${target}: ${context.script !== null ? '(script)' : command}\n`));

  return new Promise<ExecutorOutcome>((resolve) => {
    const client = new Client();
    let stdout = '';
    let settled = false;
    let rejectedKey = false;
    const finish = (outcome: ExecutorOutcome) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', stop);
      resolve(outcome);
      client.end();
    };
    // Closing the connection ends the remote command: sshd hangs up its session.
    const stop = () => {
      finish({ exitCode: 1, stdout, failure: 'stopped' });
      client.destroy();
    };
    signal.addEventListener('abort', stop, { once: true });
    // Stopped while the key and known hosts were read: the listener came too late to hear it.
    if (signal.aborted) return stop();
    client.on('ready', () => {
      client.exec(command, (error, channel) => {
        if (error) return finish({ exitCode: 1, stdout: '', failure: `ssh ${target}: could not run the command: ${error.message}` });
        channel.on('data', (chunk: Buffer) => {
          context.log.write(chunk);
          if (stdout.length < context.captureBytes) stdout += chunk.toString('utf8').slice(0, context.captureBytes - stdout.length);
        });
        channel.stderr.on('data', (chunk: Buffer) => context.log.write(chunk));
        channel.on('close', (code: number | null, signalName?: string) => {
          if (code === 0) finish({ exitCode: 0, stdout, failure: null });
          else if (typeof code === 'number') finish({ exitCode: code, stdout, failure: `exit code ${code} on ${target}` });
          else finish({ exitCode: 1, stdout, failure: `the command on ${target} ended ${signalName ? `by ${signalName}` : 'without an exit code'}` });
        });
        if (context.script !== null) channel.end(expand(context.script));
        else channel.end();
      });
    });
    client.on('error', (error) => {
      const why = rejectedKey ? `its host key is not in the known-hosts file; add it (ssh-keyscan -p ${spec.port} ${spec.host} >> ~/.ssh/known_hosts) or set strictHostKey: false` : errorText(error);
      finish({ exitCode: 1, stdout, failure: `ssh ${target}: ${why}` });
    });
    client.on('close', () => finish({ exitCode: 1, stdout, failure: `ssh ${target}: the connection closed before the command ended` }));
    const config: ConnectConfig = {
      host: spec.host,
      port: spec.port,
      username: spec.user,
      readyTimeout: CONNECT_TIMEOUT_MS,
      ...auth,
      hostVerifier: (key: Buffer) => {
        if (knownHosts === null) return true;
        const known = knownHosts.keys.some((entry) => entry.matches(spec.host, spec.port) && entry.key === key.toString('base64'));
        rejectedKey = !known;
        return known;
      },
    };
    client.connect(config);
  });
}

async function authentication(spec: SshExecutor, expand: (text: string) => string, context: ExecutorContext): Promise<{ privateKey: Buffer } | { password: string } | { failure: string }> {
  if (spec.key !== null) {
    const file = expandHome(expand(spec.key), context);
    const problem = await stepFileProblem(file, context);
    const key = problem === null ? await readSmallFile(file) : null;
    return key === null ? { failure: `the key file ${problem ?? `"${file}" is larger than ${MAX_KEY_FILE_BYTES} bytes`}` } : { privateKey: key };
  }
  if (spec.password !== null) return { password: expand(spec.password) };
  for (const name of DEFAULT_KEYS) {
    const file = path.join(homeOf(context), '.ssh', name);
    const key = (await stepFileProblem(file, context)) === null ? await readSmallFile(file) : null;
    if (key !== null) return { privateKey: key };
  }
  return { failure: `no key or password to log in with: set with.key (none of ~/.ssh/${DEFAULT_KEYS.join(', ~/.ssh/')} exists)` };
}

async function readSmallFile(file: string): Promise<Buffer | null> {
  try {
    const content = await readFile(file);
    return content.length <= MAX_KEY_FILE_BYTES ? content : null;
  } catch {
    return null;
  }
}

interface KnownHost {
  key: string;
  matches(host: string, port: number): boolean;
}

/** The entries of an OpenSSH known_hosts file: plain and hashed (`|1|salt|hash`) host names, `[host]:port` for other ports. */
async function readKnownHosts(file: string, context: ExecutorContext): Promise<{ keys: KnownHost[] } | { failure: string }> {
  const problem = await stepFileProblem(file, context);
  if (problem !== null) return { failure: `strictHostKey is on and the known-hosts file ${problem}; set with.knownHostFile, or strictHostKey: false` };
  if ((await stat(file)).size > MAX_KNOWN_HOSTS_BYTES) return { failure: `the known-hosts file "${file}" is larger than ${MAX_KNOWN_HOSTS_BYTES} bytes` };
  const text = await readFile(file, 'utf8');
  const keys: KnownHost[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 3 || fields[0]?.startsWith('#') || fields[0]?.startsWith('@')) continue;
    const [hosts = '', , key = ''] = fields;
    const patterns = hosts.split(',');
    keys.push({ key, matches: (host, port) => patterns.some((pattern) => hostMatches(pattern, port === 22 ? host : `[${host}]:${port}`)) });
  }
  return { keys };
}

function hostMatches(pattern: string, name: string): boolean {
  if (!pattern.startsWith('|1|')) return pattern === name;
  const [salt = '', hash = ''] = pattern.slice(3).split('|');
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
}
