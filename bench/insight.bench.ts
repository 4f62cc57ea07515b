// `npm run bench:insight`: the anomaly detectors scored against labelled histories. Each scenario
// is generated with injected, labelled anomalies (src/seed/scenario/labelled-scenario.ts); its
// runs are fed to the detectors in time order, as the server will feed them, and every finding is
// matched against the labels: precision, recall and time to finding per detector, and false
// findings per workflow per 30 days on clean histories of the same shape.
import type { AnomalyFinding, AnomalyKind } from '../src/domain/insight/anomaly.ts';
import { DAY_MS, forecastHours, type VolumeForecaster } from '../src/domain/insight/volume-detector.ts';
import { estimateEta, type EtaStep } from '../src/domain/insight/eta.ts';
import { failureProbability } from '../src/domain/insight/failure-probability.ts';
import { errorFingerprint } from '../src/domain/insight/error-fingerprint.ts';
import { IncidentDetector, type Incident } from '../src/domain/insight/incidents.ts';
import { WorkflowDetectors } from '../src/domain/insight/workflow-detectors.ts';
import { activeLabels, DEFAULT_SCENARIO_OPTIONS, failureRateAt, generateScenario, type LabelKind, type Scenario, type ScenarioLabel } from '../src/seed/scenario/labelled-scenario.ts';
import { parseBenchArgs, wholeNumber } from './shared/options.ts';
import { BenchFailure } from './shared/bench-failure.ts';
import { duration, table } from './shared/report.ts';

const USAGE = 'usage: npm run bench:insight -- [--scenarios N] [--days D] [--workflows-per-project W]';
const HOUR_MS = 3_600_000;

/** The labels a detector's findings are meant to find. */
const FINDS: Readonly<Record<AnomalyKind, readonly LabelKind[]>> = {
  DURATION_SPIKE: ['DURATION_SPIKE'],
  FAILURE_BURST: ['FAILURE_BURST', 'SHARED_OUTAGE'],
  LEVEL_SHIFT: ['LEVEL_SHIFT'],
  VOLUME_DROP: ['VOLUME_DROP'],
  MISSED_SCHEDULE: ['MISSED_SCHEDULE'],
  FLAKY: ['FLAKY'],
};

/** How long after a label's end a finding still belongs to it: the detector's window or judging delay. */
const LATE_BY: Readonly<Record<AnomalyKind, number>> = {
  DURATION_SPIKE: HOUR_MS,
  FAILURE_BURST: 2 * HOUR_MS,
  LEVEL_SHIFT: DAY_MS,
  VOLUME_DROP: DAY_MS + HOUR_MS,
  MISSED_SCHEDULE: HOUR_MS,
  FLAKY: 0,
};

interface Tally {
  findings: number;
  /** Findings of a label this detector is meant to find. */
  true: number;
  /** Findings inside another injected anomaly (a burst seen by the level-shift detector): right, but not its own. */
  crossing: number;
  labels: number;
  found: number;
  delays: number[];
  /** Findings on clean histories, none of them right but FLAKY ones. */
  cleanFalse: number;
}

function emptyTally(): Tally {
  return { findings: 0, true: 0, crossing: 0, labels: 0, found: 0, delays: [], cleanFalse: 0 };
}

function overlaps(finding: AnomalyFinding, label: ScenarioLabel, lateBy: number): boolean {
  if (!label.workflowIds.includes(finding.series.workflowId)) return false;
  if (label.step !== null && finding.series.step !== null && label.step !== finding.series.step) return false;
  return finding.raisedAt >= label.start && finding.raisedAt < label.end + lateBy;
}

