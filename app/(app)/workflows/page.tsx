'use client';

import { useQuery } from '@apollo/client/react';
import Link from 'next/link';
import { useEffect } from 'react';
import { useLiveStatusCounts } from '../../_apollo/live.ts';
import { QueryErrorNotice } from '../../_components/query-error-notice.tsx';
import { RunStatusBadge } from '../../_components/status-badge.tsx';
import { RecentRunsSpark } from '../../_components/workflow/recent-runs-spark.tsx';
import { TriggerButton } from '../../_components/workflow/trigger-button.tsx';
import { graphql } from '../../_gql/index.ts';
import { useUrlState } from '../../_hooks/use-url-state.ts';
import { formatDateTime } from '../../_lib/format.ts';

const WORKFLOWS_PAGE = graphql(`
  query WorkflowsPage($projectId: ID) {
    workflows(projectId: $projectId, first: 200) {
      edges {
        node {
          id
          name
          description
          schedule
          nextFireAt
          enabled
          loadError
          project {
            id
            name
          }
          recentRuns {
            id
            status
            durationMs
          }
        }
      }
    }
  }
`);

export default function WorkflowsPage() {
  const { projectId } = useUrlState();
  const { data, error, refetch } = useQuery(WORKFLOWS_PAGE, { variables: { projectId } });
  // Last statuses follow the runs: a push of the counts means some run changed.
  const { counts } = useLiveStatusCounts(projectId ? { projectIds: [projectId] } : {});
  useEffect(() => {
    if (counts?.snapshot) void refetch();
  }, [counts?.snapshot, refetch]);

  const workflows = data?.workflows.edges.map((edge) => edge.node) ?? [];
  return (
    <>
      <div className="page-heading">
        <h1>Workflows</h1>
      </div>
      {error && <QueryErrorNotice subject="the workflows" error={error} onRetry={() => void refetch()} />}
      {!data && !error && <p className="page-status">Loading workflows…</p>}
      {data && workflows.length === 0 && (
        <div className="empty-state">
          <p className="empty-state__title">No workflows here yet.</p>
          <p>Put YAML files in WORKFLOWS_DIR, or save one with the saveWorkflow mutation (see the Playground).</p>
        </div>
      )}
      {workflows.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">Workflows by name</caption>
            <thead>
              <tr>
                <th scope="col">Workflow</th>
                <th scope="col">Project</th>
                <th scope="col">Schedule</th>
                <th scope="col">Next run</th>
                <th scope="col">Last status</th>
                <th scope="col">Recent runs</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {workflows.map((workflow) => (
                <tr key={workflow.id}>
                  <th scope="row">
                    <Link href={`/workflows/${workflow.id}`}>{workflow.name}</Link>
                    {!workflow.enabled && <span className="badge">disabled</span>}
                    {workflow.loadError && <span className="badge badge--danger">file error</span>}
                    {workflow.description && <span className="muted workflow-description">{workflow.description}</span>}
                  </th>
                  <td>{workflow.project.name}</td>
                  <td className="mono cron">{workflow.schedule ?? '—'}</td>
                  <td>{workflow.nextFireAt ? formatDateTime(workflow.nextFireAt) : '—'}</td>
                  <td>{workflow.recentRuns[0] ? <RunStatusBadge status={workflow.recentRuns[0].status} /> : <span className="muted">never ran</span>}</td>
                  <td>
                    <RecentRunsSpark runs={workflow.recentRuns} />
                  </td>
                  <td>
                    <TriggerButton workflow={workflow} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
