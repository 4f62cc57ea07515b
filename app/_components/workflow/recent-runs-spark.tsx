import type { RunStatus } from '../../_gql/graphql.ts';
import { successRate } from '../../_lib/chart-data.ts';
import { countOf } from '../../_lib/plural.ts';
import { RUN_STATUSES } from '../../_lib/statuses.ts';

interface SparkRun {
  id: string;
  status: RunStatus;
  durationMs: number | null;
}

/** The latest runs, oldest to newest, as bars in their status colour (taller: longer); with the success rate beside. */
export function RecentRunsSpark({ runs }: { runs: readonly SparkRun[] }) {
  if (runs.length === 0) return <span className="muted">no runs yet</span>;
  const ordered = [...runs].reverse();
  const longest = Math.max(...ordered.map((run) => run.durationMs ?? 0), 1);
  const rate = successRate(ordered.map((run) => run.status));
  const summary = `${rate === null ? 'none finished' : `${Math.round(rate * 100)}% succeeded`} of the last ${countOf(runs.length, 'run', 'runs')}`;
  return (
    <span className="spark" title={summary}>
      <span className="spark__bars" aria-hidden="true">
        {ordered.map((run) => (
          <span
            key={run.id}
            className="spark__bar"
            style={{ height: `${25 + 75 * ((run.durationMs ?? longest * 0.2) / longest)}%`, background: RUN_STATUSES[run.status].color }}
          />
        ))}
      </span>
      <span className="spark__rate">{rate === null ? '—' : `${Math.round(rate * 100)}%`}</span>
      <span className="visually-hidden">{summary}</span>
    </span>
  );
}
