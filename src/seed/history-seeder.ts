import type { Db } from '../db/client.ts';
import type { WriteConnection } from '../db/write-connection.ts';
import { systemClock, type Clock } from '../domain/clock.ts';
import { AppError } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import type { HistoryPartitionService } from '../services/history-partition.service.ts';
import type { WorkflowService } from '../services/workflow.service.ts';
import { HistoryPlan, type SeedRun, type SeedTarget } from './history-plan.ts';
import { HistoryTally } from './history-tally.ts';
import { HistoryWriter, numberEvents, type PendingRun } from './history-writer.ts';
import { generateScenario, type Scenario, type ScenarioLabel, type ScenarioOptions } from './scenario/labelled-scenario.ts';
import { ScenarioPlan, scenarioWorkflowYaml, type ScenarioTarget } from './scenario/scenario-plan.ts';
import { workflowProfile, workflowYaml } from './workflow-profile.ts';

export interface HistorySeederDeps {
  db: Db;
  /** The database's history writer connection: the PostgreSQL seeding COPYs on it. */
  writer: WriteConnection;
  /** Saves the seeded workflows, as any other source of workflows does. */
  workflows: WorkflowService;
  /** PostgreSQL's history partitions, made for the whole seeded stretch before a run is written; null on SQLite. */
  partitions: HistoryPartitionService | null;
  clock?: Clock;
}

export interface SeedProgress {
  /** Runs written so far: committed, except in a bulk load into empty tables, which commits once at the end. */
  done: number;
  total: number;
  elapsedMs: number;
}

export interface SeedOptions {
  runs: number;
  /** Spread over the projects `seed-1` … `seed-<projects>`, created when missing. */
  projects?: number;
  workflowsPerProject?: number;
  /** Default: `SEED_DEFAULTS.days` before `to`. */
  from?: Date;
  /** Default: now. Nothing in the seeded history happens later. */
  to?: Date;
  /** The same seed (and the same other options) gives the same statuses, timings and triggers. */
  seed?: number;
  /** Runs generated per transaction. */
  batchSize?: number;
  /** Called after each committed batch. */
  onProgress?: (progress: SeedProgress) => void;
}

export interface ScenarioSeedOptions {
  scenario: ScenarioOptions;
  batchSize?: number;
  onProgress?: (progress: SeedProgress) => void;
}

export interface ScenarioSeedResult extends SeedResult {
  /** The scenario's ground truth, in the ids of the saved workflows and projects. */
  labels: ScenarioLabel[];
}

/** Runs in creation order, generated one at a time: a seeded history's or a labelled scenario's. */
interface RunSource {
  readonly done: boolean;
  next(): SeedRun | null;
  peekCreatedAt(): number | null;
}

export interface SeededWorkflow {
  id: string;
  /** The project's slug. */
  project: string;
  name: string;
  flaky: boolean;
}

export interface SeedResult {
  runs: number;
  steps: number;
  events: number;
  elapsedMs: number;
  from: Date;
  to: Date;
  seed: number;
  workflows: SeededWorkflow[];
  tally: HistoryTally;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** The PRNG keeps 32 bits of state: larger seeds would silently repeat smaller ones. */
export const MAX_SEED = 0xffff_ffff;
export const SEED_DEFAULTS = { projects: 3, workflowsPerProject: 5, days: 30, seed: 1, batchSize: 5_000 } as const;

/**
 * Writes a large, plausible history fast, with every invariant RunRecorderService keeps: each
 * run's status is the `to` of its last RUN event, its lastSeq is its last event's seq, seqs
 * follow the events' time across all runs and continue after the current head, and the
 * rollups equal a GROUP BY over the runs.
 *
 * Three parts: the workflows are saved through WorkflowService (disabled, so the scheduler
 * never fires them); HistoryPlan generates the runs in creation order, batch by batch, so
 * memory stays flat; HistoryWriter writes them. An event gets its seq once no run still to be
 * generated can have an earlier one (its time is not after the next run's createdAt), so seqs
 * follow time across batches; a run is written, with its steps and events, in the batch that
 * numbers its last event. The event counter moves to the last seq in the last batch: until
 * then the seeded events lie above the head, outside every snapshot. Into empty PostgreSQL
 * tables the whole seeding is one transaction that builds the indexes after the rows (see
 * HistoryWriter.loadInBulk); otherwise each batch commits on its own.
 *
 * Seed a database no one else writes to meanwhile: a transition recorded during the seeding
 * would take a seq the seeder uses too.
 */
export class HistorySeeder {
  private readonly clock: Clock;
  private readonly writer: HistoryWriter;

