import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { alive, liveProcesses } from '../test/live-processes.ts';
import { pollUntil } from '../test/poll-until.ts';
import { StepLauncher, type LaunchRequest } from './step-launcher.ts';

interface Launched {
  pid: number | null;
  stdout: Buffer[];
  stderr: Buffer[];
  errors: { message: string; code: string | null; started: boolean }[];
  closed: { exitCode: number | null; signal: NodeJS.Signals | null } | null;
  done: Promise<void>;
}

function launch(launcher: StepLauncher, request: Partial<LaunchRequest> & Pick<LaunchRequest, 'args'>): Launched {
  let finish = () => {};
  const launched: Launched = { pid: null, stdout: [], stderr: [], errors: [], closed: null, done: new Promise<void>((resolve) => (finish = resolve)) };
  launcher.launch(
    { file: 'sh', cwd: os.tmpdir(), env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, identity: null, ...request },
    {
      started: (pid) => (launched.pid = pid),
      output: (stream, chunk) => launched[stream].push(chunk),
      error: (message, code, started) => {
        launched.errors.push({ message, code, started });
        if (!started) finish();
      },
      closed: (exitCode, signal) => {
        launched.closed = { exitCode, signal };
        finish();
      },
    },
  );
  return launched;
}

/** The pids of live step launchers whose parent is `parent`. */
function launchersOf(parent: number): number[] {
  return liveProcesses()
    .filter((live) => live.parentPid === parent && live.commandLine.startsWith('runtrail-step-launcher'))
    .map((live) => live.pid);
}

describe('StepLauncher', () => {
  let launcher: StepLauncher;
  beforeEach(() => (launcher = new StepLauncher(pino({ level: 'silent' }))));
  afterEach(async () => await launcher.stop());

  it('starts a process with exactly the arguments, directory and environment asked for, in a process group of its own, and tells its output and exit', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'runtrail-launch-'));
    const launched = launch(launcher, {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GREETING: 'hello "there"\nagain' },
      args: ['-c', `printf "%s|%s|%s" "$GREETING" "$1" "$(pwd)"; printf "oops " >&2; awk '{print $5}' /proc/$$/stat >&2; exit 3`, 'name', 'first arg'],
    });
    await launched.done;

    expect(Buffer.concat(launched.stdout).toString()).toBe(`hello "there"\nagain|first arg|${cwd}`);
    // The process group is the process's own.
    expect(Buffer.concat(launched.stderr).toString()).toBe(`oops ${launched.pid}\n`);
    expect(launched.closed).toEqual({ exitCode: 3, signal: null });
    expect(launched.errors).toEqual([]);
  });

  it('keeps the bytes of many processes apart and whole, however the frames are cut', async () => {
    // 3 MB each of a byte pattern that differs per process, written in odd pieces.
    const launches = [1, 2, 3].map((index) => launch(launcher, { args: ['-c', `head -c 3000000 /dev/zero | tr '\\0' '${index}'`] }));
    await Promise.all(launches.map((launched) => launched.done));

    launches.forEach((launched, index) => {
      const bytes = Buffer.concat(launched.stdout);
      expect(bytes.length).toBe(3_000_000);
      expect(bytes.every((byte) => byte === 0x31 + index)).toBe(true);
      expect(launched.closed).toEqual({ exitCode: 0, signal: null });
    });
  });

  it('goes on starting steps while the server reads slower than a step writes', async () => {
    const marker = path.join(mkdtempSync(path.join(os.tmpdir(), 'runtrail-launch-')), 'started');
    const chatty = launch(launcher, { args: ['-c', 'exec cat /dev/zero'] });
    await pollUntil('the chatty step printed', 10_000, async () => (chatty.stdout.length > 0 ? true : null));

    // This process reads nothing while it spins: the pipe from the launcher fills.
    const spin = (until: () => boolean, ms: number) => {
      for (const started = Date.now(); !until() && Date.now() - started < ms; );
    };
    spin(() => false, 300);
    launch(launcher, { args: ['-c', `touch "${marker}"`] });
    spin(() => existsSync(marker), 10_000);

    expect(existsSync(marker)).toBe(true);
    process.kill(-(chatty.pid ?? 0), 'SIGKILL');
    await chatty.done;
  });

  it('tells why a process could not start, with the system error code', async () => {
    const missing = launch(launcher, { file: '/no/such/shell', args: [] });
    const tooLarge = launch(launcher, { args: ['-c', 'true'], env: { HUGE: 'x'.repeat(8 * 1024 * 1024) } });
    await Promise.all([missing.done, tooLarge.done]);

    expect(missing.errors).toEqual([expect.objectContaining({ code: 'ENOENT', started: false })]);
    expect(missing.errors[0]?.message).toContain('/no/such/shell');
    expect(tooLarge.errors).toEqual([expect.objectContaining({ code: 'E2BIG', started: false })]);
    expect(missing.closed).toBeNull();
  });

  it('reports a process it was running as lost when the launcher dies, and starts a new launcher for the next', async () => {
    const running = launch(launcher, { args: ['-c', 'echo up; exec sleep 30'] });
    await pollUntil('the step printed', 10_000, async () => (running.stdout.length > 0 ? true : null));
    const [first] = launchersOf(process.pid);
    expect(first).toBeDefined();
    process.kill(first ?? 0, 'SIGKILL');
    await running.done;

    expect(running.errors).toEqual([expect.objectContaining({ started: true })]);
    expect(running.errors[0]?.message).toContain('step launcher process ended (SIGKILL)');
    expect(running.closed).toEqual({ exitCode: null, signal: null });
    process.kill(-(running.pid ?? 0), 'SIGKILL');
    const next = launch(launcher, { args: ['-c', 'echo again'] });
    await next.done;
    expect(Buffer.concat(next.stdout).toString()).toBe('again\n');
    expect(alive(first ?? 0)).toBe(false);
    expect(launchersOf(process.pid)).toHaveLength(1);
  });

  it('keeps the process alive while it stops, so that what follows the stop runs', async () => {
    const script = `
      const { StepLauncher } = require(${JSON.stringify(path.join(__dirname, 'step-launcher.ts'))});
      const launcher = new StepLauncher(require('pino')({ level: 'silent' }));
      launcher.launch(
        { file: 'sh', args: ['-c', 'true'], cwd: '/', env: {}, identity: null },
        { started: () => {}, output: () => {}, error: () => {}, closed: () => void launcher.stop().then(() => console.log('after the stop')) },
      );
    `;
    const output = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--import', 'tsx', '-e', script], (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );

    expect(output).toBe('after the stop\n');
  });

  it('ends by itself when the server that started it is killed', async () => {
    const script = `
      const { StepLauncher } = require(${JSON.stringify(path.join(__dirname, 'step-launcher.ts'))});
      new StepLauncher(require('pino')({ level: 'silent' })).launch(
        { file: 'sh', args: ['-c', 'true'], cwd: '/', env: {}, identity: null },
        { started: () => {}, output: () => {}, error: () => {}, closed: () => console.log('launched') },
      );
      setInterval(() => {}, 1000);
    `;
    const server = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => server.stdout.once('data', resolve));
    const launchers = launchersOf(server.pid ?? 0);
    expect(launchers).toHaveLength(1);
    server.kill('SIGKILL');

    await pollUntil('the launcher exited', 10_000, async () => (!launchers.some(alive) ? true : null));
  });
});