/** Every finding of every workflow of the scenario, its runs fed in time order. */
function detect(scenario: Scenario): AnomalyFinding[] {
  const findings: AnomalyFinding[] = [];
  for (const workflow of scenario.workflows) {
    const detectors = new WorkflowDetectors(workflow.id, workflow.schedule, scenario.start);
    for (const run of scenario.runs.get(workflow.id) ?? []) {
      findings.push(...detectors.tick(run.createdAt), ...detectors.created(run.createdAt, run.trigger === 'SCHEDULE'));
      findings.push(
        ...detectors.finished({
          finishedAt: run.finishedAt,
          failed: run.status === 'FAILED',
          succeededOnRetry: run.succeededOnRetry,
          durationMs: run.status === 'SUCCEEDED' ? run.finishedAt - run.createdAt : null,
          succeededSteps: run.steps.flatMap((step) => (step.status === 'SUCCEEDED' ? [{ name: step.name, durationMs: step.attemptsMs.at(-1) ?? 0 }] : [])),
        }),
      );
    }
    findings.push(...detectors.tick(scenario.end));
  }
  // An episode is found once: when it opened (its closing repeats it with an end).
  return findings.filter((finding) => finding.end === null);
}

function score(scenario: Scenario, findings: readonly AnomalyFinding[], tallies: Map<AnomalyKind, Tally>, clean: boolean): void {
  for (const [kind, finds] of Object.entries(FINDS) as [AnomalyKind, readonly LabelKind[]][]) {
    const tally = tallies.get(kind) ?? emptyTally();
    tallies.set(kind, tally);
    const own = findings.filter((finding) => finding.kind === kind);
    const labels = scenario.labels.filter((label) => finds.includes(label.kind));
    for (const finding of own) {
      const right = labels.some((label) => overlaps(finding, label, LATE_BY[kind]));
      const crossing = !right && scenario.labels.some((label) => label.kind !== 'FLAKY' && overlaps(finding, label, DAY_MS));
      if (clean) {
        if (!right) tally.cleanFalse += 1;
        continue;
      }
      tally.findings += 1;
      if (right) tally.true += 1;
      if (crossing) tally.crossing += 1;
    }
    if (clean) continue;
    for (const label of labels) {
      // A shared outage is a burst in each of its workflows: each is a label of its own here.
      for (const workflowId of label.workflowIds) {
        tally.labels += 1;
        const first = own
          .filter((finding) => finding.series.workflowId === workflowId && overlaps(finding, label, LATE_BY[kind]))
          .sort((a, b) => a.raisedAt - b.raisedAt)[0];
        if (first === undefined) continue;
        tally.found += 1;
        if (label.kind !== 'FLAKY') tally.delays.push(first.raisedAt - label.start);
      }
    }
  }
}

/** Mean absolute error of a forecaster's daily volumes, scaled by the seasonal naive one's (MASE), over the days both can forecast. */
function volumeMase(scenarios: readonly Scenario[], forecaster: VolumeForecaster): number {
  let errors = 0;
  let naiveErrors = 0;
  for (const scenario of scenarios) {
    const firstHour = scenario.start / HOUR_MS;
    for (const workflow of scenario.workflows) {
      const counts = new Map<number, number>();
      for (const run of scenario.runs.get(workflow.id) ?? []) counts.set(Math.floor(run.createdAt / HOUR_MS), (counts.get(Math.floor(run.createdAt / HOUR_MS)) ?? 0) + 1);
      for (let day = scenario.start; day < scenario.end; day += DAY_MS) {
        const [from, to] = [day / HOUR_MS, day / HOUR_MS + 23];
        const forecast = forecastHours(counts, from, to, forecaster, firstHour);
        const naive = forecastHours(counts, from, to, 'SEASONAL_NAIVE', firstHour);
        if (forecast === null || naive === null) continue;
        let actual = 0;
        for (let hour = from; hour <= to; hour += 1) actual += counts.get(hour) ?? 0;
        errors += Math.abs(actual - forecast);
        naiveErrors += Math.abs(actual - naive);
      }
    }
  }
  return errors / naiveErrors;
}

// Past durations per step an ETA draws from, and how many runs of a workflow pass before ETAs are judged.
const ETA_HISTORY = 50;
const ETA_FROM_RUN = 60;
// Every how many succeeded runs one is judged at half its duration (the estimate costs 400 simulated futures).
const ETA_EVERY = 10;

