import { realpath, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ExecutorContext } from './executor-context.ts';

/**
 * Whether a step may use this file (a mail attachment, an SSH key or known-hosts file), which
 * the server reads for it: never one inside DATA_DIR (the database, the admin token), and with
 * STEP_USER only one that user could read itself (owner, group or others' read bit; its other
 * groups are not looked up, so such a file is refused). Null when it may; else why not.
 */
export async function stepFileProblem(file: string, context: ExecutorContext): Promise<string | null> {
  let real: string;
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    real = await realpath(file);
    info = await stat(real);
  } catch {
    return `"${file}" does not exist or cannot be read`;
  }
  if (!info.isFile()) return `"${file}" is not a file`;
  const dataDir = path.resolve(context.dataDir);
  if (real === dataDir || real.startsWith(`${dataDir}${path.sep}`)) return `"${file}" is inside Runtrail's DATA_DIR, which steps may not read`;
  const identity = context.identity;
  if (identity === null) return null;
  const readable = info.uid === identity.uid ? (info.mode & 0o400) !== 0 : info.gid === identity.gid ? (info.mode & 0o040) !== 0 : (info.mode & 0o004) !== 0;
  return readable ? null : `"${file}" is not readable by STEP_USER ${identity.name}, whom steps run as`;
}

/** `~/...` in the home of the user steps run as. */
export function expandHome(file: string, context: ExecutorContext): string {
  const home = context.identity?.home ?? os.homedir();
  return file === '~' || file.startsWith('~/') ? path.join(home, file.slice(1)) : file;
}

export function homeOf(context: ExecutorContext): string {
  return context.identity?.home ?? os.homedir();
}
