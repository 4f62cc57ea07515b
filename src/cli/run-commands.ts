import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Run, RuntrailClient } from '@runtrail/client';
import { isRunStatus, isTerminalRunStatus } from '../domain/status.ts';
import { formatProblems, parseWorkflow } from '../domain/workflow/parse-workflow.ts';
import { DEFAULT_PROJECT_SLUG } from '../services/bootstrap.service.ts';
import { CommandError, EXIT } from './server-connection.ts';
import { StepLogQuery, WorkflowsPage, type WorkflowNode, type WorkflowsPageResult } from './server-operations.ts';

/** How many lines of a failed step's log `start` and `status` print under its error. */
const LOG_TAIL_LINES = 10;
const LOG_TAIL_BYTES = 16 * 1024;
/** How long `stop`, `dequeue` and `restart` wait for a cancelled run to end before saying it still runs. */
export const SETTLE_TIMEOUT_MS = 60_000;

/**
 * Dagu's params after `--`: `NAME=VALUE` sets a named param, any other word is positional and
 * sets `1`, `2`, … in order (Dagu's `$1`, `$2`).
 */
export function dagParams(words: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  let position = 0;
  for (const word of words) {
    const separator = word.indexOf('=');
    if (separator > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(word.slice(0, separator))) {
      params[word.slice(0, separator)] = word.slice(separator + 1);
    } else {
      position += 1;
      params[String(position)] = word;
    }
  }
  return params;
}

async function projectIdOf(client: RuntrailClient, slug: string): Promise<string> {
  const projects = await client.projects();
  const project = projects.find((candidate) => candidate.slug === slug || candidate.id === slug);
  if (!project) throw new CommandError(`There is no project "${slug}" you may read; yours: ${projects.map((each) => each.slug).join(', ') || 'none'}`);
  return project.id;
}

async function* workflows(client: RuntrailClient, projectId: string | null): AsyncGenerator<WorkflowNode> {
  let after: string | null = null;
  for (;;) {
    const { workflows: page }: WorkflowsPageResult = await client.request(WorkflowsPage, { projectId, first: 200, after });
    for (const edge of page.edges) yield edge.node;
    if (!page.pageInfo.hasNextPage) return;
    after = page.pageInfo.endCursor;
  }
}

/** A workflow by id or by name (in `--project`, or in the one project that has it). */
export async function findWorkflow(client: RuntrailClient, reference: string, project: string | undefined): Promise<WorkflowNode> {
  const projectId = project ? await projectIdOf(client, project) : null;
  const matches: WorkflowNode[] = [];
  for await (const workflow of workflows(client, projectId)) {
    if (workflow.id === reference) return workflow;
    if (workflow.name === reference) matches.push(workflow);
  }
  const [only, ...others] = matches;
  if (!only) throw new CommandError(`There is no workflow "${reference}"${project ? ` in project ${project}` : ''}: give a workflow name or id, or a workflow file`);
  if (others.length > 0) throw new CommandError(`"${reference}" names a workflow in ${matches.length} projects: choose one with --project`);
  return only;
}

