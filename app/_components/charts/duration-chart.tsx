'use client';

import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunStatus } from '../../_gql/graphql.ts';
import { formatDuration } from '../../_lib/format.ts';
import { RUN_STATUSES } from '../../_lib/statuses.ts';

interface DurationRun {
  id: string;
  status: RunStatus;
  createdAt: string;
  durationMs: number | null;
}

/** How long the latest finished runs took, oldest to newest, each bar in its status colour. */
export function DurationChart({ runs }: { runs: readonly DurationRun[] }) {
  const rows = [...runs]
    .reverse()
    .flatMap((run) => (run.durationMs === null ? [] : [{ id: run.id, at: new Date(run.createdAt).toLocaleString(), seconds: run.durationMs / 1000, status: run.status }]));
  if (rows.length === 0) return <p className="empty-state">No finished runs yet.</p>;
  return (
    <div role="img" aria-label={`Durations of the last ${rows.length} finished runs`}>
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
          <CartesianGrid vertical={false} stroke="var(--color-border)" />
          <XAxis dataKey="at" hide />
          <YAxis tickFormatter={(seconds: number) => formatDuration(seconds * 1000)} width={72} stroke="var(--color-text-muted)" fontSize={12} />
          <Tooltip formatter={(value) => [formatDuration(Number(value) * 1000), 'duration']} contentStyle={{ background: 'var(--color-surface)', borderColor: 'var(--color-border)' }} />
          <Bar dataKey="seconds" isAnimationActive={false}>
            {rows.map((row) => (
              <Cell key={row.id} fill={RUN_STATUSES[row.status].color} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
