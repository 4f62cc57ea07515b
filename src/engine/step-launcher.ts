import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { Socket } from 'node:net';
import { constants } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from 'pino';
import type { StepIdentity } from './step-user.ts';

/** What to start: `file` with `args`, in `cwd`, with exactly `env`, in a process group of its own, stdout and stderr piped. */
export interface LaunchRequest {
  file: string;
  args: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string>>;
  identity: StepIdentity | null;
}

/** What the launcher tells of one process, in this order: started (or error), output, closed. */
export interface LaunchListener {
  started(pid: number): void;
  output(stream: 'stdout' | 'stderr', chunk: Buffer): void;
  /** The process could not be started, or the launcher was lost while it ran (`started`: a process may be running). */
  error(message: string, code: string | null, started: boolean): void;
  /** Its stdout and stderr closed and it exited; last. After an error with `started` false, never. */
  closed(exitCode: number | null, signal: NodeJS.Signals | null): void;
}

const PROGRAM = path.join(__dirname, 'step-launcher.cjs');
const HEADER_BYTES = 9;
const NOTHING_UNREAD = Buffer.alloc(0);
const FRAME = { event: 0, stdout: 1, stderr: 2 } as const;
// Ids go round well before the u32 of the frame header does.
const MAX_ID = 0x7fffffff;

type LauncherProcess = ChildProcessByStdio<Writable, Readable, null>;

/**
 * Starts step processes through the step launcher (step-launcher.cjs), a small process of the
 * server's own, started at the first launch and again after it was lost. A fork from the server
 * would copy the page tables of its hundreds of MB, with the event loop blocked meanwhile.
 */
export class StepLauncher {
  private launcher: LauncherProcess | null = null;
  private readonly listeners = new Map<number, LaunchListener>();
  private lastId = 0;
  private unread = NOTHING_UNREAD;
  private stopping = false;

  constructor(private readonly logger: Logger) {}

  launch(request: LaunchRequest, listener: LaunchListener): void {
    const launcher = this.launcher ?? this.startLauncher();
    this.lastId = this.lastId >= MAX_ID ? 1 : this.lastId + 1;
    const id = this.lastId;
    this.listeners.set(id, listener);
    if (this.listeners.size === 1) holdEventLoop(launcher, true);
    const { file, args, cwd, env, identity } = request;
    launcher.stdin.write(`${JSON.stringify({ id, file, args, cwd, env, ...(identity ? { uid: identity.uid, gid: identity.gid } : {}) })}\n`);
  }

  /** Ends the launcher (the steps it started go on); resolves once it exited. */
  async stop(): Promise<void> {
    const launcher = this.launcher;
    if (launcher === null) return;
    this.stopping = true;
    const exited = new Promise((resolve) => launcher.once('exit', resolve));
    // Held while it exits: an idle launcher holds nothing, and this process must not end before its caller goes on.
    holdEventLoop(launcher, true);
    launcher.stdin.end();
    await exited;
    this.stopping = false;
  }

  private startLauncher(): LauncherProcess {
    // An environment of its own: NODE_OPTIONS (a test runner's hooks) would load into it too; each step gets its environment with its request.
    const launcher = spawn(process.execPath, [PROGRAM], { stdio: ['pipe', 'pipe', 'inherit'], env: spawnEnvironment({}) });
    this.launcher = launcher;
    this.unread = NOTHING_UNREAD;
    // Idle, the launcher keeps no process alive (it ends by itself once its stdin closes); with a step in flight it does.
    holdEventLoop(launcher, false);
    launcher.stdout.on('data', (chunk: Buffer) => this.read(launcher, chunk));
    // A write to a launcher that just died: its 'exit' reports the loss.
    launcher.stdin.on('error', () => {});
    launcher.once('exit', (code, signal) => {
      if (this.launcher === launcher) this.launcher = null;
      const listeners = [...this.listeners.values()];
      this.listeners.clear();
      if (!this.stopping) this.logger.warn({ code, signal, steps: listeners.length }, 'engine.step_launcher_lost');
      for (const listener of listeners) {
        listener.error(`the step launcher process ended (${signal ?? `exit code ${code}`}) while the step ran`, null, true);
        listener.closed(null, null);
      }
    });
    return launcher;
  }

