/**
 * Incidents: several workflows, in at least two projects, failing again and again in the same
 * short window, more than their recent failure rates explain. "Again and again" (two failures or
 * more in the window) is what sets a shared outage apart from the usual scattered failures, which
 * come one at a time. An incident lists its member runs and ranks the attributes they share by
 * lift: how much more often the members carry an attribute than the other runs that finished in
 * the same window, so a shared cause (one error, one step, one worker) comes first and what every
 * run has (a common trigger) does not.
 */

export const INCIDENT_ATTRIBUTE_KINDS = ['ERROR', 'STEP', 'WORKER', 'TRIGGER', 'TAG'] as const;
export type IncidentAttributeKind = (typeof INCIDENT_ATTRIBUTE_KINDS)[number];

/** A finished run as incident detection reads it. */
export interface IncidentRun {
  runId: string;
  projectId: string;
  workflowId: string;
  /** When it finished (unix ms). */
  at: number;
  failed: boolean;
  /** The fingerprint of its error (errorFingerprint). */
  error: string | null;
  /** The step whose failure failed the run. */
  failedStep: string | null;
  trigger: string;
  worker: string | null;
  tags: readonly string[];
}

export interface RankedAttribute {
  kind: IncidentAttributeKind;
  value: string;
  /** Members that carry it. */
  members: number;
  /** Members' share that carry it, against the other runs' of the window. */
  memberShare: number;
  otherShare: number;
  lift: number;
}

export interface Incident {
  start: number;
  /** When it was opened: the moment the cluster became unlikely. */
  openedAt: number;
  end: number | null;
  members: IncidentRun[];
  attributes: RankedAttribute[];
}

export interface IncidentSettings {
  /** The window failures cluster in. */
  windowMs: number;
  minWorkflows: number;
  minProjects: number;
  /** The recent past whose failure rate the window is judged against. */
  baselineMs: number;
  /** The Poisson tail of the window's failing workflows under that rate below which it is a cluster. */
  pValue: number;
  /** An incident ends after this long with no member failure. */
  quietMs: number;
  /** The most attributes an incident ranks. */
  attributesMax: number;
  /** The share of members an attribute must cover to be ranked: a cause explains most of an incident. */
  minSupport: number;
}

export const DEFAULT_INCIDENT_SETTINGS: IncidentSettings = {
  windowMs: 30 * 60_000,
  minWorkflows: 3,
  minProjects: 2,
  baselineMs: 24 * 3_600_000,
  pValue: 0.001,
  quietMs: 30 * 60_000,
  attributesMax: 10,
  minSupport: 0.3,
};
// A workflow counts towards a cluster when it failed this many times in the window.
const REPEATED_FAILURES = 2;
// The recent rate is the higher of the baseline's and this last stretch's: a busy hour is not an incident.
const RECENT_MS = 2 * 3_600_000;

// Attributes of equal lift and coverage: the more specific first (an error says more than a trigger).
const SPECIFICITY: Readonly<Record<IncidentAttributeKind, number>> = { ERROR: 0, STEP: 1, WORKER: 2, TAG: 3, TRIGGER: 4 };

export interface IncidentAttribute {
  kind: IncidentAttributeKind;
  value: string;
}

/** The attributes a run carries. */
export function attributesOf(run: IncidentRun): IncidentAttribute[] {
  const attributes: IncidentAttribute[] = [];
  if (run.error !== null) attributes.push({ kind: 'ERROR', value: run.error });
  if (run.failedStep !== null) attributes.push({ kind: 'STEP', value: run.failedStep });
  if (run.worker !== null) attributes.push({ kind: 'WORKER', value: run.worker });
  attributes.push({ kind: 'TRIGGER', value: run.trigger });
  for (const tag of new Set(run.tags)) attributes.push({ kind: 'TAG', value: tag });
  return attributes;
}

/** An attribute with how many members and how many other runs carry it. */
export interface AttributeCount extends IncidentAttribute {
  members: number;
  others: number;
}

/** Attributes carried by these runs, with how many carry each (each at most once per run). */
export function countAttributes(runs: readonly IncidentRun[]): Map<string, { attribute: IncidentAttribute; runs: number }> {
  const counts = new Map<string, { attribute: IncidentAttribute; runs: number }>();
  for (const run of runs) {
    for (const attribute of attributesOf(run)) {
      const key = attributeKey(attribute);
      const entry = counts.get(key) ?? { attribute, runs: 0 };
      entry.runs += 1;
      counts.set(key, entry);
    }
  }
  return counts;
}