interface EtaTally {
  errors: number[];
  withinP90: number;
  judged: number;
  noEstimate: number;
}

/** Each judged run's estimate at 50% of its actual duration: the error of the estimated duration, and whether it ended by the p90 bound. */
function judgeEtas(scenario: Scenario, tally: EtaTally): void {
  for (const workflow of scenario.workflows) {
    const history = new Map<string, number[]>(workflow.steps.map((step) => [step.name, []]));
    let succeeded = 0;
    for (const run of scenario.runs.get(workflow.id) ?? []) {
      if (run.status !== 'SUCCEEDED') continue;
      succeeded += 1;
      // The scenario's steps run one after the other from 2 s after creation (labelled-scenario.ts).
      let start = run.createdAt + 2_000;
      const timeline = run.steps.map((step) => {
        const duration = step.attemptsMs.reduce((sum, ms) => sum + ms, 0);
        const span = { name: step.name, start, end: start + duration, duration };
        start += duration;
        return span;
      });
      if (succeeded >= ETA_FROM_RUN && succeeded % ETA_EVERY === 0) {
        const now = run.createdAt + (run.finishedAt - run.createdAt) / 2;
        const steps: EtaStep[] = timeline.map((span, index) => ({
          name: span.name,
          depends: index === 0 ? [] : [timeline[index - 1]?.name ?? ''],
          status: span.end <= now ? 'SUCCEEDED' : span.start <= now ? 'RUNNING' : 'NOT_STARTED',
          startedAt: span.start <= now ? span.start : null,
          finishedAt: span.end <= now ? span.end : null,
        }));
        const eta = estimateEta({ now, steps, history, seed: `${workflow.id}:${run.createdAt}` });
        if (eta === null) tally.noEstimate += 1;
        else {
          tally.judged += 1;
          tally.errors.push(Math.abs(eta.expectedAt - run.finishedAt) / (run.finishedAt - run.createdAt));
          if (run.finishedAt <= eta.p90At) tally.withinP90 += 1;
        }
      }
      for (const span of timeline) {
        const past = history.get(span.name);
        if (past === undefined) continue;
        past.push(span.duration);
        if (past.length > ETA_HISTORY) past.shift();
      }
    }
  }
}

/** The failure model's replay over each workflow's runs against the base rate's: summed squared errors. */
function judgeFailureModel(scenario: Scenario, sums: { model: number; base: number; oracle: number; runs: number; skilled: number; workflows: number }): void {
  for (const workflow of scenario.workflows) {
    const runs = [...(scenario.runs.get(workflow.id) ?? [])].sort((a, b) => a.finishedAt - b.finishedAt);
    const result = failureProbability(runs.map((run) => run.status === 'FAILED'));
    if (result === null) continue;
    // The best any model could do: the generator's own chance of each run failing.
    const active = activeLabels(scenario.labels, workflow.id);
    runs.forEach((run, index) => {
      if (index >= runs.length - result.backtestRuns) sums.oracle += (failureRateAt(workflow, run.createdAt, active) - (run.status === 'FAILED' ? 1 : 0)) ** 2;
    });
    sums.model += result.modelBrier * result.backtestRuns;
    sums.base += result.baseBrier * result.backtestRuns;
    sums.runs += result.backtestRuns;
    sums.workflows += 1;
    if (result.skill > 0) sums.skilled += 1;
  }
}

interface IncidentTally {
  outages: number;
  found: number;
  causeFirst: number;
  delays: number[];
  /** Incidents outside every outage: on labelled histories, and on clean ones. */
  falseLabelled: number;
  falseClean: number;
}