  private read(launcher: LauncherProcess, chunk: Buffer): void {
    let buffer = this.unread.length === 0 ? chunk : Buffer.concat([this.unread, chunk]);
    while (buffer.length >= HEADER_BYTES) {
      const length = buffer.readUInt32BE(5);
      if (buffer.length < HEADER_BYTES + length) break;
      const kind = buffer.readUInt8(0);
      const payload = buffer.subarray(HEADER_BYTES, HEADER_BYTES + length);
      if (!this.deliver(kind, buffer.readUInt32BE(1), payload)) {
        // Not the launcher this server ships: its steps are reported lost by its exit.
        this.logger.error({ kind, payload: payload.toString('utf8', 0, 200) }, 'engine.step_launcher_unknown_frame');
        launcher.kill('SIGKILL');
        return;
      }
      buffer = buffer.subarray(HEADER_BYTES + length);
    }
    // A copy of a partial frame: a view would keep the whole chunk it came from alive.
    this.unread = buffer.length === 0 ? NOTHING_UNREAD : Buffer.from(buffer);
  }

  /** Hands a frame to its listener; false when the frame is not one the launcher sends. */
  private deliver(kind: number, id: number, payload: Buffer): boolean {
    const listener = this.listeners.get(id);
    if (kind === FRAME.stdout || kind === FRAME.stderr) {
      listener?.output(kind === FRAME.stdout ? 'stdout' : 'stderr', payload);
      return true;
    }
    const event = kind === FRAME.event ? parseEvent(payload) : null;
    if (event === null) return false;
    if (listener === undefined) return true;
    if (event.event === 'started') {
      listener.started(event.pid);
    } else if (event.event === 'error') {
      if (!event.started) this.forget(id);
      listener.error(event.message, event.code, event.started);
    } else {
      this.forget(id);
      listener.closed(event.exitCode, event.signal);
    }
    return true;
  }

  private forget(id: number): void {
    this.listeners.delete(id);
    if (this.listeners.size === 0 && this.launcher) holdEventLoop(this.launcher, false);
  }
}

type LauncherEvent =
  | { event: 'started'; pid: number }
  | { event: 'error'; message: string; code: string | null; started: boolean }
  | { event: 'closed'; exitCode: number | null; signal: NodeJS.Signals | null };

function parseEvent(payload: Buffer): LauncherEvent | null {
  let event: unknown;
  try {
    event = JSON.parse(payload.toString('utf8'));
  } catch {
    return null;
  }
  if (!isRecord(event)) return null;
  if (event.event === 'started' && typeof event.pid === 'number') return { event: 'started', pid: event.pid };
  if (event.event === 'error' && typeof event.message === 'string' && typeof event.started === 'boolean' && (typeof event.code === 'string' || event.code === null)) {
    return { event: 'error', message: event.message, code: event.code, started: event.started };
  }
  if (event.event === 'closed' && (typeof event.exitCode === 'number' || event.exitCode === null) && (isSignal(event.signal) || event.signal === null)) {
    return { event: 'closed', exitCode: event.exitCode, signal: event.signal };
  }
  return null;
}

/** Whether the launcher keeps this process alive: while a step is in flight. */
function holdEventLoop(launcher: LauncherProcess, held: boolean): void {
  const method = held ? 'ref' : 'unref';
  launcher[method]();
  for (const pipe of [launcher.stdin, launcher.stdout]) if (pipe instanceof Socket) pipe[method]();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSignal(value: unknown): value is NodeJS.Signals {
  return typeof value === 'string' && Object.hasOwn(constants.signals, value);
}

/**
 * Next.js declares NODE_ENV on every NodeJS.ProcessEnv (next/types/global.d.ts); a step's
 * environment, built from the allow-list, rightly has none, so only the type is widened here.
 */
export function spawnEnvironment(env: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  return env as NodeJS.ProcessEnv;
}