export function attributeKey(attribute: IncidentAttribute): string {
  return JSON.stringify([attribute.kind, attribute.value]);
}

/** The members' shared attributes by lift against the other runs, Laplace-smoothed: those of at least two members and `minSupport` of them. */
export function rankAttributes(members: readonly IncidentRun[], others: readonly IncidentRun[], max: number, minSupport = 0): RankedAttribute[] {
  const inOthers = countAttributes(others);
  const counts = [...countAttributes(members)].map(([key, { attribute, runs }]) => ({ ...attribute, members: runs, others: inOthers.get(key)?.runs ?? 0 }));
  return rankAttributeCounts(counts, members.length, others.length, max, minSupport);
}

/** The same ranking from counts alone: what a viewer's share of an incident is ranked by. */
export function rankAttributeCounts(counts: readonly AttributeCount[], memberTotal: number, otherTotal: number, max: number, minSupport = 0): RankedAttribute[] {
  const ranked: RankedAttribute[] = [];
  for (const count of counts) {
    const memberShare = count.members / memberTotal;
    if (count.members < 2 || memberShare < minSupport) continue;
    const otherShare = (count.others + 1) / (otherTotal + 2);
    ranked.push({ kind: count.kind, value: count.value, members: count.members, memberShare, otherShare, lift: memberShare / otherShare });
  }
  return ranked.sort((a, b) => b.lift - a.lift || b.members - a.members || SPECIFICITY[a.kind] - SPECIFICITY[b.kind] || a.value.localeCompare(b.value)).slice(0, max);
}

/** P(at least k of these independent events happen), each with its own chance: the Poisson binomial tail. */
export function poissonBinomialUpperTail(k: number, chances: readonly number[]): number {
  if (k <= 0) return 1;
  // below[j]: the chance that exactly j of the events so far happened, for j < k.
  let below = [1, ...Array.from({ length: k - 1 }, () => 0)];
  for (const chance of chances) {
    below = below.map((probability, j) => probability * (1 - chance) + (j > 0 ? (below[j - 1] ?? 0) * chance : 0));
  }
  return Math.max(0, 1 - below.reduce((sum, probability) => sum + probability, 0));
}

/** P(X >= k) for X ~ Poisson(mean). */
export function poissonUpperTail(k: number, mean: number): number {
  if (k <= 0) return 1;
  let term = Math.exp(-mean);
  let below = term;
  for (let index = 1; index < k; index += 1) {
    term *= mean / index;
    below += term;
  }
  return Math.max(0, 1 - below);
}

/**
 * Follows every finished run of every project in time order: opens an incident when the failing
 * workflows of the last window span enough projects and are more than the recent failure rate
 * gives (Poisson tail), keeps adding failures while they come, and closes it after a quiet spell.
 */
export class IncidentDetector {
  private readonly recent: IncidentRun[] = [];
  private open: Incident | null = null;
  private memberWorkflows = new Set<string>();
  private lastMemberAt = 0;

  constructor(private readonly settings: IncidentSettings = DEFAULT_INCIDENT_SETTINGS) {}

  /** The open incident as it stands (a copy: later runs do not change it). */
  get current(): Incident | null {
    return this.open && snapshot(this.open);
  }

  /** Runs that finished before detection starts (in time order): the baseline, judged for nothing. */
  remember(runs: readonly IncidentRun[]): void {
    for (const run of runs) this.recent.push(run);
    const last = this.recent.at(-1);
    if (last !== undefined) while ((this.recent[0]?.at ?? last.at) < last.at - this.settings.baselineMs) this.recent.shift();
  }

  /** Goes on with an incident opened before (by an earlier leader): later failures join it, and it closes after its quiet spell. */
  adopt(incident: Incident): void {
    this.open = snapshot(incident);
    this.memberWorkflows = new Set(incident.members.map((member) => member.workflowId));
    this.lastMemberAt = Math.max(incident.openedAt, ...incident.members.map((member) => member.at));
  }

  /** The runs of the incident's window that are not its members: the base of its lift. */
  othersOf(incident: Incident): IncidentRun[] {
    const to = incident.end ?? Math.max(incident.openedAt, ...incident.members.map((member) => member.at));
    const ids = new Set(incident.members.map((member) => member.runId));
    return this.recent.filter((candidate) => candidate.at >= incident.start - this.settings.windowMs && candidate.at <= to && !ids.has(candidate.runId));
  }

