'use client';

import { Bar, BarChart, CartesianGrid, Cell, ReferenceArea, ReferenceDot, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunStatus } from '../../_gql/graphql.ts';
import { durationEpisodes, ANOMALY_KIND_LABELS, type AnomalyLike } from '../../_lib/anomaly-markers.ts';
import { durationAxisWidth, durationTick } from '../../_lib/chart-data.ts';
import { formatDuration } from '../../_lib/format.ts';
import { RUN_STATUSES } from '../../_lib/statuses.ts';
import { AnomalyDot, AnomalyLinks } from './anomaly-marks.tsx';

interface DurationRun {
  id: string;
  status: RunStatus;
  createdAt: string;
  durationMs: number | null;
}

/**
 * How long the latest finished runs took, oldest to newest, each bar in its status colour; the
 * runs of each episode of slowness shaded, with a marker linking to the runs it is about.
 */
export function DurationChart({ runs, anomalies = [] }: { runs: readonly DurationRun[]; anomalies?: readonly AnomalyLike[] }) {
  const ordered = [...runs].reverse();
  const rows = ordered.flatMap((run) => (run.durationMs === null ? [] : [{ id: run.id, at: new Date(run.createdAt).toLocaleString(), seconds: run.durationMs / 1000, status: run.status }]));
  if (rows.length === 0) return <p className="empty-state">No finished runs yet.</p>;
  const episodes = durationEpisodes(ordered, anomalies);
  const longest = Math.max(...rows.map((row) => row.seconds));
  return (
    <div role="img" aria-label={`Durations of the last ${rows.length} finished runs`}>
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid vertical={false} stroke="var(--color-border)" />
          <XAxis dataKey="id" hide />
          <YAxis tickFormatter={durationTick} width={durationAxisWidth(longest)} stroke="var(--color-text-muted)" fontSize={12} />
          <Tooltip labelFormatter={(id) => rows.find((row) => row.id === id)?.at ?? ''} formatter={(value) => [formatDuration(Number(value) * 1000), 'duration']} contentStyle={{ background: 'var(--color-surface)', borderColor: 'var(--color-border)' }} />
          <Bar dataKey="seconds" isAnimationActive={false}>
            {rows.map((row) => (
              <Cell key={row.id} fill={RUN_STATUSES[row.status].color} />
            ))}
          </Bar>
          {episodes.map((episode) => (
            <ReferenceArea key={`area-${episode.anomaly.id}`} x1={episode.firstRunId} x2={episode.lastRunId} className="anomaly-area" />
          ))}
          {episodes.map((episode) => (
            <ReferenceDot
              key={`dot-${episode.anomaly.id}`}
              x={episode.firstRunId}
              y={longest}
              ifOverflow="extendDomain"
              shape={(props: { cx?: number; cy?: number }) => <AnomalyDot cx={props.cx} cy={props.cy} href={episode.href} label={ANOMALY_KIND_LABELS[episode.anomaly.kind]} />}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <AnomalyLinks anomalies={episodes.map((episode) => episode.anomaly)} />
    </div>
  );
}
