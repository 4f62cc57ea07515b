import { readdirSync, readFileSync } from 'node:fs';

export interface LiveProcess {
  pid: number;
  parentPid: number;
  /** Its arguments joined by NUL, each ended by one: /proc/PID/cmdline, which `process.title` rewrites. */
  commandLine: string;
}

/** The state and parent of a process from /proc/PID/stat; null once it is gone. */
function statOf(pid: number): { state: string; parentPid: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces: the fields start after its last `)`.
    const [state = '', parent = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state, parentPid: Number(parent) };
  } catch {
    return null;
  }
}

/** Whether a live process, not a zombie nor a dead one, has this pid. */
export function alive(pid: number): boolean {
  const stat = statOf(pid);
  return stat !== null && !/^[ZX]$/.test(stat.state);
}

/** Every live process of this host (zombies left out). */
export function liveProcesses(): LiveProcess[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      const pid = Number(entry);
      const stat = statOf(pid);
      if (stat === null || /^[ZX]$/.test(stat.state)) return [];
      try {
        return [{ pid, parentPid: stat.parentPid, commandLine: readFileSync(`/proc/${pid}/cmdline`, 'utf8') }];
      } catch {
        return [];
      }
    });
}
