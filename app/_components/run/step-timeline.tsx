'use client';

import { graphql } from '../../_gql/index.ts';
import type { StepStatus } from '../../_gql/graphql.ts';
import { useNow } from '../../_hooks/use-now.ts';
import { formatDuration } from '../../_lib/format.ts';
import { STEP_STATUSES } from '../../_lib/statuses.ts';
import { StepStatusBadge } from '../status-badge.tsx';

/** What the run page knows of a step, loaded with the run and pushed live with its events. */
export const STEP_ROW = graphql(`
  fragment StepRow on StepRun {
    id
    name
    status
    startedAt
    finishedAt
    exitCode
    error
    attempt
  }
`);

/** A run's steps, as the run page lists them. */
export const RUN_STEPS = graphql(`
  fragment RunSteps on Run {
    steps {
      ...StepRow
    }
  }
`);

export interface TimelineStep {
  id: string;
  name: string;
  status: StepStatus;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Where each bar starts and how wide it is, in percent of the run's span so far. */
export function timelineBars(steps: readonly TimelineStep[], now: number): Map<string, { left: number; width: number; ms: number }> {
  const starts = steps.flatMap((step) => (step.startedAt ? [Date.parse(step.startedAt)] : []));
  const bars = new Map<string, { left: number; width: number; ms: number }>();
  if (starts.length === 0) return bars;
  const origin = Math.min(...starts);
  const ends = steps.map((step) => (step.finishedAt ? Date.parse(step.finishedAt) : step.startedAt ? now : origin));
  const span = Math.max(Math.max(...ends) - origin, 1);
  for (const step of steps) {
    if (!step.startedAt) continue;
    const start = Date.parse(step.startedAt);
    const end = step.finishedAt ? Date.parse(step.finishedAt) : now;
    bars.set(step.id, { left: ((start - origin) / span) * 100, width: Math.max(((end - start) / span) * 100, 0.5), ms: end - start });
  }
  return bars;
}

/** The steps as a Gantt chart: one row each, a bar from its start to its end (or now). */
export function StepTimeline({ steps, selected, onSelect }: { steps: readonly TimelineStep[]; selected: string | null; onSelect(name: string): void }) {
  const now = useNow();
  const bars = timelineBars(steps, now);
  return (
    <ol className="timeline" aria-label="Steps">
      {steps.map((step) => {
        const bar = bars.get(step.id);
        return (
          <li key={step.id} className="timeline__row">
            <button type="button" className="timeline__name" aria-pressed={selected === step.name} onClick={() => onSelect(step.name)}>
              {step.name}
            </button>
            <StepStatusBadge status={step.status} />
            <span className="timeline__track" aria-hidden="true">
              {bar && <span className="timeline__bar" style={{ left: `${bar.left}%`, width: `${bar.width}%`, background: STEP_STATUSES[step.status].color }} />}
            </span>
            <span className="timeline__duration">{bar ? formatDuration(bar.ms) : '—'}</span>
          </li>
        );
      })}
    </ol>
  );
}
