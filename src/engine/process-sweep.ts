import { closeSync, openSync, readSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

/**
 * Every process a step started carries this variable (its value names the step), and
 * children inherit it whatever process group or session they move to: that is how a
 * step's leftovers are found once it ends (Jenkins' ProcessTreeKiller does the same).
 */
export const STEP_COOKIE_VARIABLE = 'RUNTRAIL_STEP_COOKIE';

const COOKIE_PREFIX = Buffer.from(`${STEP_COOKIE_VARIABLE}=`);
/** /proc entries read between two turns of the event loop: about 2 ms of reads. */
const SCAN_BATCH = 64;
const POLL_MS = 50;
/** A step forking as fast as it is killed still ends: after this many SIGKILL rounds the sweep gives up. */
const KILL_ROUNDS = 20;

export interface StepProcessMatch {
  /** Values of STEP_COOKIE_VARIABLE to look for. */
  cookies: ReadonlySet<string>;
  /** Process groups of step shells; members of a group count, its leader (pid = pgid) only by cookie. */
  groups: ReadonlySet<number>;
}

/** The cookie of one step of one run; recovery derives it from the stored step the same way. */
export function stepCookie(runId: string, stepName: string): string {
  return `${runId}/${stepName}`;
}

/**
 * Ends every live process that matches: SIGTERM, then SIGKILL to what is left after `graceMs`
 * (at once when it is 0), repeated until none is left. Without /proc (not Linux) it can only
 * reach the process groups.
 */
export async function endStepProcesses(match: StepProcessMatch, graceMs: number): Promise<void> {
  if (match.cookies.size === 0 && match.groups.size === 0) return;
  if (!(await procAvailable())) {
    for (const group of match.groups) signal(-group, 'SIGKILL');
    return;
  }
  let found = await findStepProcesses(match);
  if (graceMs > 0 && found.length > 0) {
    for (const pid of found) signal(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (found.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(deadline - Date.now(), 0))));
      found = await findStepProcesses(match);
    }
  }
  for (let round = 0; round < KILL_ROUNDS && found.length > 0; round += 1) {
    for (const pid of found) signal(pid, 'SIGKILL');
    found = await findStepProcesses(match);
  }
}

/** Sends a signal to every live matching process now, without waiting (for cancel and timeout). */
export async function signalStepProcesses(match: StepProcessMatch, name: NodeJS.Signals): Promise<void> {
  for (const group of match.groups) signal(-group, name);
  if (!(await procAvailable())) return;
  for (const pid of await findStepProcesses(match)) signal(pid, name);
}

/**
 * The live (not zombie) processes that match, read from /proc in bounded batches with a turn
 * of the event loop between them. The reads are synchronous: /proc answers from memory, and
 * through the thread pool each of them cost a round trip, which made a scan five times slower
 * (about 13 ms against 2.5 ms for 90 processes here), paid at the end of every step.
 */
export async function findStepProcesses(match: StepProcessMatch): Promise<number[]> {
  const found: number[] = [];
  await forEachProcess((pid) => {
    if (processMatches(pid, match)) found.push(pid);
  });
  return found;
}

/**
 * The step cookies live processes carry now: read once, it tells which of many steps (a
 * recovery's) left anything behind, so that only those are swept.
 */
export async function liveStepCookies(): Promise<Set<string>> {
  const cookies = new Set<string>();
  if (!(await procAvailable())) return cookies;
  await forEachProcess((pid) => {
    const stat = liveStat(pid);
    const environ = stat === null ? null : readProcFile(`/proc/${pid}/environ`, 16 * 1024);
    const cookie = environ === null ? null : cookieIn(environ);
    if (cookie !== null) cookies.add(cookie);
  });
  return cookies;
}

async function forEachProcess(visit: (pid: number) => void): Promise<void> {
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry)).map(Number).filter((pid) => pid !== process.pid);
  for (let start = 0; start < pids.length; start += SCAN_BATCH) {
    if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    for (const pid of pids.slice(start, start + SCAN_BATCH)) visit(pid);
  }
}

/** The fields of /proc/<pid>/stat after the command name; null for a process gone or a zombie. */
function liveStat(pid: number): string[] | null {
  const stat = readProcFile(`/proc/${pid}/stat`, 1024);
  if (stat === null) return null;
  // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
  const fields = stat.toString('latin1').slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[0] === 'Z' || fields[0] === 'X' ? null : fields;
}

function processMatches(pid: number, match: StepProcessMatch): boolean {
  const fields = liveStat(pid);
  if (fields === null) return false;
  const group = Number(fields[2]);
  if (match.groups.has(group) && group !== pid) return true;
  if (match.cookies.size === 0) return false;
  const environ = readProcFile(`/proc/${pid}/environ`, 16 * 1024);
  return environ !== null && match.cookies.has(cookieIn(environ) ?? '');
}

function cookieIn(environ: Buffer): string | null {
  for (let start = 0; start < environ.length; ) {
    const end = environ.indexOf(0, start);
    const stop = end === -1 ? environ.length : end;
    if (environ.subarray(start, start + COOKIE_PREFIX.length).equals(COOKIE_PREFIX)) return environ.subarray(start + COOKIE_PREFIX.length, stop).toString('utf8');
    start = stop + 1;
  }
  return null;
}

/**
 * The whole file, or null when the process is gone or not ours to read (another user's,
 * without root). One open and as few reads as the size needs: readFile's stat-then-read
 * costs several times more on /proc files, which all report size 0.
 */
function readProcFile(file: string, firstRead: number): Buffer | null {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(file, 'r');
    const chunks: Buffer[] = [];
    for (let size = firstRead; ; size *= 2) {
      const chunk = Buffer.allocUnsafe(size);
      const bytesRead = readSync(descriptor, chunk, 0, size, null);
      chunks.push(chunk.subarray(0, bytesRead));
      if (bytesRead < size) return Buffer.concat(chunks);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A process may end between readdir and read (ENOENT, ESRCH, and EIO or EINVAL mid-exit).
    if (code === 'ENOENT' || code === 'ESRCH' || code === 'EACCES' || code === 'EPERM' || code === 'EIO' || code === 'EINVAL') return null;
    throw error;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

function signal(target: number, name: NodeJS.Signals): void {
  try {
    process.kill(target, name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ESRCH' && code !== 'EPERM') throw error;
  }
}

let procCheck: Promise<boolean> | null = null;

function procAvailable(): Promise<boolean> {
  procCheck ??= readFile(`/proc/${process.pid}/stat`).then(
    () => true,
    () => false,
  );
  return procCheck;
}
