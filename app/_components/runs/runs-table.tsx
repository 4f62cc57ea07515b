import Link from 'next/link';
import { graphql } from '../../_gql/index.ts';
import type { RunRowFragment } from '../../_gql/graphql.ts';
import { formatDuration } from '../../_lib/format.ts';
import { queuedHint } from '../../_lib/queued-reason.ts';
import { triggerLabel } from '../../_lib/triggers.ts';
import { DateTime } from '../date-time.tsx';
import { RunStatusBadge } from '../status-badge.tsx';

/** What a row of runs shows, wherever runs are listed or pushed live. */
export const RUN_ROW = graphql(`
  fragment RunRow on Run {
    id
    status
    trigger
    createdAt
    startedAt
    finishedAt
    durationMs
    attempt
    workflow {
      id
      name
    }
    project {
      id
      name
    }
  }
`);

/**
 * Runs as a table: one row per run, its status first; a queued run whose `queuedReason` was
 * asked for says why it waits under its status.
 */
export function RunsTable({ runs, caption }: { runs: readonly (RunRowFragment & { queuedReason?: string | null })[]; caption: string }) {
  return (
    <div className="table-scroll">
      <table className="table runs-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Workflow</th>
            <th scope="col">Project</th>
            <th scope="col">Trigger</th>
            <th scope="col">Created</th>
            <th scope="col" className="runs-table__number">
              Duration
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const hint = queuedHint(run.status, run.queuedReason);
            return (
              <tr key={run.id} data-run-id={run.id}>
                <td>
                  <RunStatusBadge status={run.status} />
                  {hint && <span className="runs-table__hint muted">{hint}</span>}
                </td>
                <th scope="row">
                  <Link href={`/runs/${run.id}`} prefetch={false}>
                    {run.workflow.name}
                  </Link>
                  <span className="runs-table__id muted">{run.id}</span>
                </th>
                <td>{run.project.name}</td>
                <td>
                  {triggerLabel(run.trigger)}
                  {run.attempt > 1 ? ` (attempt ${run.attempt})` : ''}
                </td>
                <td>
                  <DateTime iso={run.createdAt} />
                </td>
                <td className="runs-table__number">{formatDuration(run.durationMs)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