  /** A finished run, in time order; the incident it opened or closed, if any. */
  observe(run: IncidentRun): Incident | null {
    const closed = this.tick(run.at);
    this.recent.push(run);
    while ((this.recent[0]?.at ?? run.at) < run.at - this.settings.baselineMs) this.recent.shift();
    if (!run.failed) return closed;
    const windowStart = run.at - this.settings.windowMs;
    const failing = this.recent.filter((candidate) => candidate.failed && candidate.at >= windowStart);
    const repeated = repeatedlyFailing(failing);
    if (this.open !== null) {
      // A failure joins when its workflow is a member, or now fails again and again with them.
      if (this.memberWorkflows.has(run.workflowId) || repeated.has(run.workflowId)) {
        for (const member of failing) {
          if (member.workflowId !== run.workflowId || this.open.members.some((known) => known.runId === member.runId)) continue;
          this.open.members.push(member);
        }
        this.memberWorkflows.add(run.workflowId);
        this.lastMemberAt = run.at;
        this.open.attributes = this.ranked(this.open.members, this.open.start, run.at);
      }
      return closed;
    }
    const members = failing.filter((candidate) => repeated.has(candidate.workflowId));
    const projects = new Set(members.map((candidate) => candidate.projectId));
    if (repeated.size < this.settings.minWorkflows || projects.size < this.settings.minProjects) return closed;
    if (poissonBinomialUpperTail(repeated.size, this.repeatChances(windowStart)) >= this.settings.pValue) return closed;
    const start = Math.min(...members.map((candidate) => candidate.at));
    this.open = { start, openedAt: run.at, end: null, members, attributes: this.ranked(members, start, run.at) };
    this.memberWorkflows = new Set(repeated);
    this.lastMemberAt = run.at;
    return closed ?? snapshot(this.open);
  }

  /** Closes the open incident after its quiet spell; the incident closed, if any. */
  tick(now: number): Incident | null {
    if (this.open === null || now - this.lastMemberAt < this.settings.quietMs) return null;
    const closed = { ...snapshot(this.open), end: this.lastMemberAt };
    this.open = null;
    return closed;
  }

  /**
   * Each workflow's chance of failing again and again in a window at its recent rate (Poisson: two
   * failures or more), the rate the higher of the baseline's and the last stretch's before the
   * window; a workflow that has not failed lately has a small chance still (two failures somewhere
   * in the baseline).
   */
  private repeatChances(windowStart: number): number[] {
    const before = this.recent.filter((candidate) => candidate.at < windowStart);
    const baselineSpan = Math.max(windowStart - (before[0]?.at ?? windowStart), this.settings.windowMs);
    const recentSpan = Math.min(RECENT_MS, baselineSpan);
    const inBaseline = new Map<string, number>();
    const inRecent = new Map<string, number>();
    for (const candidate of before) {
      inBaseline.set(candidate.workflowId, (inBaseline.get(candidate.workflowId) ?? 0) + (candidate.failed ? 1 : 0));
      if (candidate.failed && candidate.at >= windowStart - recentSpan) inRecent.set(candidate.workflowId, (inRecent.get(candidate.workflowId) ?? 0) + 1);
    }
    return [...inBaseline].map(([workflowId, failures]) => {
      const perWindow = Math.max(Math.max(failures, 2) / baselineSpan, (inRecent.get(workflowId) ?? 0) / recentSpan) * this.settings.windowMs;
      return poissonUpperTail(REPEATED_FAILURES, perWindow);
    });
  }

  private ranked(members: readonly IncidentRun[], from: number, to: number): RankedAttribute[] {
    const ids = new Set(members.map((member) => member.runId));
    const others = this.recent.filter((candidate) => candidate.at >= from - this.settings.windowMs && candidate.at <= to && !ids.has(candidate.runId));
    return rankAttributes(members, others, this.settings.attributesMax, this.settings.minSupport);
  }
}

/** The workflows with REPEATED_FAILURES or more among these failures. */
function repeatedlyFailing(failures: readonly IncidentRun[]): Set<string> {
  const counts = new Map<string, number>();
  for (const failure of failures) counts.set(failure.workflowId, (counts.get(failure.workflowId) ?? 0) + 1);
  return new Set([...counts].filter(([, count]) => count >= REPEATED_FAILURES).map(([workflowId]) => workflowId));
}

function snapshot(incident: Incident): Incident {
  return { ...incident, members: [...incident.members], attributes: [...incident.attributes] };
}