  constructor(private readonly deps: HistorySeederDeps) {
    this.clock = deps.clock ?? systemClock;
    this.writer = new HistoryWriter({ db: deps.db, writer: deps.writer });
  }

  async seed(options: SeedOptions): Promise<SeedResult> {
    const started = performance.now();
    const settings = this.settings(options);
    await this.deps.partitions?.ensurePartitions(settings.from, settings.to);
    const { targets, workflows } = await this.prepareWorkflows(settings.projects, settings.workflowsPerProject, settings.from);
    const plan = new HistoryPlan({
      total: settings.runs,
      from: settings.from.getTime(),
      to: settings.to.getTime(),
      seed: settings.seed,
      workflows: targets,
      makeId: newId,
    });

    const { totals, tally } = await this.writeRuns(plan, settings.runs, settings.batchSize, started, settings.onProgress);
    return { ...totals, elapsedMs: performance.now() - started, from: settings.from, to: settings.to, seed: settings.seed, workflows, tally };
  }

  /**
   * Writes a labelled scenario's history (labelled-scenario.ts) into the projects `scenario-1` …
   * `scenario-<projects>`, its workflows saved disabled like the seeded ones; answers with the
   * labels in the saved workflows' and projects' ids, for the caller to write beside the data.
   */
  async seedScenario(options: ScenarioSeedOptions): Promise<ScenarioSeedResult> {
    const started = performance.now();
    const scenario = generateScenario(options.scenario);
    const from = new Date(scenario.start);
    const to = new Date(Math.max(scenario.end, this.clock.now().getTime()));
    await this.deps.partitions?.ensurePartitions(from, to);
    const { targets, workflows, projectIds } = await this.prepareScenarioWorkflows(scenario, from);
    const plan = new ScenarioPlan(scenario, targets, this.clock.now().getTime(), newId);
    const { totals, tally } = await this.writeRuns(plan, plan.total, options.batchSize ?? SEED_DEFAULTS.batchSize, started, options.onProgress);
    const saved = <T>(ids: ReadonlyMap<string, T>, id: string): T => {
      const found = ids.get(id);
      if (found === undefined) throw new Error(`A scenario label names ${id}, which the scenario does not have`);
      return found;
    };
    const labels = scenario.labels.map((label) => ({
      ...label,
      workflowIds: label.workflowIds.map((id) => saved(targets, id).id),
      projectIds: label.projectIds.map((id) => saved(projectIds, id)),
    }));
    return { ...totals, elapsedMs: performance.now() - started, from, to, seed: options.scenario.seed, workflows, tally, labels };
  }

  /**
   * Generates the plan's runs batch by batch and writes each batch once its events are numbered
   * (see numberEvents); the event counter moves in the last batch.
   */
  private async writeRuns(plan: RunSource, total: number, batchSize: number, started: number, onProgress: ((progress: SeedProgress) => void) | undefined) {
    const head = await this.writer.readHead();
    const tally = new HistoryTally();
    const totals = { runs: 0, steps: 0, events: 0 };
    let pending: PendingRun[] = [];
    let nextSeq = head.seq + 1;
    const writeAll = async () => {
      while (!plan.done || pending.length > 0) {
        for (let count = 0; count < batchSize; count += 1) {
          const run = plan.next();
          if (!run) break;
          tally.add(run);
          pending.push({ run, numbered: 0, seqs: new Array<number>(run.events.length).fill(0) });
        }
        nextSeq = numberEvents(pending, plan.peekCreatedAt() ?? Number.POSITIVE_INFINITY, nextSeq);
        const complete = pending.filter((entry) => entry.numbered === entry.run.events.length);
        pending = pending.filter((entry) => entry.numbered < entry.run.events.length);
        const last = plan.done && pending.length === 0;
        if (complete.length === 0 && !last) continue;
        const written = await this.writer.write(complete, last ? { expected: head.counter, value: nextSeq - 1 } : null);
        totals.runs += written.runs;
        totals.steps += written.steps;
        totals.events += written.events;
        onProgress?.({ done: totals.runs, total, elapsedMs: performance.now() - started });
      }
    };
    try {
      if (total === 0 || !(await this.writer.loadInBulk(writeAll))) await writeAll();
    } catch (error) {
      // The failure itself is what the caller needs to see, even if this repair fails too.
      if (totals.runs > 0) await this.writer.moveCounterPastWrittenEvents().catch(() => undefined);
      throw error;
    }
    if (totals.runs > 0) await this.writer.analyze();
    return { totals, tally };
  }

