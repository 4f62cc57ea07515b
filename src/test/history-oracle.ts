import type { Principal } from '../auth/principal.ts';
import type { Services } from '../composition.ts';
import type { Db } from '../db/client.ts';
import type { RunFilterSpec } from '../domain/run-filter.ts';
import { RUN_STATUSES, isRunStatus, type RunStatus } from '../domain/status.ts';
import { bucketMs, bucketStart, type TimeBucket } from '../domain/time-buckets.ts';
import { RUN_TRIGGERS } from '../domain/vocabulary.ts';
import type { RunPageData } from '../services/history/run-page.service.ts';
import { ADMIN_PRINCIPAL, memberPrincipal } from './principals.ts';

/*
 * The run history's filter, counts and trends written out naively over every run and status
 * change in memory: the answer the history queries must equal, whatever store they read.
 */

export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;

/** A run as the brute force sees it: fixed fields and every status change with its seq. */
export interface KnownRun {
  id: string;
  projectId: string;
  workflowId: string;
  workflowName: string;
  trigger: string;
  createdAt: number;
  /** RUN events as [seq, to], in seq order; the first is the run's creation. */
  changes: [bigint, RunStatus][];
}

/** What a test asks of the service, in plain data. */
export interface Question {
  principal: Principal;
  filter: RunFilterSpec;
  snapshot: bigint;
  /** Ask the first page without a snapshot: it must then answer at the head. */
  firstAtHead: boolean;
}

export interface OracleRow {
  id: string;
  status: RunStatus;
  createdAt: number;
}

/** Every run of the live store with its status changes. */
export async function loadHistory(db: Db): Promise<KnownRun[]> {
  const workflows = new Map((await db.workflow.findMany({ select: { id: true, name: true } })).map((workflow) => [workflow.id, workflow.name]));
  const events = await db.runEvent.findMany({ where: { kind: 'RUN' }, orderBy: { seq: 'asc' }, select: { runId: true, seq: true, to: true } });
  const changes = new Map<string, [bigint, RunStatus][]>();
  for (const event of events) {
    if (!isRunStatus(event.to)) throw new Error(`RUN event with status ${event.to}`);
    const list = changes.get(event.runId) ?? [];
    list.push([event.seq, event.to]);
    changes.set(event.runId, list);
  }
  const runs = await db.run.findMany();
  return runs.map((run) => ({
    id: run.id,
    projectId: run.projectId,
    workflowId: run.workflowId,
    workflowName: workflows.get(run.workflowId) ?? '',
    trigger: run.trigger,
    createdAt: run.createdAt.getTime(),
    changes: changes.get(run.id) ?? [],
  }));
}

/** The status of a run at a snapshot, or null when it did not exist yet. */
export function statusAt(run: KnownRun, snapshot: bigint): RunStatus | null {
  let status: RunStatus | null = null;
  for (const [seq, to] of run.changes) if (seq <= snapshot) status = to;
  return status;
}

/** The filter's semantics written out naively: the answer every query must equal, newest first. */
export function bruteForce(runs: readonly KnownRun[], { principal, filter, snapshot }: Question): OracleRow[] {
  const needle = filter.search?.trim().toLowerCase() ?? '';
  return runs
    .flatMap((run) => {
      const status = statusAt(run, snapshot);
      if (status === null) return [];
      if (!principal.isAdmin && !principal.roles.has(run.projectId)) return [];
      if (filter.projectIds?.length && !filter.projectIds.includes(run.projectId)) return [];
      if (filter.workflowIds?.length && !filter.workflowIds.includes(run.workflowId)) return [];
      if (filter.workflowNames?.length && !filter.workflowNames.includes(run.workflowName)) return [];
      if (filter.statuses?.length && !filter.statuses.includes(status)) return [];
      if (filter.triggers?.length && !(filter.triggers as readonly string[]).includes(run.trigger)) return [];
      if (filter.createdAfter && run.createdAt < filter.createdAfter.getTime()) return [];
      if (filter.createdBefore && run.createdAt >= filter.createdBefore.getTime()) return [];
      if (needle !== '' && !run.workflowName.toLowerCase().includes(needle) && !(needle.startsWith('run_') && run.id.startsWith(needle))) return [];
      return [{ id: run.id, status, createdAt: run.createdAt }];
    })
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

export function countsOf(rows: readonly { status: RunStatus }[], filter: RunFilterSpec): { total: number; byStatus: { status: RunStatus; count: number }[] } {
  const statuses = filter.statuses?.length ? RUN_STATUSES.filter((status) => filter.statuses?.includes(status)) : RUN_STATUSES;
  return { total: rows.length, byStatus: statuses.map((status) => ({ status, count: rows.filter((row) => row.status === status).length })) };
}

export function trendOf(rows: readonly { status: RunStatus; createdAt: number }[], bucket: TimeBucket, from: number, to: number) {
  const points = new Map<number, Map<RunStatus, number>>();
  for (let start = bucketStart(from, bucket); start < to; start += bucketMs(bucket)) points.set(start, new Map());
  for (const row of rows) {
    if (row.createdAt < from || row.createdAt >= to) continue;
    const point = points.get(bucketStart(row.createdAt, bucket));
    point?.set(row.status, (point.get(row.status) ?? 0) + 1);
  }
  return [...points].map(([start, counts]) => ({
    start: new Date(start),
    counts: RUN_STATUSES.flatMap((status) => (counts.get(status) ? [{ status, count: counts.get(status) ?? 0 }] : [])),
  }));
}

/** A small deterministic random source, so that a failing case can be replayed from its seed. */
export function randomSource(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T,>(values: readonly T[]): T => {
    const value = values[Math.floor(next() * values.length)];
    if (value === undefined) throw new Error('pick from an empty list');
    return value;
  };
  return {
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability: number) => next() < probability,
    subset: <T,>(values: readonly T[], probability = 0.35) => values.filter(() => next() < probability),
    pick,
  };
}

