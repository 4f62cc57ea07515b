import type { Database } from '../db/client.ts';
import type { WorkflowService } from '../services/workflow.service.ts';
import type { HistoryPartitionService } from '../services/history-partition.service.ts';
import { HistorySeeder, MAX_SEED, SEED_DEFAULTS, type SeedProgress } from './history-seeder.ts';
import { count, summaryLines } from './seed-summary.ts';

export const SEED_USAGE = 'usage: runtrail seed --runs N [--projects K] [--workflows W] [--days D] [--seed S]';

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
].join('\n');

const DAY_MS = 24 * 60 * 60 * 1000;
const PROGRESS_EVERY_MS = 1_000;

interface SeedArguments {
  runs: number;
  projects?: number;
  workflows?: number;
  days?: number;
  seed?: number;
}

type Parsed = { kind: 'seed'; args: SeedArguments } | { kind: 'invalid'; message: string } | { kind: 'help' };

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
export async function runSeedCommand(argv: string[], deps: { database: Database; workflows: WorkflowService; partitions: HistoryPartitionService | null; log: (line: string) => void }): Promise<number> {
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
  const { args } = parsed;
  const seeder = new HistorySeeder({ db: deps.database.db, writer: deps.database.writer, workflows: deps.workflows, partitions: deps.partitions });
  const to = new Date();
  let lastPrinted = 0;
  try {
    const result = await seeder.seed({
      runs: args.runs,
      projects: args.projects,
      workflowsPerProject: args.workflows,
      from: args.days === undefined ? undefined : new Date(to.getTime() - args.days * DAY_MS),
      to,
      seed: args.seed,
      onProgress: (progress) => {
        if (progress.done >= progress.total || progress.elapsedMs - lastPrinted < PROGRESS_EVERY_MS) return;
        lastPrinted = progress.elapsedMs;
        deps.log(progressLine(progress));
      },
    });
    for (const line of summaryLines(result)) deps.log(line);
    deps.log(
      `seeded ${count(result.runs)} runs (${count(result.steps)} steps, ${count(result.events)} events) ` +
        `in ${duration(result.elapsedMs, true)} — ${count(rate(result.runs, result.elapsedMs))} runs/s`,
    );
    return 0;
  } catch (error) {
    deps.log(`runtrail seed failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

export function parseSeedArguments(argv: readonly string[]): Parsed {
  const args: Partial<SeedArguments> = {};
  for (let index = 0; index < argv.length; index += 1) {
    const word = argv[index] ?? '';
    if (word === '--help' || word === '-h') return { kind: 'help' };
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
  if (args.runs === undefined) return { kind: 'invalid', message: '--runs is required (how many runs to write)' };
  return { kind: 'seed', args: { ...args, runs: args.runs } };
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