  private settings(options: SeedOptions) {
    const whole = (value: number | undefined, fallback: number, name: string, min: number, max = Number.MAX_SAFE_INTEGER) => {
      const chosen = value ?? fallback;
      if (!Number.isSafeInteger(chosen) || chosen < min || chosen > max) {
        const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
        throw new AppError('BAD_USER_INPUT', `${name} must be a whole number ${range}, got ${String(value)}`, { argument: name });
      }
      return chosen;
    };
    const to = options.to ?? this.clock.now();
    const from = options.from ?? new Date(to.getTime() - SEED_DEFAULTS.days * DAY_MS);
    if (!(from.getTime() < to.getTime())) {
      throw new AppError('BAD_USER_INPUT', `from (${from.toISOString()}) must be before to (${to.toISOString()})`, { argument: 'from' });
    }
    return {
      runs: whole(options.runs, 0, 'runs', 0),
      projects: whole(options.projects, SEED_DEFAULTS.projects, 'projects', 1),
      workflowsPerProject: whole(options.workflowsPerProject, SEED_DEFAULTS.workflowsPerProject, 'workflowsPerProject', 1),
      seed: whole(options.seed, SEED_DEFAULTS.seed, 'seed', 0, MAX_SEED),
      batchSize: whole(options.batchSize, SEED_DEFAULTS.batchSize, 'batchSize', 1),
      from,
      to,
      onProgress: options.onProgress,
    };
  }

  /** The scenario-<n> projects and the scenario's workflows, keyed by the scenario's own ids. */
  private async prepareScenarioWorkflows(scenario: Scenario, since: Date) {
    const { db } = this.deps;
    const targets = new Map<string, ScenarioTarget>();
    const projectIds = new Map<string, string>();
    const workflows: SeededWorkflow[] = [];
    for (const workflow of scenario.workflows) {
      const slug = `scenario-${workflow.projectId.replace(/^prj-/, '')}`;
      let projectId = projectIds.get(workflow.projectId);
      if (projectId === undefined) {
        const project = (await db.project.findUnique({ where: { slug } })) ?? (await db.project.create({ data: { id: newId('prj', since), slug, name: `Scenario ${slug.slice('scenario-'.length)}`, createdAt: since } }));
        projectId = project.id;
        projectIds.set(workflow.projectId, projectId);
      }
      const saved = await this.deps.workflows.load({ projectId, yaml: scenarioWorkflowYaml(workflow), source: 'api', savedAt: since, enabled: false });
      if (!saved.ok) throw new Error(`The scenario workflow ${workflow.name} is invalid: ${saved.message}`);
      targets.set(workflow.id, { id: saved.workflow.id, projectId, versionId: saved.versionId });
      workflows.push({ id: saved.workflow.id, project: slug, name: workflow.name, flaky: workflow.flaky });
    }
    return { targets, workflows, projectIds };
  }

  /** The seed-<n> projects and their workflows, each with the WorkflowVersion its runs point at. */
  private async prepareWorkflows(projects: number, workflowsPerProject: number, since: Date): Promise<{ targets: SeedTarget[]; workflows: SeededWorkflow[] }> {
    const { db } = this.deps;
    const targets: SeedTarget[] = [];
    const workflows: SeededWorkflow[] = [];
    for (let projectIndex = 0; projectIndex < projects; projectIndex += 1) {
      const slug = `seed-${projectIndex + 1}`;
      const project =
        (await db.project.findUnique({ where: { slug } })) ??
        (await db.project.create({ data: { id: newId('prj', since), slug, name: `Seed ${projectIndex + 1}`, createdAt: since } }));
      for (let workflowIndex = 0; workflowIndex < workflowsPerProject; workflowIndex += 1) {
        const profile = workflowProfile(projectIndex, workflowIndex);
        const saved = await this.deps.workflows.load({ projectId: project.id, yaml: workflowYaml(profile), source: 'api', savedAt: since, enabled: false });
        if (!saved.ok) throw new Error(`The seeded workflow ${profile.name} is invalid: ${saved.message}`);
        targets.push({ id: saved.workflow.id, projectId: project.id, versionId: saved.versionId, profile });
        workflows.push({ id: saved.workflow.id, project: slug, name: profile.name, flaky: profile.flaky });
      }
    }
    return { targets, workflows };
  }
}
