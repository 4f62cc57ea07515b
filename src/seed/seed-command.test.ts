import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

  it('reads a scenario with its own options', () => {
    expect(parseSeedArguments(['--scenario', '--projects', '2', '--clean', '--labels=truth.json'])).toEqual({ kind: 'scenario', args: { projects: 2, clean: true, labels: 'truth.json' } });
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
    [['--runs', '10', '--clean'], '--clean goes with --scenario only'],
    [['--scenario', '--runs', '10'], "--runs does not go with --scenario: the scenario's schedules and rhythms decide how many runs there are"],
    [['--scenario', '--days', '10'], '--days with --scenario must be from 36 (29 days to learn from, and a week of injections) to 90, got 10'],
    [['--scenario', '--projects', '50'], '--projects with --scenario must be at most 5, got 50'],
    [['--scenario', '--workflows', '11'], '--workflows with --scenario must be at most 10, got 11'],
    [['--scenario', '--labels'], "--labels needs a file name (where the scenario's labels go)"],
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
  const labelsPath = path.join(mkdtempSync(path.join(os.tmpdir(), 'runtrail-labels-')), 'scenario-labels.json');

  it('answers a bad argument with the reason, the usage and exit code 2, writing nothing', async () => {
    const lines: string[] = [];

    const code = await runSeedCommand(['--runs', 'lots'], { database: database(), workflows: composeTestServices(database()).workflows, partitions: composeTestServices(database()).partitions, defaultLabelsPath: labelsPath, log: (line) => lines.push(line) });

    expect(code).toBe(2);
    expect(lines).toEqual(['runtrail seed: --runs must be a positive whole number, got "lots"', SEED_USAGE]);
    expect(await database().db.run.count()).toBe(0);
  });

  it('seeds the runs and ends with a summary and exit code 0', async () => {
    const lines: string[] = [];

    const code = await runSeedCommand(['--runs', '500', '--projects', '1', '--workflows', '2', '--days', '3'], { database: database(), workflows: composeTestServices(database()).workflows, partitions: composeTestServices(database()).partitions, defaultLabelsPath: labelsPath, log: (line) => lines.push(line) });

    expect(code).toBe(0);
    expect(await database().db.run.count()).toBe(500);
    expect(await database().db.workflow.count()).toBe(2);
    expect(lines.slice(0, -1).map((line) => line.split(' ')[0])).toEqual(expect.arrayContaining(['range', 'workflows', 'finished', 'active', 'triggers', 'failures', 'rhythm']));
    expect(lines.at(-1)).toMatch(/^seeded 500 runs \([\d,]+ steps, [\d,]+ events\) in \d+\.\ds — [\d,]+ runs\/s$/);
  });

  it('seeds a labelled scenario: runs with steps and events a run page shows, and the labels beside them in the saved ids', async () => {
    const lines: string[] = [];

    const code = await runSeedCommand(['--scenario', '--projects', '2', '--workflows', '1', '--days', '36', '--seed', '3'], { database: database(), workflows: composeTestServices(database()).workflows, partitions: composeTestServices(database()).partitions, defaultLabelsPath: labelsPath, log: (line) => lines.push(line) });

    expect(code).toBe(0);
    expect(lines.at(-2)).toMatch(new RegExp(`^labels +\\d+ injected anomalies and traits written to ${labelsPath}$`));
    const written = JSON.parse(readFileSync(labelsPath, 'utf8')) as { labels: { kind: string; workflowIds: string[]; projectIds: string[] }[] };
    const workflows = await database().db.workflow.findMany({ where: { project: { slug: { startsWith: 'scenario-' } } }, include: { project: true } });
    expect(workflows.map((workflow) => workflow.project.slug).sort()).toEqual(['scenario-1', 'scenario-2']);
    expect(written.labels.length).toBeGreaterThan(0);
    for (const label of written.labels) {
      for (const workflowId of label.workflowIds) expect(workflows.map((workflow) => workflow.id)).toContain(workflowId);
      for (const projectId of label.projectIds) expect(workflows.map((workflow) => workflow.projectId)).toContain(projectId);
    }
    // Failed runs carry their error and a failed step; the steps after it were aborted.
    const inScenario = { workflowId: { in: workflows.map((workflow) => workflow.id) } };
    const failed = await database().db.run.findFirst({ where: { ...inScenario, status: 'FAILED' }, include: { steps: true } });
    expect(failed?.error).toEqual(expect.any(String));
    expect(failed?.steps.some((step) => step.status === 'FAILED')).toBe(true);
    const runs = await database().db.run.count({ where: inScenario });
    expect(runs).toBeGreaterThan(2 * 36 * 96);
    expect(await database().db.runEvent.count({ where: { kind: 'RUN', to: 'RUNNING', run: inScenario } })).toBe(runs);
  });
});
