import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { commandLinePrincipal } from '../auth/principal.ts';
import type { AppConfig } from '../config.ts';
import { REPORT_FORMATS, type ReportFormat } from '../domain/reports/report-content.ts';
import { withRuntime } from './access-commands.ts';

/**
 * `runtrail report run <definition> [--period YYYY-MM-DD] [--format json|csv|html|pdf] [--out file]`:
 * the report of a period (generated now unless it exists, and kept as any report is), printed or written.
 */
export function registerReportCommand(program: Command, loadConfig: () => AppConfig): void {
  const report = program.command('report').description('scheduled status reports');
  report
    .command('run <definition>')
    .description('generates the report of a definition (id or name) for a period, or answers the one kept, and prints or writes it')
    .option('--period <YYYY-MM-DD>', 'a local date inside the day, week or month to report (default: the period of the latest fire)')
    .option('--format <format>', 'json, csv, html or pdf', 'json')
    .option('--out <file>', 'write the report to this file instead of printing it')
    .action((definition: string, options: { period?: string; format: string; out?: string }, command: Command) => {
      const format = REPORT_FORMATS.find((known) => known === options.format.toUpperCase());
      if (!format) command.error(`error: --format is "${options.format}"; give one of ${REPORT_FORMATS.map((known) => known.toLowerCase()).join(', ')}`, { exitCode: 2 });
      return withRuntime(loadConfig, async (services) => {
        const cli = commandLinePrincipal();
        const found = await services.reportDefinitions.findByIdOrName(cli, definition);
        const generated = await services.reports.runNow(cli, found.id, options.period ?? null);
        const rendered = await services.reports.file(cli, generated.id, format satisfies ReportFormat);
        if (options.out) {
          writeFileSync(options.out, rendered.bytes);
          console.error(`Report ${generated.id} (${generated.state}, ${generated.total} runs, ${generated.periodStart.toISOString()} – ${generated.periodEnd.toISOString()}) written to ${options.out}`);
        } else {
          // Written whole before the command exits, also into a pipe.
          await new Promise<void>((resolve, reject) => process.stdout.write(rendered.bytes, (error) => (error ? reject(error) : resolve())));
        }
      })();
    });
}
