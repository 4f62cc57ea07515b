import type { Database } from '../db/client.ts';
import type { WorkflowService } from '../services/workflow.service.ts';
import type { HistoryPartitionService } from '../services/history-partition.service.ts';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HistorySeeder, MAX_SEED, SEED_DEFAULTS, type ScenarioSeedResult, type SeedProgress } from './history-seeder.ts';
import { DEFAULT_SCENARIO_OPTIONS } from './scenario/labelled-scenario.ts';
import { count, summaryLines } from './seed-summary.ts';

export const SEED_USAGE = 'usage: runtrail seed --runs N [--projects K] [--workflows W] [--days D] [--seed S]\n       runtrail seed --scenario [--projects K] [--workflows W] [--days D] [--seed S] [--clean] [--labels FILE]';

/**
 * A scenario big enough to learn from and small enough to hold in memory while it is written:
 * it is generated whole, about 220 runs per workflow and day, so the largest is about a million
 * runs (some 500 MB).
 */
export const SCENARIO_LIMITS = { projects: 5, workflowsPerProject: 10, minDays: DEFAULT_SCENARIO_OPTIONS.learningDays + 7, maxDays: 90 } as const;

export const SEED_HELP = [
  SEED_USAGE,
  '',
  'Writes N plausible historical runs, with their steps, status events and rollups, into the',
  'configured database, in the projects seed-1 … seed-K (their workflows are saved disabled).',
  "Volume follows each workflow's schedule with an hour-of-day and day-of-week rhythm; failures",
  'come in streaks, and one or two workflows are flaky; only the runs still going at the end are',
  'active. The same options and seed give the same history. Seed a database nothing else writes to.',
  'On PostgreSQL the rows go in by COPY; into empty run tables (a fresh database) the seeding is one',
  'transaction that builds their indexes at the end: nothing shows, and readers of runs wait, until it ends.',
  '',
  '  --runs N        runs to write (required)',
  `  --projects K    projects seed-1 … seed-K, 1 to 1000 (default ${SEED_DEFAULTS.projects})`,
  `  --workflows W   workflows per project, 1 to 1000 (default ${SEED_DEFAULTS.workflowsPerProject})`,
  `  --days D        the history covers the D days up to now (default ${SEED_DEFAULTS.days})`,
  `  --seed S        0 to ${MAX_SEED} (default ${SEED_DEFAULTS.seed})`,
  '  -h, --help      this help',
  '',
  'With --scenario, writes a labelled history for the insight detectors instead: K projects',
  `scenario-1 … scenario-K (default ${DEFAULT_SCENARIO_OPTIONS.projects}, at most ${SCENARIO_LIMITS.projects}) of W workflows each (default ${DEFAULT_SCENARIO_OPTIONS.workflowsPerProject}, at most ${SCENARIO_LIMITS.workflowsPerProject}), D days up to today's`,
  `UTC midnight (default ${DEFAULT_SCENARIO_OPTIONS.days}, ${SCENARIO_LIMITS.minDays} to ${SCENARIO_LIMITS.maxDays}), with seasonal volume, log-normal step durations and injected anomalies`,
  `after the first ${DEFAULT_SCENARIO_OPTIONS.learningDays} days: duration spikes, failure bursts, level shifts, volume drops, missed schedules, flaky`,
  'workflows and outages shared across projects. Its volume follows the scenario (no --runs).',
  '  --clean         inject nothing (flaky workflows stay flaky): a history with no anomaly to find',
  '  --labels FILE   where the ground truth goes, as JSON (default DATA_DIR/scenario-labels.json);',
  '                  the server never reads it',
].join('\n');

const DAY_MS = 24 * 60 * 60 * 1000;
const PROGRESS_EVERY_MS = 1_000;

interface SeedArguments {
  runs?: number;
  projects?: number;
  workflows?: number;
  days?: number;
  seed?: number;
}

interface ScenarioArguments extends Omit<SeedArguments, 'runs'> {
  clean: boolean;
  labels: string | null;
}

type Parsed = { kind: 'seed'; args: SeedArguments & { runs: number } } | { kind: 'scenario'; args: ScenarioArguments } | { kind: 'invalid'; message: string } | { kind: 'help' };

const OPTIONS: Record<string, { key: keyof SeedArguments; min: number; max: number; what: string }> = {
  '--runs': { key: 'runs', min: 1, max: Number.MAX_SAFE_INTEGER, what: 'a positive whole number' },
  '--projects': { key: 'projects', min: 1, max: 1_000, what: 'a whole number from 1 to 1000' },
  '--workflows': { key: 'workflows', min: 1, max: 1_000, what: 'a whole number from 1 to 1000' },
  '--days': { key: 'days', min: 1, max: 36_500, what: 'a positive whole number of days' },
  '--seed': { key: 'seed', min: 0, max: MAX_SEED, what: `a whole number from 0 to ${MAX_SEED}` },
};

