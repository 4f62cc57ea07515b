import { types } from 'node:util';
import { isTerminalRunStatus, type RunStatus } from '../domain/status.ts';
import { MAX_CALL_DEPTH, MAX_PARALLEL_ITEMS } from '../domain/workflow/sub-workflow-spec.ts';
import { stepRunNames, type WorkflowSpec } from '../domain/workflow/workflow-spec.ts';
import { runOutputsOf } from '../domain/workflow/workflow-shape.ts';
import type { RunRecord, RunRepository } from '../repositories/run.repository.ts';
import type { StepRunRepository } from '../repositories/step-run.repository.ts';
import type { WorkflowRepository } from '../repositories/workflow.repository.ts';
import { checkParams } from '../services/run-control.service.ts';
import type { RunRecorderService } from '../services/run-recorder.service.ts';
import type { StoredSpecs } from '../services/stored-specs.ts';

/** One child a call step asks for: the `index`-th of its items (0 for a plain call). */
export interface ChildRequest {
  parent: RunRecord;
  stepName: string;
  workflow: string;
  params: Record<string, string>;
  index: number;
  signal: AbortSignal;
  /** Lines for the call step's log. */
  note: (line: string) => void;
}

export interface ChildOutcome {
  runId: string;
  status: RunStatus;
  error: string | null;
  /** The child's outputs as Run.outputs gives them (runOutputsOf). */
  outputs: Record<string, string>;
}

/** What a call step uses to run its children: the engine's SubWorkflowRuns, or a test's. */
export interface SubWorkflowRunner {
  run(request: ChildRequest): Promise<ChildOutcome>;
}

/**
 * Why a call step's signal is aborted: its run was cancelled (or rejected), so are its
 * children; or this executor stops, and the children, runs of their own, are stopped or handed
 * back with the rest of its runs, for the parent to follow again wherever it is picked up.
 */
export const CANCEL_CHILDREN = 'cancel children';
export const LEAVE_CHILDREN = 'leave children';

// A child is looked at this often while its parent's step waits for it.
const WAIT_POLL_MS = 250;

/**
 * Starts and follows the runs of call steps. Each child is a run of its own (trigger SUBDAG,
 * linked to the parent run and step), created QUEUED and taken at once by this executor
 * (`adopt`), outside the queue: it holds no place under the global or its workflow's
 * maxActiveRuns, since its parent holds one and waits for it (a parent waiting for a child
 * stuck behind that parent's own place would wait forever). A child already there (the
 * parent's execution was lost and picked up again) is followed, not started twice.
 */
export class SubWorkflowRuns implements SubWorkflowRunner {
  constructor(
    private readonly deps: {
      runs: RunRepository;
      steps: StepRunRepository;
      workflows: WorkflowRepository;
      specs: StoredSpecs;
      recorder: RunRecorderService;
      /** Executes a QUEUED child here, under a claim of this executor. */
      adopt: (runId: string) => Promise<void>;
      /** Stops a child (and so its own children). */
      cancel: (runId: string) => Promise<void>;
    },
  ) {}

  async run(request: ChildRequest): Promise<ChildOutcome> {
    const existing = (await this.deps.runs.listChildren([request.parent.id], MAX_PARALLEL_ITEMS, request.stepName))[request.index];
    const child = existing ?? (await this.start(request));
    request.note(`${existing ? 'following' : 'started'} run ${child.id} of ${request.workflow}${Object.keys(request.params).length > 0 ? ` with ${Object.entries(request.params).map(([name, value]) => `${name}=${value}`).join(' ')}` : ''}`);
    const ended = await this.waitForEnd(child.id, request);
    request.note(`run ${ended.id} of ${request.workflow} ended ${ended.status}${ended.error ? `: ${ended.error}` : ''}`);
    return { runId: ended.id, status: ended.status, error: ended.error, outputs: await this.outputsOf(ended) };
  }

  private async start(request: ChildRequest): Promise<RunRecord> {
    const chain = await this.callChain(request.parent);
    if (chain.length >= MAX_CALL_DEPTH) {
      throw new Error(`calls nest ${MAX_CALL_DEPTH} deep here (runs ${chain.map((run) => run.id).join(' ← ')}); a workflow that calls itself needs a precondition that ends the chain`);
    }
    const workflow = await this.deps.workflows.findByName(request.parent.projectId, request.workflow);
    if (!workflow || workflow.deletedAt) throw new Error(`no workflow "${request.workflow}" in this project; save it there (or define it in this file after "---")`);
    const version = await this.deps.workflows.findVersion(workflow.id, workflow.hash);
    const spec = version ? this.deps.specs.of(version, workflow.name) : null;
    if (!version || !spec) throw new Error(`workflow "${request.workflow}" has no valid definition to run`);
    let params: Record<string, string>;
    try {
      params = checkParams(spec, request.params);
    } catch (error) {
      throw new Error(`params for "${request.workflow}": ${types.isNativeError(error) ? error.message : String(error)}`);
    }
    return this.deps.recorder.createRun({
      projectId: workflow.projectId,
      workflowId: workflow.id,
      trigger: 'SUBDAG',
      params,
      steps: stepRunNames(spec),
      versionId: version.id,
      parent: { runId: request.parent.id, stepName: request.stepName },
    });
  }

  /** The run and the runs whose call steps started it, newest first, up to MAX_CALL_DEPTH of them. */
  private async callChain(run: RunRecord): Promise<RunRecord[]> {
    const chain = [run];
    for (let current = run; current.parentRunId !== null && chain.length < MAX_CALL_DEPTH; ) {
      const parent = await this.deps.runs.findById(current.parentRunId);
      if (!parent) break;
      chain.push(parent);
      current = parent;
    }
    return chain;
  }

  /** Resolves with the child once it ended; a stop of the parent's step cancels it first. */
  private async waitForEnd(runId: string, request: ChildRequest): Promise<RunRecord> {
    let cancelled = false;
    for (;;) {
      const run = await this.deps.runs.findById(runId);
      if (!run) throw new Error(`run ${runId} is gone`);
      if (isTerminalRunStatus(run.status)) return run;
      // Created just now, or requeued after the executor running it was lost: none but this step runs it.
      if (run.status === 'QUEUED' && !request.signal.aborted) await this.deps.adopt(run.id);
      if (request.signal.aborted && request.signal.reason !== CANCEL_CHILDREN) throw new Error('stopped with this executor');
      if (request.signal.aborted && !cancelled) {
        cancelled = true;
        request.note(`cancelling run ${runId}: this step was stopped`);
        await this.deps.cancel(runId).catch((error: unknown) => {
          // Finished meanwhile: the next look finds it ended.
          if (!(typeof error === 'object' && error !== null && 'code' in error && error.code === 'CONFLICT')) throw error;
        });
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, WAIT_POLL_MS);
        request.signal.addEventListener('abort', done, { once: true });
        function done() {
          clearTimeout(timer);
          request.signal.removeEventListener('abort', done);
          resolve();
        }
      });
    }
  }

  private async outputsOf(run: RunRecord): Promise<Record<string, string>> {
    const [workflow, [version]] = await Promise.all([this.deps.workflows.findById(run.workflowId), run.versionId ? this.deps.workflows.listVersionsByIds([run.versionId]) : Promise.resolve([])]);
    const spec: WorkflowSpec | null = workflow && version ? this.deps.specs.of(version, workflow.name) : null;
    return spec ? runOutputsOf(spec, await this.deps.steps.listByRunIds([run.id])) : {};
  }
}
