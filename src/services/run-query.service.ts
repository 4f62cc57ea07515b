import type { Principal } from '../auth/principal.ts';
import { canReadProject } from '../auth/read-access.ts';
import { AppError, notFound } from '../domain/errors.ts';
import { isStepStatus, isTerminalRunStatus, isTerminalStepStatus } from '../domain/status.ts';
import type { ResponseBudget } from '../domain/response-budget.ts';
import type { LogChunkData } from '../domain/log/log-piece.ts';
import type { RunRecord, RunRepository } from '../repositories/run.repository.ts';
import type { StepRunRecord, StepRunRepository } from '../repositories/step-run.repository.ts';
import type { StepLogService } from './step-log.service.ts';

export const MAX_LOG_CHUNK = 1024 * 1024;

export class RunQueryService {
  constructor(private readonly deps: { runs: RunRepository; steps: StepRunRepository; stepLogs: StepLogService }) {}

  /** A run of an unreadable project is reported as absent, so ids leak nothing. */
  async findRun(principal: Principal, id: string): Promise<RunRecord | null> {
    const run = await this.deps.runs.findById(id);
    return run && canReadProject(principal, run.projectId) ? run : null;
  }

  /** A byte range of a step's log, for reading it whole or following it while the step runs. */
  async stepLog(principal: Principal, runId: string, stepName: string, offset: number, limit: number, budget: ResponseBudget): Promise<LogChunkData & { complete: boolean }> {
    checkLogOffset(offset);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LOG_CHUNK) {
      throw new AppError('BAD_USER_INPUT', `limit must be between 1 and ${MAX_LOG_CHUNK} bytes, got ${limit}`, { argument: 'limit' });
    }
    const step = await this.readableStep(principal, runId, stepName);
    const ended = hasEnded(step.status);
    const lease = budget.reserve(limit, `stepLog(runId: ${runId}, step: ${step.name}, limit: ${limit})`);
    const chunk = await this.deps.stepLogs.read(step.id, offset, limit, { ended });
    lease.settle(chunk.nextOffset - chunk.offset);
    return { ...chunk, complete: ended && chunk.nextOffset >= chunk.size };
  }

  /** The steps of a run the caller may read; NOT_FOUND for a missing or unreadable run. */
  async steps(principal: Principal, runId: string): Promise<StepRunRecord[]> {
    const run = await this.findRun(principal, runId);
    if (!run) throw notFound('Run', runId);
    return this.deps.steps.listByRunIds([run.id]);
  }

  /** A step of a run the caller may read; NOT_FOUND for a missing or unreadable run, or no such step. */
  async readableStep(principal: Principal, runId: string, stepName: string): Promise<StepRunRecord> {
    const run = await this.findRun(principal, runId);
    if (!run) throw notFound('Run', runId);
    const step = await this.deps.steps.findByRunAndName(run.id, stepName);
    if (!step) throw new AppError('NOT_FOUND', `Run ${run.id} has no step named "${stepName}"`, { argument: 'step' });
    return step;
  }

  /** Whether the step's log will not grow any more: the step has finished, or its run has (a step it never started). */
  async stepEnded(runId: string, stepName: string): Promise<boolean> {
    const step = await this.deps.steps.findByRunAndName(runId, stepName);
    if (step === null || hasEnded(step.status)) return true;
    const run = await this.deps.runs.findById(runId);
    return run === null || isTerminalRunStatus(run.status);
  }
}

function hasEnded(status: string): boolean {
  return isStepStatus(status) && isTerminalStepStatus(status);
}

/** A byte offset into a log: a whole number from 0. */
export function checkLogOffset(offset: number): void {
  if (!Number.isInteger(offset) || offset < 0) throw new AppError('BAD_USER_INPUT', `offset must be 0 or more, got ${offset}`, { argument: 'offset' });
}