/**
 * `runtrail seed`: writes plausible history into the configured database, printing progress
 * at most once a second and a one-screen summary ending with the totals. Returns the exit code: 0 done, 2 bad arguments, 1 failed.
 */
export async function runSeedCommand(argv: string[], deps: SeedCommandDeps): Promise<number> {
  const parsed = parseSeedArguments(argv);
  if (parsed.kind === 'help') {
    deps.log(SEED_HELP);
    return 0;
  }
  if (parsed.kind === 'invalid') {
    deps.log(`runtrail seed: ${parsed.message}`);
    deps.log(SEED_USAGE);
    return 2;
  }
  if (parsed.kind === 'scenario') return seedScenario(parsed.args, deps);
  const { args } = parsed;
  const seeder = new HistorySeeder({ db: deps.database.db, writer: deps.database.writer, workflows: deps.workflows, partitions: deps.partitions });
  const progress = progressReporter(deps);
  const to = new Date();
  try {
    const result = await seeder.seed({
      runs: args.runs,
      projects: args.projects,
      workflowsPerProject: args.workflows,
      from: args.days === undefined ? undefined : new Date(to.getTime() - args.days * DAY_MS),
      to,
      seed: args.seed,
      onProgress: progress.onProgress,
    });
    progress.stop();
    for (const line of summaryLines(result)) deps.log(line);
    deps.log(seededLine(result));
    return 0;
  } catch (error) {
    progress.stop();
    deps.log(`runtrail seed failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

export interface SeedCommandDeps {
  database: Database;
  workflows: WorkflowService;
  partitions: HistoryPartitionService | null;
  /** Where a scenario's labels go unless --labels says. */
  defaultLabelsPath: string;
  log: (line: string) => void;
  /** A progress bar of `total` runs, or null where none is drawn (stderr is no terminal): progress lines are logged then. */
  progressBar?: (label: string, total: number) => { update(done: number, total?: number): void; stop(): void } | null;
}

async function seedScenario(args: ScenarioArguments, deps: SeedCommandDeps): Promise<number> {
  const days = args.days ?? DEFAULT_SCENARIO_OPTIONS.days;
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const labelsPath = path.resolve(args.labels ?? deps.defaultLabelsPath);
  const seeder = new HistorySeeder({ db: deps.database.db, writer: deps.database.writer, workflows: deps.workflows, partitions: deps.partitions });
  const progress = progressReporter(deps);
  try {
    const result = await seeder.seedScenario({
      scenario: {
        ...DEFAULT_SCENARIO_OPTIONS,
        seed: args.seed ?? DEFAULT_SCENARIO_OPTIONS.seed,
        projects: args.projects ?? DEFAULT_SCENARIO_OPTIONS.projects,
        workflowsPerProject: args.workflows ?? DEFAULT_SCENARIO_OPTIONS.workflowsPerProject,
        days,
        start: today - days * DAY_MS,
        clean: args.clean,
      },
      onProgress: progress.onProgress,
    });
    progress.stop();
    await writeLabels(labelsPath, result);
    for (const line of summaryLines(result)) deps.log(line);
    deps.log(`labels    ${result.labels.length} injected anomalies and traits written to ${labelsPath}`);
    deps.log(seededLine(result));
    return 0;
  } catch (error) {
    progress.stop();
    deps.log(`runtrail seed --scenario failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

/** The ground truth beside the data: written to a temporary file and renamed, so a reader never sees half of it. */
async function writeLabels(labelsPath: string, result: ScenarioSeedResult): Promise<void> {
  const labels = result.labels.map((label) => ({ ...label, start: new Date(label.start).toISOString(), end: new Date(label.end).toISOString() }));
  const document = { from: result.from.toISOString(), to: result.to.toISOString(), seed: result.seed, workflows: result.workflows, labels };
  await mkdir(path.dirname(labelsPath), { recursive: true });
  const temporary = `${labelsPath}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(document, null, 2)}\n`);
  await rename(temporary, labelsPath);
}

export function parseSeedArguments(argv: readonly string[]): Parsed {
  const args: SeedArguments = {};
  let scenario = false;
  let clean = false;
  let labels: string | null = null;
  for (let index = 0; index < argv.length; index += 1) {
    const word = argv[index] ?? '';
    if (word === '--help' || word === '-h') return { kind: 'help' };
    if (word === '--scenario') {
      scenario = true;
      continue;
    }
    if (word === '--clean') {
      clean = true;
      continue;
    }
    if (word === '--labels' || word.startsWith('--labels=')) {
      const value = word === '--labels' ? argv[(index += 1)] : word.slice('--labels='.length);
      if (value === undefined || value === '') return { kind: 'invalid', message: '--labels needs a file name (where the scenario\'s labels go)' };
      labels = value;
      continue;
    }
    const [name = '', inline] = word.startsWith('--') && word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word];
    const option = OPTIONS[name];
    if (!option) return { kind: 'invalid', message: `unknown argument "${word}"` };
    let text = inline;
    if (text === undefined) {
      index += 1;
      text = argv[index];
    }
    if (text === undefined || text === '') return { kind: 'invalid', message: `${name} needs a value (${option.what})` };
    const value = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < option.min || value > option.max) {
      return { kind: 'invalid', message: `${name} must be ${option.what}, got "${text}"` };
    }
    args[option.key] = value;
  }
  if (scenario) return scenarioArguments(args, clean, labels);
  if (clean || labels !== null) return { kind: 'invalid', message: `${clean ? '--clean' : '--labels'} goes with --scenario only` };
  if (args.runs === undefined) return { kind: 'invalid', message: '--runs is required (how many runs to write)' };
  return { kind: 'seed', args: { ...args, runs: args.runs } };
}

