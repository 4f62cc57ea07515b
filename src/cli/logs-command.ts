import type { Command } from 'commander';
import type { RuntrailClient } from '@runtrail/client';
import type { AppConfig } from '../config.ts';
import { againstServer, CommandError, EXIT } from './server-connection.ts';
import { findRun } from './run-commands.ts';
import { StepLogFeed, StepLogQuery } from './server-operations.ts';

const READ_BYTES = 64 * 1024;

/** Writes text line by line with a prefix, keeping a line cut between two chunks whole. */
function prefixer(prefix: string) {
  let partial = '';
  return {
    write(text: string) {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
    },
    end() {
      if (partial !== '') process.stdout.write(`${prefix}${partial}\n`);
      partial = '';
    },
  };
}

async function printLog(client: RuntrailClient, runId: string, step: string, prefix: string): Promise<void> {
  const out = prefixer(prefix);
  let offset = 0;
  for (;;) {
    const { stepLog } = await client.request(StepLogQuery, { runId, step, offset, limit: READ_BYTES });
    out.write(stepLog.content);
    if (stepLog.nextOffset >= stepLog.size || stepLog.nextOffset === offset) break;
    offset = stepLog.nextOffset;
  }
  out.end();
}

/** The step's log as it grows, until the step has finished (the subscription's last chunk says so). */
async function followLog(client: RuntrailClient, runId: string, step: string, prefix: string): Promise<void> {
  const out = prefixer(prefix);
  for await (const { stepLog } of client.subscribe(StepLogFeed, { runId, step, offset: 0 })) {
    out.write(stepLog.content);
    if (stepLog.complete) break;
  }
  out.end();
}

export function registerLogsCommand(program: Command, loadConfig: () => AppConfig): void {
  program
    .command('logs')
    .description("a run's step logs (every step in order, each line prefixed with its step, or one step with --step); --follow prints them as they grow until the steps end")
    .argument('<run>', 'run id, or a workflow name for its latest run')
    .option('--step <name>', 'only this step, its lines unprefixed')
    .option('-f, --follow', 'keep printing as the log grows, until the step has finished')
    .action((reference: string, options: { step?: string; follow?: boolean }) =>
      againstServer(loadConfig, async ({ client }) => {
        const run = await findRun(client, reference);
        const names = run.steps.map((step) => step.name);
        if (options.step !== undefined && !names.includes(options.step)) throw new CommandError(`Run ${run.id} has no step "${options.step}"; its steps: ${names.join(', ')}`);
        const steps = options.step !== undefined ? [options.step] : names;
        const width = Math.max(...steps.map((name) => name.length));
        for (const step of steps) {
          const prefix = options.step !== undefined ? '' : `${step.padEnd(width)} | `;
          if (options.follow) await followLog(client, run.id, step, prefix);
          else await printLog(client, run.id, step, prefix);
        }
        return EXIT.ok;
      })(),
    );
}
