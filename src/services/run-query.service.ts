import type { Principal } from '../auth/principal.ts';
import { canReadProject } from '../auth/read-access.ts';
import { AppError, notFound } from '../domain/errors.ts';
import { isStepStatus, isTerminalRunStatus, isTerminalStepStatus } from '../domain/status.ts';
import type { ResponseBudget } from '../domain/response-budget.ts';
import type { LogChunkData } from '../domain/log/log-piece.ts';
import type { RunRecord, RunRepository } from '../repositories/run.repository.ts';
import type { StepRunRecord, StepRunRepository } from '../repositories/step-run.repository.ts';
import type { StepLogService } from './step-log.service.ts';
import type { ArchiveReadsService } from './archive/archive-reads.service.ts';

export const MAX_LOG_CHUNK = 1024 * 1024;

/** A step of a run the caller may read, with its run (archived or not). */
export interface ReadableStep {
  run: RunRecord;
  step: StepRunRecord;
}

export class RunQueryService {
  constructor(private readonly deps: { runs: RunRepository; steps: StepRunRepository; stepLogs: StepLogService; archives: ArchiveReadsService }) {}

  /** A run of an unreadable project is reported as absent, so ids leak nothing; an archived run is found in its archive. */
  async findRun(principal: Principal, id: string): Promise<RunRecord | null> {
    const run = await this.locate(id);
    return run && canReadProject(principal, run.projectId) ? run : null;
  }

  /** A byte range of a step's log, for reading it whole or following it while the step runs. */
  async stepLog(principal: Principal, runId: string, stepName: string, offset: number, limit: number, budget: ResponseBudget): Promise<LogChunkData & { complete: boolean }> {
    checkLogOffset(offset);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LOG_CHUNK) {
      throw new AppError('BAD_USER_INPUT', `limit must be between 1 and ${MAX_LOG_CHUNK} bytes, got ${limit}`, { argument: 'limit' });
    }
    const readable = await this.readableStep(principal, runId, stepName);
    const ended = hasEnded(readable.step.status);
    const lease = budget.reserve(limit, `stepLog(runId: ${runId}, step: ${readable.step.name}, limit: ${limit})`);
    const chunk = await this.readLog(readable, offset, limit, ended);
    lease.settle(chunk.nextOffset - chunk.offset);
    return { ...chunk, complete: ended && chunk.nextOffset >= chunk.size };
  }

  /** About `limit` bytes of the step's log from `offset` (see StepLogService.read), from the archive for an archived run. */
  readLog({ run, step }: ReadableStep, offset: number, limit: number, ended: boolean): Promise<LogChunkData> {
    if (!run.archived) return this.deps.stepLogs.read(step.id, offset, limit, { ended });
    return this.deps.archives.readOfRun(run, (session) => this.deps.stepLogs.read(step.id, offset, limit, { ended: true }, session));
  }

  /** The steps of a run the caller may read; NOT_FOUND for a missing or unreadable run. */
  async steps(principal: Principal, runId: string): Promise<StepRunRecord[]> {
    const run = await this.findRun(principal, runId);
    if (!run) throw notFound('Run', runId);
    return this.stepsOf(run);
  }

  /** A step of a run the caller may read; NOT_FOUND for a missing or unreadable run, or no such step. */
  async readableStep(principal: Principal, runId: string, stepName: string): Promise<ReadableStep> {
    const run = await this.findRun(principal, runId);
    if (!run) throw notFound('Run', runId);
    const step = run.archived ? (await this.stepsOf(run)).find((candidate) => candidate.name === stepName) : await this.deps.steps.findByRunAndName(run.id, stepName);
    if (!step) throw new AppError('NOT_FOUND', `Run ${run.id} has no step named "${stepName}"`, { argument: 'step' });
    return { run, step };
  }

  /** Whether the step's log will not grow any more: the step has finished, or its run has (a step it never started). */
  async stepEnded(runId: string, stepName: string): Promise<boolean> {
    const step = await this.deps.steps.findByRunAndName(runId, stepName);
    if (step === null || hasEnded(step.status)) return true;
    const run = await this.deps.runs.findById(runId);
    return run === null || isTerminalRunStatus(run.status);
  }

  /** The steps of a run, from its archive when archived. */
  stepsOf(run: RunRecord): Promise<StepRunRecord[]> {
    return run.archived ? this.deps.archives.stepsOfRuns([run]) : this.deps.steps.listByRunIds([run.id]);
  }

  /**
   * The run, live or archived. Looked for in the live store again when the archives do not have
   * it: a restore may have moved it back between the two looks.
   */
  private async locate(id: string): Promise<RunRecord | null> {
    const live = await this.deps.runs.findById(id);
    if (live) return live;
    const [archived] = await this.deps.archives.runsByIds([id]);
    return archived ?? (await this.deps.runs.findById(id));
  }
}

function hasEnded(status: string): boolean {
  return isStepStatus(status) && isTerminalStepStatus(status);
}

/** A byte offset into a log: a whole number from 0. */
export function checkLogOffset(offset: number): void {
  if (!Number.isInteger(offset) || offset < 0) throw new AppError('BAD_USER_INPUT', `offset must be 0 or more, got ${offset}`, { argument: 'offset' });
}
