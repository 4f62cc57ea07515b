/**
 * What the detectors find, in the shapes the Anomaly store and the API use. Each detector owns
 * series (a workflow, or a workflow's step) and says per series whether it has learnt enough to
 * judge, and when an episode of abnormal behaviour begins and ends.
 */

export const ANOMALY_KINDS = ['DURATION_SPIKE', 'FAILURE_BURST', 'VOLUME_DROP', 'MISSED_SCHEDULE', 'LEVEL_SHIFT', 'FLAKY'] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** LEARNING: too little history to judge, nothing is raised; ANOMALOUS: inside an episode. */
export type SeriesState = 'LEARNING' | 'NORMAL' | 'ANOMALOUS';

/** The series a finding is about: a workflow, or one of its steps. */
export interface SeriesKey {
  workflowId: string;
  step: string | null;
}

/** One episode: raised when a series turns ANOMALOUS; `end` set once it is NORMAL again. */
export interface AnomalyFinding {
  kind: AnomalyKind;
  series: SeriesKey;
  /** When the evidence starts (the first abnormal observation) and when the episode was raised. Unix ms. */
  start: number;
  raisedAt: number;
  end: number | null;
  /** How unusual, in the detector's own unit (a robust z, a -log10 tail probability, a CUSUM level). */
  score: number;
  expected: number;
  observed: number;
  lower: number;
  upper: number;
}

/** Key of a series in maps. */
export function seriesId(series: SeriesKey): string {
  return series.step === null ? series.workflowId : `${series.workflowId}\u0000${series.step}`;
}

export function isAnomalyKind(text: string): text is AnomalyKind {
  return (ANOMALY_KINDS as readonly string[]).includes(text);
}

/** A stored finding: what the anomalies query and the anomalyEvents feed show. */
export interface AnomalyRecord {
  id: string;
  /** Its latest change in the anomaly feed. */
  seq: bigint;
  projectId: string;
  workflowId: string;
  step: string | null;
  kind: AnomalyKind;
  start: Date;
  raisedAt: Date;
  end: Date | null;
  score: number;
  expected: number;
  observed: number;
  lower: number;
  upper: number;
  dismissedAt: Date | null;
  dismissedBy: string | null;
  dismissReason: string | null;
}

/** Which anomalies to list: of these projects, newest raised first. */
export interface AnomalySelection {
  projectIds: readonly string[];
  workflowIds: readonly string[] | null;
  kinds: readonly AnomalyKind[] | null;
  /** true: only episodes still open; false: only ended ones; null: both. */
  open: boolean | null;
  includeDismissed: boolean;
  /** Raised in [from, to). */
  from: Date | null;
  to: Date | null;
}

/** The key that makes one open episode per series and kind. */
export function openKeyOf(series: SeriesKey, kind: AnomalyKind): string {
  return `${series.workflowId}:${series.step ?? ''}:${kind}`;
}
