'use client';

import { useQuery } from '@apollo/client/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { graphql } from '../../_gql/index.ts';
import type { AlertRuleInput } from '../../_gql/graphql.ts';
import { PREVIEW_DAYS, previewDays, previewSummary } from '../../_lib/alert-preview-chart.ts';

const PREVIEW_RULE = graphql(`
  query PreviewAlertRule($rule: AlertRuleInput!, $from: DateTime!, $to: DateTime!) {
    previewAlertRule(rule: $rule, from: $from, to: $to) {
      runsRead
      episodes {
        workflowId
        workflowName
        firedAt
        resolvedAt
        summary
      }
    }
  }
`);

const DAY_MS = 24 * 60 * 60 * 1000;
// The preview follows the form once typing pauses, not at every key.
const SETTLE_MS = 400;
const LISTED = 5;
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** The rule as the form stands, replayed over the last 30 days before it is saved: episodes per day on a chart, and the latest listed. */
export function RulePreview({ input }: { input: AlertRuleInput | null }) {
  const [range] = useState(() => {
    const to = new Date();
    return { from: new Date(to.getTime() - PREVIEW_DAYS * DAY_MS), to };
  });
  // A rule without a name yet can be previewed all the same.
  const current = input === null ? null : { ...input, id: null, name: input.name.trim() || 'preview' };
  const key = JSON.stringify(current);
  const latest = useRef(current);
  latest.current = current;
  const [rule, setRule] = useState(current);
  useEffect(() => {
    const timer = setTimeout(() => setRule(latest.current), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [key]);
  const preview = useQuery(PREVIEW_RULE, { variables: { rule: rule ?? { projectId: '', name: '', kind: 'RUN_FAILED' }, from: range.from.toISOString(), to: range.to.toISOString() }, skip: rule === null });

  const result = preview.data?.previewAlertRule ?? preview.previousData?.previewAlertRule ?? null;
  const days = useMemo(() => previewDays(result?.episodes ?? [], range.from), [result, range.from]);
  return (
    <section className="rule-preview" aria-label={`Preview over the last ${PREVIEW_DAYS} days`}>
      <h3 className="rule-preview__title">Preview over the last {PREVIEW_DAYS} days</h3>
      {rule === null && <p className="muted">Fix the fields above to see when the rule would have fired.</p>}
      {preview.error && <p className="muted">{preview.error.message}</p>}
      {rule !== null && !preview.error && !result && <p className="muted">Replaying the runs…</p>}
      {result && !preview.error && (
        <>
          <p role="status">{previewSummary(result.episodes, result.runsRead)}</p>
          <div role="img" aria-label={`Alerts the rule would have fired and resolved per day over the last ${PREVIEW_DAYS} days`}>
            <ResponsiveContainer width="100%" height={180}>
              <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
                <CartesianGrid vertical={false} stroke="var(--color-border)" />
                <XAxis dataKey="start" tickFormatter={(start: number) => dayFormat.format(start)} stroke="var(--color-text-muted)" fontSize={12} minTickGap={24} />
                <YAxis allowDecimals={false} stroke="var(--color-text-muted)" fontSize={12} />
                <Tooltip labelFormatter={(start) => dayFormat.format(Number(start))} contentStyle={{ background: 'var(--color-surface)', borderColor: 'var(--color-border)' }} />
                <Legend />
                <Bar dataKey="fired" name="Fired" fill="var(--status-failed)" isAnimationActive={false} />
                <Bar dataKey="resolved" name="Resolved" fill="var(--status-succeeded)" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
          {result.episodes.length > 0 && (
            <ul className="rule-preview__episodes" aria-label="The latest times it would have fired">
              {result.episodes
                .slice(-LISTED)
                .reverse()
                .map((episode) => (
                  <li key={`${episode.workflowId}:${episode.firedAt}`}>
                    {episode.workflowName}: fired {new Date(episode.firedAt).toLocaleString()}
                    {episode.resolvedAt ? `, resolved ${new Date(episode.resolvedAt).toLocaleString()}` : ', still firing'} — {episode.summary}
                  </li>
                ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