/** Every run of every project, in the order they finished, through one incident detector; its incidents, closed or still open at the end. */
function incidentsOf(scenario: Scenario): Incident[] {
  const runs = [...scenario.runs.values()].flat().sort((a, b) => a.finishedAt - b.finishedAt);
  const detector = new IncidentDetector();
  const incidents: Incident[] = [];
  runs.forEach((run, index) => {
    const closed = detector.observe({
      runId: `${run.workflowId}:${index}`,
      projectId: run.projectId,
      workflowId: run.workflowId,
      at: run.finishedAt,
      failed: run.status === 'FAILED',
      error: run.error === null ? null : errorFingerprint(run.error),
      failedStep: run.steps.find((step) => step.status === 'FAILED')?.name ?? null,
      trigger: run.trigger,
      worker: null,
      tags: [],
    });
    if (closed !== null && closed.end !== null) incidents.push(closed);
  });
  const open = detector.current;
  if (open !== null) incidents.push(open);
  return incidents;
}

/** Each shared outage: found by an incident of two of its workflows or more, and whether its cause (the error) ranks first. */
function judgeIncidents(scenario: Scenario, clean: boolean, tally: IncidentTally): void {
  const incidents = incidentsOf(scenario);
  const outages = scenario.labels.filter((label) => label.kind === 'SHARED_OUTAGE');
  const inOutage = (incident: Incident, outage: ScenarioLabel) =>
    incident.openedAt >= outage.start && incident.openedAt < outage.end + 30 * 60_000 && new Set(incident.members.filter((member) => outage.workflowIds.includes(member.workflowId)).map((member) => member.workflowId)).size >= 2;
  for (const incident of incidents) {
    if (outages.some((outage) => inOutage(incident, outage))) continue;
    if (clean) tally.falseClean += 1;
    else tally.falseLabelled += 1;
  }
  for (const outage of outages) {
    tally.outages += 1;
    const incident = incidents.find((candidate) => inOutage(candidate, outage));
    if (incident === undefined) continue;
    tally.found += 1;
    tally.delays.push(incident.openedAt - outage.start);
    const [top] = incident.attributes;
    if (top?.kind === 'ERROR' && outage.cause !== null && top.value === errorFingerprint(outage.cause)) tally.causeFirst += 1;
  }
}

