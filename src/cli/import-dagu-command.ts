import type { Command } from 'commander';
import pino from 'pino';
import type { AppConfig } from '../config.ts';
import { AppError } from '../domain/errors.ts';
import { DEFAULT_PROJECT_SLUG } from '../services/bootstrap.service.ts';
import { runningServer } from '../services/server-presence.ts';
import type { DaguImportResult } from '../seed/dagu-import.ts';
import { counted, progressBar, type ProgressBar } from './progress-bar.ts';

const SHOWN_SKIPS = 10;

export function importSummaryLines(result: DaguImportResult, project: string): string[] {
  const lines = [`Found ${counted(result.found, 'Dagu run')}: imported ${result.imported} into project ${project}, ${result.alreadyThere} imported before`];
  for (const [dag, count] of result.withoutWorkflow) {
    lines.push(`  ${counted(count, 'run')} of DAG "${dag}" left out: project ${project} has no workflow "${dag}"; load its file (WORKFLOWS_DIR or \`runtrail start FILE\`) and import again`);
  }
  if (result.triggerNotRecorded > 0) lines.push(`  ${counted(result.triggerNotRecorded, 'run')} imported as MANUAL: this Dagu version did not record what started them`);
  if (result.subDagRuns > 0) lines.push(`  ${counted(result.subDagRuns, 'sub-DAG run')} (children/ of a run) left out: their parent runs are imported, with the steps that called them`);
  if (result.skipped.length > 0) {
    lines.push(`  ${counted(result.skipped.length, 'record')} left out:`);
    for (const reason of result.skipped.slice(0, SHOWN_SKIPS)) lines.push(`    ${reason}`);
    if (result.skipped.length > SHOWN_SKIPS) lines.push(`    … and ${result.skipped.length - SHOWN_SKIPS} more`);
  }
  return lines;
}

/** `runtrail import-dagu DIR [--project P]`: Dagu's past runs as finished runs here (see src/seed/dagu-import.ts). */
export function registerImportDaguCommand(program: Command, loadConfig: () => AppConfig): void {
  program
    .command('import-dagu')
    .description("import Dagu's past runs from its data directory as finished runs of the workflows of the same name; importing again adds nothing twice")
    .argument('<dagu-data-dir>', "Dagu's data directory (paths.dataDir; ~/.local/share/dagu/data by default)")
    .option('--project <slug>', 'the project whose workflows the runs belong to', DEFAULT_PROJECT_SLUG)
    .action(async (dataDir: string, options: { project: string }) => {
      const config = loadConfig();
      const server = runningServer(config.dataDir);
      if (server) {
        console.error(`Warning: a Runtrail server (pid ${server.pid}, ${server.url}) uses this DATA_DIR; a run it records during the import stops the import with a CONFLICT (run it again to go on)`);
      }
      // Loaded when the command runs, not when the CLI starts (see withRuntime).
      const { openRuntime, closeRuntime } = await import('../runtime.ts');
      const { importDaguHistory } = await import('../seed/dagu-import.ts');
      const runtime = await openRuntime(config, pino({ level: 'warn' }));
      let code = 0;
      // Made at the first batch, when the number of runs to write is known.
      const progress: { bar: ProgressBar | null } = { bar: null };
      try {
        const result = await importDaguHistory(
          { db: runtime.database.db, writer: runtime.database.writer, partitions: runtime.services.partitions },
          { dataDir, projectSlug: options.project, onProgress: (done, total) => (progress.bar ??= progressBar('import', total))?.update(done, total) },
        );
        progress.bar?.stop();
        for (const line of importSummaryLines(result, options.project)) console.log(line);
      } catch (error) {
        progress.bar?.stop();
        if (!(error instanceof AppError)) throw error;
        console.error(`${error.code}: ${error.message}`);
        code = error.code === 'BAD_USER_INPUT' ? 2 : 1;
      } finally {
        await closeRuntime(runtime, 'runtrail import-dagu ended');
      }
      process.exit(code);
    });
}
