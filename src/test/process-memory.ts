import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** What a child process holds resident now (VmRSS) and at most ever (VmHWM), in bytes; from /proc, so Linux only. */
export function residentMemory(child: ChildProcess): { now: number; peak: number } {
  const pid = child.pid;
  if (pid === undefined) throw new Error('The child process has no pid: it never started');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { now: kilobytes(status, 'VmRSS'), peak: kilobytes(status, 'VmHWM') };
}

function kilobytes(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (!match) throw new Error(`/proc status has no ${field} line`);
  return Number(match[1]) * 1024;
}
