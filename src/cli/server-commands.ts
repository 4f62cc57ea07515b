import { existsSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { ConflictError, type RuntrailClient } from '@runtrail/client';
import type { AppConfig } from '../config.ts';
import { isRunStatus, isTerminalRunStatus } from '../domain/status.ts';
import { againstServer, CommandError, EXIT } from './server-connection.ts';
import { dagParams, exitCodeOf, findRun, followRun, printRun, settled, workflowToTrigger } from './run-commands.ts';
import { registerHistoryCommand } from './history-command.ts';
import { registerLogsCommand } from './logs-command.ts';

/** What `runtrail example` writes: a workflow that shows the everyday keys, valid as it is. */
export const EXAMPLE_WORKFLOW = `# An example workflow: start it with \`runtrail start example.yaml\` (a server must run),
# or run it once without a server with \`runtrail run example.yaml\`.
name: example
description: Fetch, transform and report, with a param, a step output and a retried step.

# Named params with defaults; override them with \`runtrail start example.yaml -- DAY=2026-12-01\`.
params:
  DAY: today

steps:
  - name: fetch
    command: echo "rows for \${DAY}"
    # The trimmed stdout becomes \${ROWS} for the steps after it.
    output: ROWS

  - name: transform
    depends: fetch
    command: echo "transforming \${ROWS}"
    retryPolicy:
      limit: 2
      intervalSec: 1

  - name: report
    depends: transform
    command: echo "report for \${DAY} is ready"
`;

interface TriggerOptions {
  project?: string;
  detach?: boolean;
}

async function trigger(client: RuntrailClient, reference: string, words: string[], options: TriggerOptions, follow: boolean): Promise<number> {
  const workflow = await workflowToTrigger(client, reference, options.project);
  const head = await client.headSnapshot();
  const run = await client.triggerRun({ workflowId: workflow.id, params: dagParams(words) });
  console.log(`Run ${run.id} of ${workflow.name} ${follow ? 'started' : 'queued'}`);
  if (!follow) return EXIT.ok;
  const ended = await followRun(client, run.id, workflow.id, head);
  await printRun(client, ended);
  return exitCodeOf(ended.status);
}

/** Cancels the run and waits until it has ended; a run that ended already is left as it is. */
async function stopRun(client: RuntrailClient, runId: string): Promise<void> {
  try {
    await client.cancelRun({ id: runId });
  } catch (error) {
    // The run ended between reading and cancelling it: there is nothing left to stop.
    if (!(error instanceof ConflictError)) throw error;
  }
  await settled(client, runId);
}

function isActive(status: string): boolean {
  return !(isRunStatus(status) && isTerminalRunStatus(status));
}

/** Registers `server` (with `start` without arguments as its alias) and the commands that act on a running server's runs. */
export function registerServerCommands(program: Command, loadConfig: () => AppConfig, runServer: () => void): void {
  program
    .command('server')
    .description('start the server (UI, GraphQL, scheduler and engine), as `npm start` does')
    .action(runServer);

  const withServer = (command: (client: RuntrailClient) => Promise<number>) => againstServer(loadConfig, ({ client }) => command(client))();

  program
    .command('start')
    .description(
      'start a run of a workflow (name or id) or of a workflow file (saved into the default project, or --project, first) and follow it to its end; ' +
        'params after `--` as NAME=VALUE or positional. Without arguments: starts the server (the same as `runtrail server`)',
    )
    .argument('[workflow]', 'workflow name or id, or a YAML file')
    .argument('[params...]', 'after --: NAME=VALUE (named) or VALUE (positional, $1, $2, …)')
    .option('--project <slug>', 'the project of the workflow (or where a file is saved)')
    .option('-d, --detach', 'print the run id and return without following the run')
    .action((reference: string | undefined, words: string[], options: TriggerOptions) => {
      if (reference === undefined) return runServer();
      return withServer((client) => trigger(client, reference, words, options, !options.detach));
    });

  program
    .command('enqueue')
    .description('queue a run of a workflow or a workflow file without waiting for it; prints the run id')
    .argument('<workflow>', 'workflow name or id, or a YAML file')
    .argument('[params...]', 'after --: NAME=VALUE or positional values')
    .option('--project <slug>', 'the project of the workflow (or where a file is saved)')
    .action((reference: string, words: string[], options: TriggerOptions) => withServer((client) => trigger(client, reference, words, options, false)));

  program
    .command('dequeue')
    .description('remove a queued run from the queue (it ends ABORTED)')
    .argument('<run>', 'run id')
    .action((reference: string) =>
      withServer(async (client) => {
        const run = await findRun(client, reference);
        if (run.status !== 'QUEUED') throw new CommandError(`Run ${run.id} is ${run.status}, not QUEUED: ${isActive(run.status) ? `stop it with \`runtrail stop ${run.id}\`` : 'it has ended already'}`);
        await stopRun(client, run.id);
        console.log(`Run ${run.id} removed from the queue`);
        return EXIT.ok;
      }),
    );

  program
    .command('status')
    .description("a run's status, each step's status, and why it failed (the step's error and the end of its log); exit 0 if it succeeded, 1 if not")
    .argument('<run>', 'run id, or a workflow name for its latest run')
    .action((reference: string) =>
      withServer(async (client) => {
        const run = await findRun(client, reference);
        await printRun(client, run);
        return isActive(run.status) ? EXIT.ok : exitCodeOf(run.status);
      }),
    );

  program
    .command('stop')
    .description('stop a running (or queued) run and wait until it has ended')
    .argument('<run>', 'run id, or a workflow name for its latest run')
    .action((reference: string) =>
      withServer(async (client) => {
        const run = await findRun(client, reference);
        if (!isActive(run.status)) throw new CommandError(`Run ${run.id} is not running: it ended ${run.status}`);
        await stopRun(client, run.id);
        console.log(`Run ${run.id} stopped`);
        return EXIT.ok;
      }),
    );

  program
    .command('retry')
    .description('retry a finished run as a new run with the same params: the steps that succeeded upstream of every failure are kept, the rest run again')
    .argument('<run>', 'run id, or a workflow name for its latest run')
    .option('--step <name>', 'rerun this step and the steps after it too, even if they succeeded (Dagu retry --step)')
    .option('-d, --detach', 'print the new run id and return without following it')
    .action((reference: string, options: { step?: string; detach?: boolean }) =>
      withServer(async (client) => {
        const original = await findRun(client, reference);
        const head = await client.headSnapshot();
        const run = await client.retryRun({ id: original.id, fromFailedStep: true, fromStep: options.step ?? null });
        console.log(`Run ${run.id} retries ${original.id}`);
        if (options.detach) return EXIT.ok;
        const ended = await followRun(client, run.id, original.workflow.id, head);
        await printRun(client, ended);
        return exitCodeOf(ended.status);
      }),
    );

  program
    .command('restart')
    .description('stop the run if it is still running, then start its workflow again with the same params, as a new run')
    .argument('<run>', 'run id, or a workflow name for its latest run')
    .option('-d, --detach', 'print the new run id and return without following it')
    .action((reference: string, options: { detach?: boolean }) =>
      withServer(async (client) => {
        const original = await findRun(client, reference);
        if (isActive(original.status)) {
          await stopRun(client, original.id);
          console.log(`Run ${original.id} stopped`);
        }
        const head = await client.headSnapshot();
        const run = await client.triggerRun({ workflowId: original.workflow.id, params: original.params });
        console.log(`Run ${run.id} restarts ${original.id}`);
        if (options.detach) return EXIT.ok;
        const ended = await followRun(client, run.id, original.workflow.id, head);
        await printRun(client, ended);
        return exitCodeOf(ended.status);
      }),
    );

  registerHistoryCommand(program, loadConfig);
  registerLogsCommand(program, loadConfig);

  program
    .command('example')
    .description('print an example workflow to start from, or write it to FILE')
    .argument('[file]', 'where to write it (refused when the file exists)')
    .addOption(new Option('--force', 'overwrite FILE when it exists'))
    .action((file: string | undefined, options: { force?: boolean }) => {
      if (file === undefined) {
        process.stdout.write(EXAMPLE_WORKFLOW);
        return;
      }
      if (existsSync(file) && !options.force) {
        console.error(`${file} exists; choose another name or pass --force to overwrite it`);
        process.exit(EXIT.usage);
      }
      writeFileSync(file, EXAMPLE_WORKFLOW);
      console.error(`Wrote ${file}; start it with \`runtrail start ${file}\` or \`runtrail run ${file}\``);
    });
}
