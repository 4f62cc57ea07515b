import { createHash } from 'node:crypto';
import { canTransitionRun, canTransitionStep, type RunStatus, type StepStatus } from '../domain/status.ts';
import type { RunTrigger } from '../domain/vocabulary.ts';
import type { PlannedEvent, PlannedStep } from './run-planner.ts';

/**
 * One finished run of Dagu's history, read from the last status line of its latest attempt:
 * `dag-runs/YYYY/MM/DD/dag-run_<time>_<id>/attempt_<time>_<id>/status.jsonl` (Dagu 1.17 and
 * later: camelCase keys, numeric statuses) or `<dag>.<time>.<id>.dat` (earlier Dagu: the same
 * record with capitalised keys).
 */
export interface DaguRun {
  daguRunId: string;
  dagName: string;
  status: RunStatus;
  trigger: RunTrigger;
  /** False when Dagu did not record what started the run (before it wrote triggerType). */
  triggerRecorded: boolean;
  params: Record<string, string> | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number;
  error: string | null;
  steps: PlannedStep[];
  events: PlannedEvent[];
}

/** Why a record is not imported: still active in Dagu, never started, or not a status record. */
export type DaguReadResult = { kind: 'run'; run: DaguRun } | { kind: 'skipped'; reason: string };

// Dagu's core.Status and core.NodeStatus, by their numbers (stable across its versions).
const RUN_STATUS: Readonly<Record<number, RunStatus | 'active' | 'not-started'>> = {
  0: 'not-started',
  1: 'active',
  2: 'FAILED',
  3: 'ABORTED',
  4: 'SUCCEEDED',
  5: 'active',
  6: 'PARTIALLY_SUCCEEDED',
  7: 'active',
  8: 'REJECTED',
};
const NODE_STATUS: Readonly<Record<number, StepStatus>> = {
  0: 'NOT_STARTED',
  1: 'RUNNING',
  2: 'FAILED',
  3: 'ABORTED',
  4: 'SUCCEEDED',
  5: 'SKIPPED',
  6: 'PARTIALLY_SUCCEEDED',
  7: 'WAITING',
  8: 'REJECTED',
};
const TRIGGERS: Readonly<Record<string, RunTrigger>> = { scheduler: 'SCHEDULER', manual: 'MANUAL', webhook: 'WEBHOOK', subdag: 'SUBDAG', retry: 'RETRY' };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A key in either spelling: Dagu's records used `Name`, `StartedAt`… before they used `name`, `startedAt`… */
function field(record: Json, camel: string): unknown {
  return record[camel] ?? record[camel.charAt(0).toUpperCase() + camel.slice(1)];
}

