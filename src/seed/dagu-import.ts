import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/client.ts';
import type { WriteConnection } from '../db/write-connection.ts';
import { AppError } from '../domain/errors.ts';
import type { HistoryPartitionService } from '../services/history-partition.service.ts';
import { importedId, readDaguStatus, type DaguRun } from './dagu-history.ts';
import type { SeedRun } from './history-plan.ts';
import { HistoryWriter, type PendingRun } from './history-writer.ts';

const BATCH_RUNS = 1_000;

export interface DaguImportOptions {
  /** Dagu's data directory (its `paths.dataDir`, `~/.local/share/dagu/data` by default). */
  dataDir: string;
  projectSlug: string;
  onProgress?: (done: number, total: number) => void;
}

export interface DaguImportResult {
  found: number;
  imported: number;
  /** Already imported by an earlier run of the import. */
  alreadyThere: number;
  /** Runs of DAGs with no workflow of that name in the project, by DAG name. */
  withoutWorkflow: Map<string, number>;
  /** Runs imported as MANUAL because Dagu did not record what started them. */
  triggerNotRecorded: number;
  /** Why each other record was left out (active in Dagu, never started, unreadable). */
  skipped: string[];
  /** Sub-DAG runs (under a run's children/ directory): left out, see the README. */
  subDagRuns: number;
}

interface StatusFile {
  file: string;
  /** The time in the run directory's or the file's name, for records that hold no creation time. */
  namedAt: number | null;
}

function directories(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

function compactTime(value: string): number | null {
  const match = /^(\d{4})(\d{2})(\d{2})[_.](\d{2}):?(\d{2}):?(\d{2})/.exec(value);
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match;
  return Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
}

/**
 * Every status file of a finished or unfinished Dagu run under `dataDir`: the latest visible
 * attempt of each `dag-run_*` directory (an attempt hidden with a leading dot was dequeued), and
 * every `*.dat` file of the older layout. Counts the sub-DAG runs it leaves out.
 */
function statusFiles(dataDir: string): { files: StatusFile[]; subDagRuns: number } {
  const files: StatusFile[] = [];
  let subDagRuns = 0;
  const walk = (dir: string, depth: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isFile() && entry.name.endsWith('.dat')) {
        files.push({ file: full, namedAt: compactTime(entry.name.split('.').slice(-4, -2).join('.')) });
      } else if (entry.isDirectory() && entry.name.startsWith('dag-run_')) {
        const attempts = directories(full).filter((name) => name.startsWith('attempt_'));
        const latest = attempts.at(-1);
        if (latest && existsSync(path.join(full, latest, 'status.jsonl'))) files.push({ file: path.join(full, latest, 'status.jsonl'), namedAt: compactTime(entry.name.slice('dag-run_'.length)) });
        const children = path.join(full, 'children');
        if (existsSync(children)) subDagRuns += directories(children).length;
      } else if (entry.isDirectory() && depth < 6 && !entry.name.startsWith('.')) {
        walk(full, depth + 1);
      }
    }
  };
  walk(dataDir, 0);
  return { files, subDagRuns };
}

// A status line holds every step of its run: a few KiB, a few MiB for the largest DAGs.
const STATUS_TAIL_BYTES = 16 * 1024 * 1024;

/**
 * The last complete JSON line: Dagu appends a line per change and compacts the file to the last
 * one when the run ends. Only the file's last STATUS_TAIL_BYTES are read, so a status file that
 * was never compacted costs no more memory than its last records.
 */
function lastRecord(file: string): unknown {
  const lines = fileTail(file, STATUS_TAIL_BYTES).split('\n').filter((line) => line.trim() !== '');
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    try {
      return JSON.parse(lines[index] ?? '');
    } catch {
      // A line cut short by a crash: the one before it is the last whole record.
    }
  }
  return null;
}