function main(): void {
  const args = parseBenchArgs(process.argv.slice(2), { scenarios: { type: 'string', default: '3' }, days: { type: 'string', default: String(DEFAULT_SCENARIO_OPTIONS.days) }, 'workflows-per-project': { type: 'string', default: '6' } }, USAGE);
  const scenarios = wholeNumber('--scenarios', args.scenarios, 1);
  const days = wholeNumber('--days', args.days, 45);
  const workflowsPerProject = wholeNumber('--workflows-per-project', args['workflows-per-project'], 1);
  const tallies = new Map<AnomalyKind, Tally>();
  const etas: EtaTally = { errors: [], withinP90: 0, judged: 0, noEstimate: 0 };
  const brier = { model: 0, base: 0, oracle: 0, runs: 0, skilled: 0, workflows: 0 };
  const incidentTally: IncidentTally = { outages: 0, found: 0, causeFirst: 0, delays: [], falseLabelled: 0, falseClean: 0 };
  const labelled: Scenario[] = [];
  let cleanWorkflowDays = 0;
  let runs = 0;
  let detectMs = 0;
  for (let index = 0; index < scenarios; index += 1) {
    for (const clean of [false, true]) {
      const scenario = generateScenario({ ...DEFAULT_SCENARIO_OPTIONS, seed: index + 1 + (clean ? 1000 : 0), days, workflowsPerProject, clean });
      const started = performance.now();
      const findings = detect(scenario);
      detectMs += performance.now() - started;
      for (const list of scenario.runs.values()) runs += list.length;
      if (clean) cleanWorkflowDays += scenario.workflows.length * days;
      else {
        labelled.push(scenario);
        judgeEtas(scenario, etas);
        judgeFailureModel(scenario, brier);
      }
      score(scenario, findings, tallies, clean);
      judgeIncidents(scenario, clean, incidentTally);
    }
  }
  console.log(
    `${scenarios} labelled and ${scenarios} clean scenarios: ${DEFAULT_SCENARIO_OPTIONS.projects} projects x ${workflowsPerProject} workflows, ${days} days, ${runs.toLocaleString('en-US')} runs; detection ${duration(detectMs)} (${((detectMs * 1000) / runs).toFixed(1)} µs a run)\n`,
  );
  const rows = [...tallies].map(([kind, tally]) => {
    const precision = tally.findings === 0 ? Number.NaN : tally.true / tally.findings;
    const recall = tally.labels === 0 ? Number.NaN : tally.found / tally.labels;
    const delays = [...tally.delays].sort((a, b) => a - b);
    const median = delays.length === 0 ? Number.NaN : (delays[Math.floor((delays.length - 1) / 2)] ?? Number.NaN);
    const falsePer30 = kind === 'FLAKY' ? Number.NaN : (tally.cleanFalse / cleanWorkflowDays) * 30;
    return [
      kind,
      `${tally.true}/${tally.findings}`,
      Number.isNaN(precision) ? 'n/a' : precision.toFixed(2),
      tally.findings === 0 ? 'n/a' : ((tally.true + tally.crossing) / tally.findings).toFixed(2),
      `${tally.found}/${tally.labels}`,
      Number.isNaN(recall) ? 'n/a' : recall.toFixed(2),
      Number.isNaN(median) ? 'n/a' : duration(median),
      Number.isNaN(falsePer30) ? 'n/a' : falsePer30.toFixed(2),
    ];
  });
  for (const line of table(['detector', 'right/findings', 'precision', 'with those inside another anomaly', 'found/labels', 'recall', 'median time to finding', 'false per workflow per 30 d (clean)'], rows)) console.log(line);
  console.log('\naims: precision >= 0.9, recall >= 0.8, at most 1 false finding per workflow per 30 days');
  const errors = [...etas.errors].sort((a, b) => a - b);
  console.log(
    `\nETA at 50% of a run's duration (every ${ETA_EVERY}th succeeded run after a workflow's first ${ETA_FROM_RUN}; ${etas.judged.toLocaleString('en-US')} runs, ${etas.noEstimate} without an estimate): median absolute error of the finish, as a share of the run's duration, ${((errors[Math.floor(errors.length / 2)] ?? Number.NaN) * 100).toFixed(1)}% (aim: at most 20%); finished by the p90 bound ${((etas.withinP90 / etas.judged) * 100).toFixed(1)}% (aim: 85-95%)`,
  );
  console.log(
    `\nnext-run failure probability, replayed run by run (${brier.runs.toLocaleString('en-US')} runs): Brier ${(brier.model / brier.runs).toFixed(4)} against the base rate's ${(brier.base / brier.runs).toFixed(4)}, skill ${(1 - brier.model / brier.base).toFixed(3)} (aim: at least 0.1; the generator's true chances of each run failing would score ${(1 - brier.oracle / brier.base).toFixed(3)}); better than the base rate on ${brier.skilled} of ${brier.workflows} workflows (shown only there)`,
  );
  const incidentDelays = [...incidentTally.delays].sort((a, b) => a - b);
  console.log(
    `\nincidents: ${incidentTally.found} of ${incidentTally.outages} shared outages found (median ${duration(incidentDelays[Math.floor(incidentDelays.length / 2)] ?? Number.NaN)} after they began); the injected cause ranked first in ${incidentTally.causeFirst} of ${incidentTally.found} (aim: at least 90%); incidents outside every outage: ${incidentTally.falseLabelled} on the labelled histories, ${incidentTally.falseClean} on the clean ones (${((incidentTally.falseClean / (scenarios * days)) * 30).toFixed(2)} per 30 days)`,
  );
  console.log(`\nvolume forecast, MASE against the seasonal naive (same weekday last week) over days 29+: mean of 4 weeks ${volumeMase(labelled, 'SEASONAL_MEAN_4').toFixed(2)}, seasonal naive 1.00 (aim: under 1)`);
}

try {
  main();
} catch (error) {
  if (!(error instanceof BenchFailure)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