function text(record: Json, camel: string): string | null {
  const value = field(record, camel);
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Dagu writes times as RFC 3339 (`2026-03-01T10:00:00+01:00`); older versions wrote
 * `2026-03-01 10:00:00` in the machine's zone, read here in this machine's zone; `-` or empty: none.
 */
export function daguTime(value: string | null): number | null {
  if (value === null || value === '-') return null;
  const normalised = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(value) ? value.replace(' ', 'T') : value;
  const at = Date.parse(normalised);
  if (Number.isNaN(at)) throw new Error(`"${value}" is not a time Dagu writes`);
  return at;
}

/** `A=1 B="two words"` or a list of `NAME=VALUE`; a word without `=` is positional (`1`, `2`, …), as Dagu numbers them. */
export function daguParams(record: Json): Record<string, string> | null {
  const list = field(record, 'paramsList');
  const words = Array.isArray(list)
    ? list.filter((word): word is string => typeof word === 'string')
    : [...(text(record, 'params') ?? '').matchAll(/(?:[^\s"]+|"[^"]*")+/g)].map((match) => match[0].replace(/"/g, ''));
  if (words.length === 0) return null;
  const params: Record<string, string> = {};
  let position = 0;
  for (const word of words) {
    const separator = word.indexOf('=');
    if (separator > 0) params[word.slice(0, separator)] = word.slice(separator + 1);
    else params[String((position += 1))] = word;
  }
  return params;
}

function exitCodeOf(error: string | null): number | null {
  const match = error === null ? null : /exit status (\d+)/.exec(error);
  return match?.[1] === undefined ? null : Number(match[1]);
}

interface NodeRead {
  step: PlannedStep;
  started: number | null;
  finished: number | null;
}

function readNode(node: Json, runStatus: RunStatus, runFinished: number, where: string): NodeRead {
  const step = field(node, 'step');
  const name = isObject(step) ? text(step, 'name') : null;
  if (name === null) throw new Error(`${where}: a node without a step name`);
  const code = field(node, 'status');
  const recorded = typeof code === 'number' ? NODE_STATUS[code] : undefined;
  if (recorded === undefined) throw new Error(`${where}: step "${name}" has status ${JSON.stringify(code)}, which Dagu does not write`);
  // A finished run has no unfinished step: Dagu leaves the steps after a failure NOT_STARTED
  // (here ABORTED, as the engine records what a failure stopped) and a step it was running when
  // killed RUNNING (here ABORTED too).
  const status: StepStatus = recorded === 'NOT_STARTED' ? (runStatus === 'SUCCEEDED' ? 'SKIPPED' : 'ABORTED') : recorded === 'RUNNING' || recorded === 'WAITING' ? 'ABORTED' : recorded;
  const started = daguTime(text(node, 'startedAt'));
  const finished = daguTime(text(node, 'finishedAt')) ?? (started === null ? null : runFinished);
  const error = text(node, 'error');
  const retries = field(node, 'retryCount');
  return {
    step: {
      name,
      status,
      startedAt: started,
      finishedAt: finished ?? runFinished,
      exitCode: exitCodeOf(error) ?? (status === 'SUCCEEDED' && started !== null ? 0 : null),
      attempt: started === null ? 0 : 1 + (typeof retries === 'number' ? retries : 0),
      error,
    },
    started,
    finished,
  };
}

/** The events the recorder would have written for this life, each checked against the status rules. */
function eventsOf(status: RunStatus, createdAt: number, startedAt: number | null, finishedAt: number, nodes: readonly NodeRead[], where: string): PlannedEvent[] {
  const events: PlannedEvent[] = [{ kind: 'RUN', step: null, from: null, to: 'QUEUED', at: createdAt, message: 'Imported from Dagu', actor: null }];
  const runMove = (from: RunStatus, to: RunStatus, at: number) => {
    if (!canTransitionRun(from, to)) throw new Error(`${where}: the run cannot go from ${from} to ${to}`);
    events.push({ kind: 'RUN', step: null, from, to, at, message: null, actor: null });
  };
  let current: RunStatus = 'QUEUED';
  if (startedAt !== null || !canTransitionRun('QUEUED', status)) {
    runMove('QUEUED', 'RUNNING', startedAt ?? createdAt);
    current = 'RUNNING';
  }
  const stepEvents: PlannedEvent[] = [];
  nodes.forEach(({ step, started }, index) => {
    const path: StepStatus[] = ['NOT_STARTED'];
    if (step.status === 'REJECTED') path.push('WAITING');
    else if (started !== null && step.status !== 'SKIPPED' && canTransitionStep('RUNNING', step.status)) path.push('RUNNING');
    path.push(step.status);
    for (let move = 1; move < path.length; move += 1) {
      const from = path[move - 1] ?? 'NOT_STARTED';
      const to = path[move] ?? step.status;
      if (!canTransitionStep(from, to)) throw new Error(`${where}: step "${step.name}" cannot go from ${from} to ${to}`);
      const at = move < path.length - 1 ? (started ?? finishedAt) : (step.finishedAt ?? finishedAt);
      stepEvents.push({ kind: 'STEP', step: index, from, to, at: Math.max(at, createdAt), message: null, actor: null });
    }
  });
  events.push(...stepEvents.sort((a, b) => a.at - b.at));
  runMove(current, status, finishedAt);
  // Times as Dagu wrote them may disagree by a few ms (a step "finished" after its run): never back in time.
  let latest = createdAt;
  for (const event of events) latest = event.at = Math.max(event.at, latest);
  return events;
}

/** Reads one status record (the last line of a status file) into a finished run, or says why it is skipped. */
export function readDaguStatus(record: unknown, where: string, fallbackCreatedAt: number | null): DaguReadResult {
  if (!isObject(record)) return { kind: 'skipped', reason: `${where}: not a status record` };
  const daguRunId = text(record, 'dagRunId') ?? text(record, 'requestId');
  const dagName = text(record, 'name');
  if (daguRunId === null || dagName === null) return { kind: 'skipped', reason: `${where}: no dagRunId/RequestId or name` };
  const code = field(record, 'status');
  const mapped = typeof code === 'number' ? RUN_STATUS[code] : undefined;
  if (mapped === undefined) throw new Error(`${where}: run status ${JSON.stringify(code)}, which Dagu does not write`);
  if (mapped === 'active') return { kind: 'skipped', reason: `${where}: still queued, running or waiting in Dagu` };
  if (mapped === 'not-started') return { kind: 'skipped', reason: `${where}: never started` };
  const startedAt = daguTime(text(record, 'startedAt'));
  const createdField = field(record, 'createdAt');
  const createdAt = (typeof createdField === 'number' && createdField > 0 ? createdField : null) ?? daguTime(text(record, 'queuedAt')) ?? startedAt ?? fallbackCreatedAt;
  if (createdAt === null) return { kind: 'skipped', reason: `${where}: no time it was created or started` };
  const finishedAt = Math.max(daguTime(text(record, 'finishedAt')) ?? startedAt ?? createdAt, createdAt);
  const nodeList = field(record, 'nodes');
  const nodes = (Array.isArray(nodeList) ? nodeList : []).filter(isObject).map((node) => readNode(node, mapped, finishedAt, where));
  const failed = nodes.find((node) => node.step.status === 'FAILED');
  const triggerText = text(record, 'triggerType');
  const trigger = triggerText === null ? undefined : TRIGGERS[triggerText];
  const parent = field(record, 'parent');
  const isChild = isObject(parent) && text(parent, 'id') !== null;
  return {
    kind: 'run',
    run: {
      daguRunId,
      dagName,
      status: mapped,
      trigger: trigger ?? (isChild ? 'SUBDAG' : 'MANUAL'),
      triggerRecorded: trigger !== undefined || isChild,
      params: daguParams(record),
      createdAt,
      startedAt: startedAt === null ? null : Math.max(startedAt, createdAt),
      finishedAt,
      error: failed ? `Step "${failed.step.name}" failed${failed.step.error ? `: ${failed.step.error}` : ''}` : null,
      steps: nodes.map((node) => node.step),
      events: eventsOf(mapped, createdAt, startedAt === null ? null : Math.max(startedAt, createdAt), finishedAt, nodes, where),
    },
  };
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * The same id on every import of the same Dagu run (so a second import finds it), in the shape
 * newId makes: the creation time first, for the id-ordered cursors and the archive's periods.
 */
export function importedId(prefix: 'run' | 'step', createdAt: number, key: string): string {
  const digest = createHash('sha256').update(key).digest();
  const random = [...digest.subarray(0, 16)].map((byte) => ALPHABET.charAt(byte % 32)).join('');
  return `${prefix}_${createdAt.toString(32).padStart(9, '0')}${random}`;
}