/** The file's YAML, named after the file when it has no `name` (as `runtrail run` and Dagu name it). */
function namedYaml(file: string): string {
  let yaml: string;
  try {
    yaml = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CommandError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const defaultName = path.basename(file).replace(/\.ya?ml$/, '');
  const parsed = parseWorkflow(yaml, { defaultName });
  if (!parsed.ok) throw new CommandError(formatProblems(parsed.problems, file));
  const [first, ...rest] = parseAllDocuments(yaml);
  if (!first || !('has' in first) || first.has('name')) return yaml;
  first.set('name', defaultName);
  return [first, ...rest].map(String).join('');
}

function isWorkflowFile(reference: string): boolean {
  return /\.ya?ml$/.test(reference) || (existsSync(reference) && statSync(reference).isFile());
}

/** The workflow `start` and `enqueue` trigger: a saved one by name or id, or a file saved into the project first. */
export async function workflowToTrigger(client: RuntrailClient, reference: string, project: string | undefined): Promise<WorkflowNode> {
  if (!isWorkflowFile(reference)) return findWorkflow(client, reference, project);
  const projectId = await projectIdOf(client, project ?? DEFAULT_PROJECT_SLUG);
  const saved = await client.saveWorkflow({ projectId, yaml: namedYaml(path.resolve(reference)) });
  return { id: saved.id, name: saved.name, projectId: saved.projectId };
}

/** A run by id, or the latest run of a workflow by its name (as `dagu status <dag>` does). */
export async function findRun(client: RuntrailClient, reference: string): Promise<Run> {
  if (reference.startsWith('run_')) {
    const run = await client.run(reference);
    if (!run) throw new CommandError(`There is no run ${reference} you may read`);
    return run;
  }
  for await (const latest of client.runs({ workflowNames: [reference], includeArchived: true }, { pageSize: 1 })) {
    const run = await client.run(latest.id);
    if (run) return run;
  }
  throw new CommandError(`"${reference}" is neither a run id (run_…) nor a workflow with runs`);
}

/** 0 when the run succeeded (partially too: the steps allowed to fail were allowed), 1 otherwise. */
export function exitCodeOf(status: string): number {
  return status === 'SUCCEEDED' || status === 'PARTIALLY_SUCCEEDED' ? EXIT.ok : EXIT.runFailed;
}

function clock(iso: string | null): string {
  return iso ? iso.replace('T', ' ').slice(0, 19) : '-';
}

function duration(ms: number | null): string {
  if (ms === null) return '-';
  return ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
}

async function logTail(client: RuntrailClient, runId: string, step: string): Promise<string[]> {
  const probe = await client.request(StepLogQuery, { runId, step, offset: 0, limit: 1 });
  const offset = Math.max(0, probe.stepLog.size - LOG_TAIL_BYTES);
  const { stepLog } = await client.request(StepLogQuery, { runId, step, offset, limit: LOG_TAIL_BYTES });
  return stepLog.content.split('\n').filter((line) => line.length > 0).slice(-LOG_TAIL_LINES);
}

/** The run, each step, and for each failed step its error and the end of its log: what a person needs to know why. */
export async function printRun(client: RuntrailClient, run: Run, write: (line: string) => void = console.log): Promise<void> {
  write(`Run ${run.id} of ${run.workflow.name} (project ${run.project.slug}): ${run.status}`);
  write(`  trigger ${run.trigger}, attempt ${run.attempt}${run.retryOf ? ` (retry of ${run.retryOf.id})` : ''}, created ${clock(run.createdAt)}, started ${clock(run.startedAt)}, finished ${clock(run.finishedAt)}, took ${duration(run.durationMs)}`);
  const params = Object.entries(run.params && typeof run.params === 'object' ? run.params : {});
  if (params.length > 0) write(`  params ${params.map(([name, value]) => `${name}=${String(value)}`).join(' ')}`);
  if (run.queuedReason) write(`  queued: ${run.queuedReason}`);
  if (run.error) write(`  error: ${run.error}`);
  const width = Math.max(4, ...run.steps.map((step) => step.name.length));
  for (const step of run.steps) {
    const exit = step.exitCode === null ? '' : ` exit ${step.exitCode}`;
    write(`  ${step.name.padEnd(width)}  ${step.status.padEnd(19)}${exit}${step.attempt > 1 ? ` (attempt ${step.attempt})` : ''}`);
  }
  for (const step of run.steps.filter((candidate) => candidate.status === 'FAILED' || candidate.status === 'REJECTED')) {
    write(`Step "${step.name}" ${step.status}${step.exitCode === null ? '' : ` with exit code ${step.exitCode}`}: ${step.error ?? 'no error message recorded'}`);
    const tail = await logTail(client, run.id, step.name);
    if (tail.length > 0) write(`  last lines of its log:\n${tail.map((line) => `    ${line}`).join('\n')}`);
  }
}

/**
 * Prints each status change of the run until it ends, then the run as `status` shows it.
 * `afterSeq` is the head taken before the run was created, so no change is missed.
 */
export async function followRun(client: RuntrailClient, runId: string, workflowId: string, afterSeq: string): Promise<Run> {
  for await (const event of client.runEvents({ filter: { workflowIds: [workflowId], includeArchived: false }, afterSeq })) {
    if (event.run.id !== runId) continue;
    const subject = event.step ? `step ${event.step.name}` : 'run';
    console.log(`${event.at.slice(11, 19)}  ${subject.padEnd(30)} ${event.from ?? 'created'} → ${event.to}${event.message ? `  (${event.message})` : ''}`);
    if (!event.step && isRunStatus(event.to) && isTerminalRunStatus(event.to)) break;
  }
  const run = await client.run(runId);
  if (!run) throw new CommandError(`Run ${runId} disappeared while it was followed`);
  return run;
}

/** Waits until the run has ended (a cancelled run ends once its steps are stopped). */
export async function settled(client: RuntrailClient, runId: string, timeoutMs = SETTLE_TIMEOUT_MS): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await client.run(runId);
    if (!run) throw new CommandError(`There is no run ${runId} you may read`);
    if (isRunStatus(run.status) && isTerminalRunStatus(run.status)) return run;
    if (Date.now() > deadline) throw new CommandError(`Run ${runId} is still ${run.status} after ${timeoutMs / 1000} s; see \`runtrail status ${runId}\``, EXIT.runFailed);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