export type Random = ReturnType<typeof randomSource>;

/** Where random questions look: the seeded span, and the snapshots a test may ask for. */
export interface QuestionRange {
  now: number;
  seededDays: number;
  /** How far past createdAfter (or the seeded span's start) a random createdBefore lies, at most. */
  createdBeforeSpanMs: number;
  /** The oldest snapshot that may be asked for; the newest is `head`. */
  oldest: bigint;
  head: bigint;
  /** Whether questions ask for archived runs too, at random. */
  askArchived: boolean;
}

/** A random question a principal might ask, over runs that exist. */
export function randomQuestion(random: Random, runs: readonly KnownRun[], range: QuestionRange): Question {
  const { now, seededDays, createdBeforeSpanMs, oldest, head } = range;
  const projectIds = [...new Set(runs.map((run) => run.projectId))].sort();
  const workflows = [...new Map(runs.map((run) => [run.workflowId, { id: run.workflowId, name: run.workflowName, projectId: run.projectId }])).values()];
  const member = random.chance(0.3) ? random.subset(projectIds, 0.6) : null;
  const principal: Principal = member ? memberPrincipal('usr_member', 'member', new Map(member.map((projectId) => [projectId, 'VIEWER']))) : ADMIN_PRINCIPAL;
  const readable = member ?? projectIds;
  const readableWorkflows = workflows.filter((workflow) => readable.includes(workflow.projectId));
  const filter: RunFilterSpec = range.askArchived ? { includeArchived: random.chance(0.6) } : {};
  if (random.chance(0.7)) filter.statuses = random.subset(RUN_STATUSES, 0.3);
  if (random.chance(0.2) && readable.length > 0) filter.projectIds = [random.pick(readable)];
  if (random.chance(0.25) && readableWorkflows.length > 0) filter.workflowIds = random.subset(readableWorkflows, 0.3).map((workflow) => workflow.id);
  if (random.chance(0.1) && readableWorkflows.length > 0) filter.workflowNames = [random.pick(readableWorkflows).name];
  if (random.chance(0.3)) filter.triggers = random.subset(RUN_TRIGGERS, 0.5);
  if (random.chance(0.5)) filter.createdAfter = new Date(now - random.int(0, seededDays * DAY + HOUR));
  if (random.chance(0.4)) filter.createdBefore = new Date((filter.createdAfter?.getTime() ?? now - seededDays * DAY) + random.int(1, createdBeforeSpanMs));
  if (random.chance(0.15) && readableWorkflows.length > 0) {
    const name = random.pick(readableWorkflows).name;
    const start = random.int(0, Math.max(0, name.length - 3));
    filter.search = name.slice(start, start + 3).toUpperCase();
  } else if (random.chance(0.1)) {
    const prefix = random.pick(runs).id.slice(0, random.int(7, 14));
    filter.search = random.chance(0.5) ? prefix.toUpperCase() : prefix;
  }
  const atHead = random.chance(0.5);
  return { principal, filter, snapshot: atHead ? head : oldest + BigInt(random.int(0, Number(head - oldest))), firstAtHead: atHead && random.chance(0.5) };
}

/** Every page of the question's answer, forward or backward; `between` runs between two pages. */
export async function pageThrough(
  services: Services,
  question: Question,
  pageSize: number,
  direction: 'forward' | 'backward',
  between?: () => Promise<void>,
): Promise<{ pages: RunPageData[]; ids: string[] }> {
  const pages: RunPageData[] = [];
  let cursor: string | null = null;
  for (;;) {
    const snapshot = cursor === null && question.firstAtHead ? null : question.snapshot.toString();
    const page: RunPageData = await services.history.runsPage(
      question.principal,
      question.filter,
      direction === 'forward' ? { first: pageSize, after: cursor, snapshot } : { last: pageSize, before: cursor, snapshot },
    );
    pages.push(page);
    const more = direction === 'forward' ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage;
    cursor = direction === 'forward' ? page.pageInfo.endCursor : page.pageInfo.startCursor;
    if (!more || cursor === null) break;
    if (pages.length > 1_000) throw new Error('paging does not end');
    await between?.();
  }
  const ordered = direction === 'forward' ? pages : [...pages].reverse();
  return { pages, ids: ordered.flatMap((page) => page.edges.map((edge) => edge.node.id)) };
}