function scenarioArguments({ runs, ...args }: SeedArguments, clean: boolean, labels: string | null): Parsed {
  if (runs !== undefined) return { kind: 'invalid', message: "--runs does not go with --scenario: the scenario's schedules and rhythms decide how many runs there are" };
  const beyond = (value: number | undefined, max: number) => value !== undefined && value > max;
  if (beyond(args.projects, SCENARIO_LIMITS.projects)) return { kind: 'invalid', message: `--projects with --scenario must be at most ${SCENARIO_LIMITS.projects}, got ${String(args.projects)}` };
  if (beyond(args.workflows, SCENARIO_LIMITS.workflowsPerProject)) return { kind: 'invalid', message: `--workflows with --scenario must be at most ${SCENARIO_LIMITS.workflowsPerProject}, got ${String(args.workflows)}` };
  if (args.days !== undefined && (args.days < SCENARIO_LIMITS.minDays || args.days > SCENARIO_LIMITS.maxDays)) {
    return { kind: 'invalid', message: `--days with --scenario must be from ${SCENARIO_LIMITS.minDays} (${DEFAULT_SCENARIO_OPTIONS.learningDays} days to learn from, and a week of injections) to ${SCENARIO_LIMITS.maxDays}, got ${args.days}` };
  }
  return { kind: 'scenario', args: { ...args, clean, labels } };
}

/** A progress bar where the CLI draws one, else progress lines. */
function progressReporter(deps: SeedCommandDeps): { onProgress: (progress: SeedProgress) => void; stop(): void } {
  let bar: ReturnType<NonNullable<SeedCommandDeps['progressBar']>> = null;
  const lines = progressPrinter(deps.log);
  return {
    onProgress: (progress) => {
      bar ??= deps.progressBar?.('seed', progress.total) ?? null;
      if (bar) bar.update(progress.done, progress.total);
      else lines(progress);
    },
    stop: () => bar?.stop(),
  };
}

/** Prints progress at most once a second, and not for the last batch (the summary follows it). */
function progressPrinter(log: (line: string) => void): (progress: SeedProgress) => void {
  let lastPrinted = 0;
  return (progress) => {
    if (progress.done >= progress.total || progress.elapsedMs - lastPrinted < PROGRESS_EVERY_MS) return;
    lastPrinted = progress.elapsedMs;
    log(progressLine(progress));
  };
}

/** `seeded 500 runs (1,500 steps, 4,000 events) in 1.2s — 420 runs/s`, the last line of a seeding. */
function seededLine(result: { runs: number; steps: number; events: number; elapsedMs: number }): string {
  return `seeded ${count(result.runs)} runs (${count(result.steps)} steps, ${count(result.events)} events) in ${duration(result.elapsedMs, true)} — ${count(rate(result.runs, result.elapsedMs))} runs/s`;
}

/** `seeded 250,000 / 1,000,000 runs (25%) — 41,000 runs/s, eta 18s` */
export function progressLine(progress: SeedProgress): string {
  const perSecond = rate(progress.done, progress.elapsedMs);
  const percent = progress.total === 0 ? 100 : Math.floor((progress.done / progress.total) * 100);
  const eta = perSecond > 0 ? `, eta ${duration(((progress.total - progress.done) / perSecond) * 1000)}` : '';
  return `seeded ${count(progress.done)} / ${count(progress.total)} runs (${percent}%) — ${count(perSecond)} runs/s${eta}`;
}

function rate(done: number, elapsedMs: number): number {
  if (elapsedMs <= 0) return 0;
  const perSecond = (done / elapsedMs) * 1000;
  // Three significant digits: the last ones only flicker between lines.
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(perSecond, 1))) - 2);
  return Math.round(perSecond / unit) * unit;
}

function duration(ms: number, tenths = false): string {
  if (tenths && ms < 60_000) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
