import { Command } from 'commander';
import { commandLinePrincipal } from '../auth/principal.ts';
import type { AppConfig } from '../config.ts';
import type { ArchiveListing } from '../domain/archive/archive-period.ts';
import type { ArchiveSummary } from '../domain/retention/archive-plan.ts';
import { RUN_STATUSES, TERMINAL_RUN_STATUSES } from '../domain/status.ts';
import { projectIdOf, withRuntime } from './access-commands.ts';
import { progressBar } from './progress-bar.ts';
import type { Principal } from '../auth/principal.ts';
import type { ArchiveService } from '../services/retention/archive.service.ts';

/** On a terminal, a move is counted first (a dry run) so that its progress bar knows the total. */
async function archiveWithProgress(archive: ArchiveService, principal: Principal, projectId: string | null, dryRun: boolean): Promise<ArchiveSummary> {
  if (dryRun || !process.stderr.isTTY) return archive.archiveNow(principal, projectId, dryRun);
  const { total } = await archive.archiveNow(principal, projectId, true);
  const bar = progressBar('archive', total);
  try {
    return await archive.archiveNow(principal, projectId, false, (moved) => bar?.update(moved));
  } finally {
    bar?.stop();
  }
}

/**
 * `runtrail archive --dry-run | --now [--project P]`: what archival moves, per project and status;
 * `runtrail archive list [--project P]` and `runtrail archive restore <id>`: the archived periods.
 */
export function registerArchiveCommand(program: Command, loadConfig: () => AppConfig): void {
  const archive = program
    .command('archive')
    .enablePositionalOptions()
    .description('move runs past their retention policy out of the live store; --dry-run shows exactly what would move, per project and status')
    .option('--dry-run', 'count what would move, and move nothing')
    .option('--now', 'move it now')
    .option('--project <project>', 'one project (slug or id) instead of every project')
    .action((options: { dryRun?: boolean; now?: boolean; project?: string }, command: Command) => {
      if (options.dryRun === options.now) command.error('error: give --dry-run (show what would move) or --now (move it), one of them', { exitCode: 2 });
      return withRuntime(loadConfig, async (services) => {
        const cli = commandLinePrincipal();
        const projectId = options.project ? await projectIdOf(services, options.project) : null;
        const summary = await archiveWithProgress(services.archive, cli, projectId, options.dryRun === true);
        const slugs = new Map((await services.projects.listReadable(cli)).map((project) => [project.id, project.slug]));
        for (const line of archiveSummaryLines(summary, (id) => slugs.get(id) ?? id)) console.log(line);
      })();
    });
  archive
    .command('list')
    .description('the archived periods with their runs, events, size and state (of one project with --project)')
    .option('--project <project>', 'one project (slug or id): its part of each period')
    .action((options: { project?: string }) =>
      withRuntime(loadConfig, async (services) => {
        const projectId = options.project ? await projectIdOf(services, options.project) : null;
        for (const line of archiveListLines(await services.archives.list(commandLinePrincipal(), projectId))) console.log(line);
      })(),
    );
  archive
    .command('restore <id>')
    .description('moves every run of an archived period back into the live store (see `runtrail archive list`)')
    .action((id: string) =>
      withRuntime(loadConfig, async (services) => {
        const restored = await services.archives.restore(commandLinePrincipal(), id);
        console.log(`Restored ${restored.id} (${periodText(restored)}): its runs are in the live store; the scheduled archival leaves them there.`);
      })(),
    );
}

/** The periods as a table: id, the period, state, runs, events and size. */
export function archiveListLines(archives: readonly ArchiveListing[]): string[] {
  if (archives.length === 0) return ['Nothing is archived.'];
  const rows = [
    ['id', 'period', 'state', 'runs', 'events', 'size'],
    ...archives.map((archive) => [archive.id, periodText(archive), archive.state, number(archive.runs), number(archive.events), archive.bytes === null ? '-' : megabytes(archive.bytes)]),
  ];
  const widths = rows[0]?.map((_, index) => Math.max(...rows.map((row) => (row[index] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, index) => (index < 3 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0))).join('  ').trimEnd());
}

function periodText(archive: ArchiveListing): string {
  return `${archive.periodStart.toISOString()} – ${archive.periodEnd.toISOString()}`;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

const number = (value: number) => value.toLocaleString('en-US');

/** The summary as a table: a row per project, a column per finished status, and the total. */
export function archiveSummaryLines(summary: ArchiveSummary, slugOf: (projectId: string) => string): string[] {
  const what = summary.dryRun ? 'would move' : 'moved';
  const head = `Archive ${summary.dryRun ? 'dry run ' : ''}at cut-off ${summary.cutoff.toISOString()}: ${number(summary.total)} run${summary.total === 1 ? '' : 's'} ${what}`;
  const footer = summary.dryRun ? ['Nothing was moved.'] : [];
  if (summary.projects.length === 0) return [head, ...footer];
  const statuses = RUN_STATUSES.filter((status) => TERMINAL_RUN_STATUSES.has(status));
  const rows = [
    ['project', ...statuses, 'total'],
    ...summary.projects.map((project) => [slugOf(project.projectId), ...statuses.map((status) => number(project.byStatus.find((entry) => entry.status === status)?.count ?? 0)), number(project.total)]),
    ['total', ...statuses.map((status) => number(summary.projects.reduce((sum, project) => sum + (project.byStatus.find((entry) => entry.status === status)?.count ?? 0), 0))), number(summary.total)],
  ];
  const widths = rows[0]?.map((_, index) => Math.max(...rows.map((row) => (row[index] ?? '').length))) ?? [];
  const table = rows.map((row) => row.map((cell, index) => (index === 0 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0))).join('  '));
  return [head, ...table, ...footer];
}
