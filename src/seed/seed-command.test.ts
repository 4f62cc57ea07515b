import { composeTestServices } from '../test/compose.ts';
import { useMigratedDatabase } from '../test/database-suite.ts';
import { parseSeedArguments, progressLine, runSeedCommand, SEED_HELP, SEED_USAGE } from './seed-command.ts';

describe('parseSeedArguments', () => {
  it.each([
    [['--runs', '1000'], { runs: 1000 }],
    [['--runs=250', '--projects', '2', '--workflows=4', '--days', '7', '--seed', '0'], { runs: 250, projects: 2, workflows: 4, days: 7, seed: 0 }],
  ])('reads %j', (argv, args) => {
    expect(parseSeedArguments(argv)).toEqual({ kind: 'seed', args });
  });

  it.each([
    [[], '--runs is required (how many runs to write)'],
    [['--runs'], '--runs needs a value (a positive whole number)'],
    [['--runs', '0'], '--runs must be a positive whole number, got "0"'],
    [['--runs', '1e6'], '--runs must be a positive whole number, got "1e6"'],
    [['--runs', '-5'], '--runs must be a positive whole number, got "-5"'],
    [['--runs', '10', '--days', 'two'], '--days must be a positive whole number of days, got "two"'],
    [['--runs', '10', '--seed', '4294967296'], '--seed must be a whole number from 0 to 4294967295, got "4294967296"'],
    [['--runs', '10', '--verbose'], 'unknown argument "--verbose"'],
  ])('refuses %j: %s', (argv, message) => {
    expect(parseSeedArguments(argv)).toEqual({ kind: 'invalid', message });
  });
});

describe('the help', () => {
  it('names every option with its default', () => {
    expect(parseSeedArguments(['--runs', '5', '--help'])).toEqual({ kind: 'help' });
    for (const option of ['--runs N', '--projects K', '--workflows W', '--days D', '--seed S', '--help']) expect(SEED_HELP).toContain(option);
    expect(SEED_HELP.match(/\(default \d+\)/g)).toHaveLength(4);
  });
});

describe('progressLine', () => {
  it('shows how far, how fast and how long still', () => {
    expect(progressLine({ done: 250_000, total: 1_000_000, elapsedMs: 6_100 })).toBe('seeded 250,000 / 1,000,000 runs (25%) — 41,000 runs/s, eta 18s');
    expect(progressLine({ done: 100_000, total: 1_000_000, elapsedMs: 20_000 })).toBe('seeded 100,000 / 1,000,000 runs (10%) — 5,000 runs/s, eta 3m 00s');
  });
});

describe('runSeedCommand', () => {
  const database = useMigratedDatabase('sqlite');

  it('answers a bad argument with the reason, the usage and exit code 2, writing nothing', async () => {
    const lines: string[] = [];

    const code = await runSeedCommand(['--runs', 'lots'], { database: database(), workflows: composeTestServices(database()).workflows, partitions: composeTestServices(database()).partitions, log: (line) => lines.push(line) });

    expect(code).toBe(2);
    expect(lines).toEqual(['runtrail seed: --runs must be a positive whole number, got "lots"', SEED_USAGE]);
    expect(await database().db.run.count()).toBe(0);
  });

  it('seeds the runs and ends with a summary and exit code 0', async () => {
    const lines: string[] = [];

    const code = await runSeedCommand(['--runs', '500', '--projects', '1', '--workflows', '2', '--days', '3'], { database: database(), workflows: composeTestServices(database()).workflows, partitions: composeTestServices(database()).partitions, log: (line) => lines.push(line) });

    expect(code).toBe(0);
    expect(await database().db.run.count()).toBe(500);
    expect(await database().db.workflow.count()).toBe(2);
    expect(lines.slice(0, -1).map((line) => line.split(' ')[0])).toEqual(expect.arrayContaining(['range', 'workflows', 'finished', 'active', 'triggers', 'failures', 'rhythm']));
    expect(lines.at(-1)).toMatch(/^seeded 500 runs \([\d,]+ steps, [\d,]+ events\) in \d+\.\ds — [\d,]+ runs\/s$/);
  });
});
