import { readdirSync, readFileSync } from 'node:fs';
import { liveStat } from '../engine/process-sweep.ts';

export interface LiveProcess {
  pid: number;
  parentPid: number;
  /** Its arguments joined by NUL, each ended by one: /proc/PID/cmdline, which `process.title` rewrites. */
  commandLine: string;
}

/** Whether a live process, not a zombie nor a dead one, has this pid. */
export function alive(pid: number): boolean {
  return liveStat(pid) !== null;
}

/** Every live process of this host (zombies left out). */
export function liveProcesses(): LiveProcess[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      const pid = Number(entry);
      const fields = liveStat(pid);
      if (fields === null) return [];
      try {
        return [{ pid, parentPid: Number(fields[1]), commandLine: readFileSync(`/proc/${pid}/cmdline`, 'utf8') }];
      } catch {
        return [];
      }
    });
}
