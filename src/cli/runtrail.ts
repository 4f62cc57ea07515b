import '../production-default.ts';
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { loadConfig, type AppConfig } from '../config.ts';
import { isTerminalRunStatus, isRunStatus } from '../domain/status.ts';
import { commandLinePrincipal } from '../auth/principal.ts';
import { DEFAULT_PROJECT_SLUG } from '../services/bootstrap.service.ts';
import { registerAccessCommands } from './access-commands.ts';
import { registerArchiveCommand } from './archive-command.ts';
import { registerReportCommand } from './report-command.ts';
import { registerServerCommands } from './server-commands.ts';
import { registerImportDaguCommand } from './import-dagu-command.ts';
import { progressBar } from './progress-bar.ts';
import { runningServer } from '../services/server-presence.ts';
import { registerWorkflowFileCommands } from './workflow-file-commands.ts';

function collectParam(value: string, previous: Record<string, string>): Record<string, string> {
  const separator = value.indexOf('=');
  if (separator <= 0) throw new InvalidArgumentError(`"${value}" is not NAME=VALUE`);
  return { ...previous, [value.slice(0, separator)]: value.slice(separator + 1) };
}

function packageVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  if (typeof manifest !== 'object' || manifest === null || !('version' in manifest) || typeof manifest.version !== 'string') throw new Error('package.json has no version');
  return manifest.version;
}

/**
 * The server, loaded only when a command starts it: the UI's and GraphQL's modules take a second
 * to load, which every other command (`runtrail status`, …) would pay for nothing.
 */
async function serve(settings: Readonly<Record<string, string>> = {}): Promise<void> {
  const { exitOnStartFailure, runServer } = await import('../server/run-server.ts');
  await runServer(settings).catch(exitOnStartFailure);
}

function configOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
}

/** `runtrail run FILE`: saves the workflow into the default project, runs it once, prints each step change. */
async function run(file: string, params: Record<string, string>): Promise<number> {
  const config = configOrExit();
  const server = runningServer(config.dataDir);
  if (server) {
    console.error(
      `Warning: a Runtrail server (pid ${server.pid}, ${server.url}) uses the same DATA_DIR ${config.dataDir}. ` +
        `This run executes here, beside it; to run it on the server instead, use \`runtrail start ${file}\`.`,
    );
  }
  const { openRuntime, closeRuntime } = await import('../runtime.ts');
  const runtime = await openRuntime(config, pino({ level: 'warn' }));
  const { services } = runtime;
  try {
    const project = await services.bootstrap.defaultProject();
    if (!project) throw new Error(`The ${DEFAULT_PROJECT_SLUG} project is missing`);
    const absolute = path.resolve(file);
    const loaded = await services.workflows.load({
      projectId: project.id,
      yaml: readFileSync(absolute, 'utf8'),
      source: `file:${absolute}`,
      defaultName: path.basename(absolute).replace(/\.ya?ml$/, ''),
    });
    if (!loaded.ok) {
      console.error(loaded.message);
      return 1;
    }
    let announce: (run: { id: string; stepNames: Map<string, string> }) => void = () => {};
    const started = new Promise<{ id: string; stepNames: Map<string, string> }>((resolve) => (announce = resolve));
    let finalStatus: string | null = null;
    const stream = services.bus.subscribe();
    const following = (async () => {
      for await (const event of stream) {
        // Events that arrive before the run's id is known wait here, in order.
        const run = await started;
        if (event.runId !== run.id) continue;
        const subject = event.kind === 'STEP' ? `step ${run.stepNames.get(event.stepRunId ?? '') ?? '?'}` : 'run';
        console.log(`${event.at.slice(11, 19)}  ${subject.padEnd(30)} ${event.from ?? 'created'} → ${event.to}${event.message ? `  (${event.message})` : ''}`);
        if (event.kind === 'RUN' && isRunStatus(event.to) && isTerminalRunStatus(event.to)) {
          finalStatus = event.to;
          return;
        }
      }
    })();
    await services.engine.start({ recover: false });
    const created = await services.control.start(loaded.workflow, params, 'MANUAL', 'cli');
    const stepNames = new Map((await services.runQueries.steps(commandLinePrincipal(), created.id)).map((step) => [step.id, step.name]));
    console.log(`Run ${created.id} of ${loaded.workflow.name} (logs in ${path.join(config.dataDir, 'logs', created.id)})`);
    announce({ id: created.id, stepNames });
    await following;
    console.log(`Run ${created.id} ${finalStatus ?? 'ended'}`);
    return finalStatus === 'SUCCEEDED' ? 0 : 1;
  } finally {
    await closeRuntime(runtime, 'runtrail run interrupted');
  }
}

async function seed(argv: string[]): Promise<number> {
  const config = configOrExit();
  const { openRuntime, closeRuntime } = await import('../runtime.ts');
  const { runSeedCommand } = await import('../seed/seed-command.ts');
  const runtime = await openRuntime(config, pino({ level: 'warn' }));
  try {
    return await runSeedCommand(argv, {
      database: runtime.database,
      workflows: runtime.services.workflows,
      partitions: runtime.services.partitions,
      defaultLabelsPath: path.join(config.dataDir, 'scenario-labels.json'),
      log: (line) => console.log(line),
      progressBar,
    });
  } finally {
    await closeRuntime(runtime, 'runtrail seed ended');
  }
}

// Positional options: `runtrail archive --project P` and `runtrail archive list --project P` each read their own.
const program = new Command('runtrail')
  .description('Runtrail: workflows with an exact, fast and live status history')
  .version(packageVersion(), '-v, --version', 'print the version')
  .showHelpAfterError()
  .enablePositionalOptions();

registerServerCommands(program, configOrExit, () => serve());

program
  .command('api')
  .description('serve the UI and GraphQL only, executing nothing (beside workers on the same PostgreSQL database)')
  .action(() => serve({ ROLE: 'api' }));

program
  .command('worker')
  .description('execute runs claimed from the database, with no UI; /healthz and /readyz on PORT')
  .option('--labels <k=v,...>', "what workflows' workerSelector matches", '')
  .option('--concurrency <N>', 'runs this worker executes at once (default MAX_ACTIVE_RUNS)')
  .option('--name <name>', 'the executor name its claims go by (default: host and DATA_DIR)')
  .action((options: { labels: string; concurrency?: string; name?: string }) =>
    serve({
      ROLE: 'worker',
      ...(options.labels ? { EXECUTOR_LABELS: options.labels } : {}),
      ...(options.concurrency ? { EXECUTOR_CONCURRENCY: options.concurrency } : {}),
      ...(options.name ? { EXECUTOR_NAME: options.name } : {}),
    }),
  );

program
  .command('run')
  .description('run a workflow file once into the default project, printing status changes; exits 0 only if it succeeds')
  .argument('<file>', 'workflow YAML file')
  .option('-p, --param <NAME=VALUE>', 'override a param (repeatable)', collectParam, {})
  .action(async (file: string, options: { param: Record<string, string> }) => process.exit(await run(file, options.param)));

program
  .command('seed')
  .description('bulk-write realistic historical runs (for trying the product and for benchmarks)')
  .allowUnknownOption()
  .helpOption(false)
  .argument('[options...]', '--runs N [--projects K] [--workflows W] [--days D] [--seed S], or --scenario [--clean] [--labels FILE] ...')
  .action(async (argv: string[]) => process.exit(await seed(argv)));

registerAccessCommands(program, configOrExit);
registerArchiveCommand(program, configOrExit);
registerReportCommand(program, configOrExit);
registerImportDaguCommand(program, configOrExit);
registerWorkflowFileCommands(program);

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
