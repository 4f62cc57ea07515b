import { readdir } from 'node:fs/promises';
import type { StepRunRecord } from '../repositories/step-run.repository.ts';
import { endStepProcesses, liveStepCookies, stepCookie } from './process-sweep.ts';
import { removeRunWorkDir } from './work-dir.ts';

/**
 * What dead executors of this host may have left of the runs one pass takes over: step
 * processes and working directories. Each is listed once, when the pass first needs it, so a
 * pass over thousands of runs scans /proc and WORK_DIR once instead of once a run; processes a
 * leftover forks later carry its cookie and are found by the sweep that kills it. On another
 * host than the dead executor's nothing matches.
 */
export class HostLeftovers {
  private liveCookies: Promise<Set<string>> | null = null;
  private workDirs: Promise<Set<string>> | null = null;

  constructor(private readonly workDir: string) {}

  /** Kills what these steps left running. */
  async endProcessesOf(steps: readonly StepRunRecord[]): Promise<void> {
    const running = steps.filter((step) => step.status === 'RUNNING').map((step) => stepCookie(step.runId, step.name));
    if (running.length === 0) return;
    this.liveCookies ??= liveStepCookies();
    const live = await this.liveCookies;
    const left = new Set(running.filter((cookie) => live.has(cookie)));
    if (left.size > 0) await endStepProcesses({ cookies: left, groups: new Set() }, 0);
  }

  /** Removes the working directory of a run that ended, when it has one. */
  async removeWorkDirOf(runId: string): Promise<void> {
    this.workDirs ??= readdir(this.workDir).then(
      (names) => new Set(names),
      () => new Set<string>(),
    );
    if ((await this.workDirs).has(runId)) await removeRunWorkDir(this.workDir, runId);
  }
}