function fileTail(file: string, bytes: number): string {
  const descriptor = openSync(file, 'r');
  try {
    const size = statSync(file).size;
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    readSync(descriptor, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    closeSync(descriptor);
  }
}

/**
 * `runtrail import-dagu`: Dagu's past runs as finished runs of the workflows of the same name,
 * with their steps, statuses and times, written by the seeder's HistoryWriter (runs, steps,
 * events and the hour/day/project rollups in one transaction per batch, the event counter moved
 * with it). Each run's id is derived from Dagu's run id, so importing again adds nothing twice.
 */
export async function importDaguHistory(deps: { db: Db; writer: WriteConnection; partitions: HistoryPartitionService | null }, options: DaguImportOptions): Promise<DaguImportResult> {
  if (!existsSync(options.dataDir) || !statSync(options.dataDir).isDirectory()) {
    throw new AppError('BAD_USER_INPUT', `${options.dataDir} is not a directory: give Dagu's data directory (paths.dataDir in its config, ~/.local/share/dagu/data by default)`);
  }
  const project = await deps.db.project.findUnique({ where: { slug: options.projectSlug } });
  if (!project) throw new AppError('NOT_FOUND', `There is no project "${options.projectSlug}" (\`runtrail project list\` shows them)`);
  const workflows = new Map((await deps.db.workflow.findMany({ where: { projectId: project.id, deletedAt: null }, select: { id: true, name: true } })).map((workflow) => [workflow.name, workflow.id]));

  const { files, subDagRuns } = statusFiles(options.dataDir);
  const result: DaguImportResult = { found: files.length, imported: 0, alreadyThere: 0, withoutWorkflow: new Map(), triggerNotRecorded: 0, skipped: [], subDagRuns };
  const runs: { run: DaguRun; workflowId: string }[] = [];
  const seen = new Set<string>();
  for (const { file, namedAt } of files) {
    let read;
    try {
      read = readDaguStatus(lastRecord(file), file, namedAt);
    } catch (error) {
      result.skipped.push(error instanceof Error ? error.message : String(error));
      continue;
    }
    if (read.kind === 'skipped') {
      result.skipped.push(read.reason);
      continue;
    }
    const { run } = read;
    // The older layout kept one file per attempt of a retried run: the latest one stands.
    if (seen.has(run.daguRunId)) continue;
    seen.add(run.daguRunId);
    const workflowId = workflows.get(run.dagName);
    if (workflowId === undefined) {
      result.withoutWorkflow.set(run.dagName, (result.withoutWorkflow.get(run.dagName) ?? 0) + 1);
      continue;
    }
    runs.push({ run, workflowId });
  }
  runs.sort((a, b) => a.run.createdAt - b.run.createdAt);
  const first = runs[0];
  const last = runs.at(-1);
  if (first && last) await deps.partitions?.ensurePartitions(new Date(first.run.createdAt), new Date(last.run.createdAt + 1));

  const writer = new HistoryWriter(deps);
  for (let offset = 0; offset < runs.length; offset += BATCH_RUNS) {
    const batch = runs.slice(offset, offset + BATCH_RUNS).map(({ run, workflowId }, index): SeedRun => ({
      ...run,
      ordinal: offset + index,
      id: importedId('run', run.createdAt, `dagu:${run.daguRunId}`),
      projectId: project.id,
      workflowId,
      // Dagu's run ran no Runtrail version of the workflow.
      versionId: null,
      attempt: 1,
      retryOfId: null,
      durationMs: run.startedAt === null ? null : run.finishedAt - run.startedAt,
      stepIds: run.steps.map((step) => importedId('step', run.createdAt, `dagu:${run.daguRunId}:${step.name}`)),
    }));
    const existing = new Set((await deps.db.run.findMany({ where: { id: { in: batch.map((run) => run.id) } }, select: { id: true } })).map((run) => run.id));
    const fresh = batch.filter((run) => !existing.has(run.id));
    result.alreadyThere += batch.length - fresh.length;
    if (fresh.length > 0) {
      const head = await writer.readHead();
      let seq = head.seq;
      const pending: PendingRun[] = fresh.map((run) => ({ run, numbered: run.events.length, seqs: run.events.map(() => (seq += 1)) }));
      await writer.write(pending, { expected: head.counter, value: seq });
      result.imported += fresh.length;
      result.triggerNotRecorded += fresh.filter((run) => !runs[run.ordinal]?.run.triggerRecorded).length;
    }
    options.onProgress?.(Math.min(offset + BATCH_RUNS, runs.length), runs.length);
  }
  return result;
}
