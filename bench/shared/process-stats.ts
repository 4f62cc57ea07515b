// CPU time and resident memory of another process, from /proc (Linux; null elsewhere).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = clockTicks();

export interface CpuSample {
  /** utime + stime, in seconds. */
  cpuSeconds: number;
  /** utime alone: the process's own code, where the kernel's share (stime) is mostly its socket writes. */
  userSeconds: number;
  /** When, on nowMs' clock. */
  atMs: number;
}

export function cpuSample(pid: number, atMs: number): CpuSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
    return { cpuSeconds: (utime + stime) / CLOCK_TICKS_PER_SECOND, userSeconds: utime / CLOCK_TICKS_PER_SECOND, atMs };
  } catch {
    return null;
  }
}

/** The processes' CPU together, as one sample; null when any cannot be read. */
export function cpuSampleOf(pids: readonly number[], atMs: number): CpuSample | null {
  let total: CpuSample | null = { cpuSeconds: 0, userSeconds: 0, atMs };
  for (const pid of pids) {
    const sample = cpuSample(pid, atMs);
    total = sample && total ? { cpuSeconds: total.cpuSeconds + sample.cpuSeconds, userSeconds: total.userSeconds + sample.userSeconds, atMs } : null;
  }
  return total;
}

/** CPU seconds between two samples. */
export function cpuSeconds(from: CpuSample | null, to: CpuSample | null): number | null {
  return from && to ? to.cpuSeconds - from.cpuSeconds : null;
}

/** User-space CPU seconds between two samples. */
export function userSeconds(from: CpuSample | null, to: CpuSample | null): number | null {
  return from && to ? to.userSeconds - from.userSeconds : null;
}

/** CPU between two samples, as a percentage of one core. */
export function cpuPercent(from: CpuSample | null, to: CpuSample | null): number | null {
  if (!from || !to || to.atMs <= from.atMs) return null;
  return ((to.cpuSeconds - from.cpuSeconds) / ((to.atMs - from.atMs) / 1000)) * 100;
}

/**
 * The write system calls (write, writev, send…) the processes made together, from /proc/PID/io's
 * `syscw`: a count, so unlike time it does not move with the machine's load. Null when any cannot be read.
 */
export function writeCallsOf(pids: readonly number[]): number | null {
  let total = 0;
  for (const pid of pids) {
    try {
      const found = /^syscw:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
      if (!found?.[1]) return null;
      total += Number(found[1]);
    } catch {
      return null;
    }
  }
  return total;
}

export interface Memory {
  /** VmHWM: the most the process ever held resident, in bytes. */
  peak: number | null;
  /** VmRSS now, in bytes. */
  now: number | null;
}

export function memory(pid: number): Memory {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { peak: kilobytesField(status, 'VmHWM'), now: kilobytesField(status, 'VmRSS') };
  } catch {
    return { peak: null, now: null };
  }
}

/** Resets VmHWM to the current RSS (Linux 4.0+), so a later reading covers only what came after. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function kilobytesField(status: string, name: string): number | null {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : null;
}

/** The soft limit on open files this process (and so every child it starts) has. */
export function openFilesLimit(): number | null {
  try {
    const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (!match) return null;
    return match[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(match[1]);
  } catch {
    return null;
  }
}

function clockTicks(): number {
  const result = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number(result.stdout?.trim());
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
}
