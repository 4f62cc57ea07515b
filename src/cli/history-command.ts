import { Command, InvalidArgumentError, Option } from 'commander';
import { MAX_PAGE_SIZE, type RunFilter, type RunStatus, type RunSummary, type RuntrailClient } from '@runtrail/client';
import type { AppConfig } from '../config.ts';
import { RUN_STATUSES, isRunStatus } from '../domain/status.ts';
import { againstServer, EXIT } from './server-connection.ts';
import { counted, progressBar } from './progress-bar.ts';

/** Dagu's status words that are spelled differently here. */
const DAGU_STATUS_WORDS: Readonly<Record<string, RunStatus>> = { SUCCESS: 'SUCCEEDED', CANCELLED: 'ABORTED', CANCELED: 'ABORTED', PARTIAL_SUCCESS: 'PARTIALLY_SUCCEEDED', ERROR: 'FAILED' };

export function parseStatuses(value: string): RunStatus[] {
  return value.split(',').map((word) => {
    const upper = word.trim().toUpperCase().replace(/-/g, '_');
    const status = DAGU_STATUS_WORDS[upper] ?? upper;
    if (!isRunStatus(status)) throw new InvalidArgumentError(`"${word}" is not a run status; choose from ${RUN_STATUSES.join(', ')} (lower case works too)`);
    return status;
  });
}

/** A date (YYYY-MM-DD, UTC midnight) or an ISO date-time; `endOfDay` makes a bare date mean the day after it begins (for the exclusive --to). */
export function parseMoment(value: string, endOfDay: boolean): Date {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const at = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(at.getTime())) throw new InvalidArgumentError(`"${value}" is not a date (YYYY-MM-DD) or an ISO 8601 date-time such as 2026-12-07T10:00:00Z`);
  return dateOnly && endOfDay ? new Date(at.getTime() + 86_400_000) : at;
}

function positive(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError(`"${value}" is not a whole number of at least 1`);
  return parsed;
}

interface HistoryOptions {
  status?: RunStatus[];
  from?: Date;
  to?: Date;
  workflow?: string[];
  format: 'table' | 'json';
  limit?: number;
  archived?: boolean;
  pageSize: number;
}

function tableRow(run: RunSummary): string {
  const took = run.durationMs === null ? '-' : `${(run.durationMs / 1000).toFixed(1)}s`;
  return [run.id.padEnd(30), run.workflow.name.slice(0, 30).padEnd(30), run.status.padEnd(19), run.trigger.padEnd(9), run.createdAt.replace('T', ' ').slice(0, 19), took.padStart(9), run.error ? ` ${run.error.split('\n')[0]}` : ''].join(' ').trimEnd();
}

/**
 * Every run the filter selects, newest first, written as it is paged (memory stays one page),
 * with the exact counts of the snapshot the paging is fixed at.
 */
async function history(client: RuntrailClient, options: HistoryOptions): Promise<number> {
  const filter: RunFilter = {
    ...(options.status ? { statuses: options.status } : {}),
    ...(options.from ? { createdAfter: options.from.toISOString() } : {}),
    ...(options.to ? { createdBefore: options.to.toISOString() } : {}),
    ...(options.workflow ? { workflowNames: options.workflow } : {}),
    includeArchived: options.archived ?? false,
  };
  const pages = client.runs(filter, { pageSize: options.pageSize });
  const summary = await pages.summary();
  const shown = Math.min(summary.totalCount, options.limit ?? Infinity);
  const counts = summary.statusCounts.filter((each) => each.count > 0);
  // An export (stdout to a file or a pipe) shows its progress; rows printed on the terminal show themselves.
  const bar = process.stdout.isTTY ? null : progressBar('history', shown);
  let written = 0;
  const out = (text: string) => process.stdout.write(text);
  if (options.format === 'json') {
    out(`{"snapshot":${JSON.stringify(summary.snapshot)},"totalCount":${summary.totalCount},"statusCounts":${JSON.stringify(Object.fromEntries(counts.map((each) => [each.status, each.count])))},"runs":[`);
  } else {
    out(`${counted(summary.totalCount, 'run')}${counts.length > 0 ? ` (${counts.map((each) => `${each.status} ${each.count}`).join(', ')})` : ''}, as of snapshot ${summary.snapshot}${shown < summary.totalCount ? `; the newest ${shown} shown` : ''}\n`);
    if (shown > 0) out(`${['RUN'.padEnd(30), 'WORKFLOW'.padEnd(30), 'STATUS'.padEnd(19), 'TRIGGER'.padEnd(9), 'CREATED (UTC)'.padEnd(19), 'DURATION'.padStart(9)].join(' ')}\n`);
  }
  for await (const run of pages) {
    if (written >= shown) break;
    if (options.format === 'json') out(`${written > 0 ? ',' : ''}\n${JSON.stringify(run)}`);
    else out(`${tableRow(run)}\n`);
    written += 1;
    bar?.update(written);
  }
  if (options.format === 'json') out('\n]}\n');
  bar?.stop();
  return EXIT.ok;
}

export function registerHistoryCommand(program: Command, loadConfig: () => AppConfig): void {
  program
    .command('history')
    .description('past runs, newest first, with exact counts by status (paged at one snapshot, streamed)')
    .option('--status <s1,s2>', 'only these statuses (succeeded, failed, aborted, running, queued, …)', parseStatuses)
    .option('--from <date>', 'created at or after (YYYY-MM-DD or ISO date-time)', (value: string) => parseMoment(value, false))
    .option('--to <date>', 'created before (a bare date includes that whole day)', (value: string) => parseMoment(value, true))
    .option('--workflow <name>', 'only runs of this workflow (repeatable)', (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .option('--limit <n>', 'at most this many runs (the counts stay those of the whole filter)', positive)
    .option('--archived', 'include runs moved to the archive')
    .option('--page-size <n>', `runs per request, 1 to ${MAX_PAGE_SIZE}`, (value: string) => {
      const size = positive(value);
      if (size > MAX_PAGE_SIZE) throw new InvalidArgumentError(`at most ${MAX_PAGE_SIZE}`);
      return size;
    }, MAX_PAGE_SIZE)
    .addOption(new Option('--format <format>', 'table for people, json for scripts').choices(['table', 'json']).default('table'))
    .action((options: HistoryOptions) => againstServer(loadConfig, ({ client }) => history(client, options))());
}
