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
