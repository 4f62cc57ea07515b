import { chmod, chown, lstat, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../domain/errors.ts';
import type { StepIdentity } from './step-user.ts';

/**
 * Makes DATA_DIR private to the server (0700): steps, and STEP_USER above all, must not read
 * the admin token, the database or other runs' logs there.
 */
export async function secureDataDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chmod(dataDir, 0o700);
}

/**
 * Creates WORK_DIR if needed and checks it is the server's own directory (not a symlink or a
 * directory someone else made in a shared /tmp). STEP_USER may pass through it (0711) but not list it.
 */
export async function prepareWorkRoot(workDir: string, identity: StepIdentity | null): Promise<void> {
  await mkdir(workDir, { recursive: true, mode: 0o700 });
  const stat = await lstat(workDir);
  const uid = process.getuid?.();
  if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) {
    throw new ConfigError(
      `Invalid configuration:\n  WORK_DIR: ${workDir} is ${stat.isDirectory() ? `owned by uid ${stat.uid}, not by this server (uid ${uid})` : 'not a directory'}; point WORK_DIR at a directory of the server's own`,
    );
  }
  await chmod(workDir, identity ? 0o711 : 0o700);
}

export function runWorkDir(workDir: string, runId: string): string {
  return path.join(workDir, runId);
}

/** A fresh, empty working directory for one run, owned by the user its steps run as. */
export async function createRunWorkDir(workDir: string, runId: string, identity: StepIdentity | null): Promise<string> {
  const dir = runWorkDir(workDir, runId);
  // Fresh: what an earlier attempt of this run (before a restart) left there is gone.
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { mode: 0o700 });
  if (identity) await chown(dir, identity.uid, identity.gid);
  return dir;
}

/** The directory of a run picked up again after a restart (WAITING for approval): what its earlier steps left stays. */
export async function reuseRunWorkDir(workDir: string, runId: string, identity: StepIdentity | null): Promise<string> {
  const dir = runWorkDir(workDir, runId);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (identity) await chown(dir, identity.uid, identity.gid);
  return dir;
}

export async function removeRunWorkDir(workDir: string, runId: string): Promise<void> {
  await rm(runWorkDir(workDir, runId), { recursive: true, force: true, maxRetries: 3 });
}
