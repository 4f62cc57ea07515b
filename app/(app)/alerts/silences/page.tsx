'use client';

import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { useHasRole } from '../../../_apollo/viewer.tsx';
import { AlertsNav } from '../../../_components/alerts/alerts-nav.tsx';
import { ProjectRequired } from '../../../_components/alerts/project-required.tsx';
import { SilenceEditor } from '../../../_components/alerts/silence-editor.tsx';
import { useWorkflowNames } from '../../../_components/alerts/use-workflow-names.ts';
import { QueryErrorNotice } from '../../../_components/query-error-notice.tsx';
import { graphql } from '../../../_gql/index.ts';
import { formatDateTime } from '../../../_lib/format.ts';

const SILENCES_PAGE = graphql(`
  query SilencesPage($projectId: ID!) {
    silences(projectId: $projectId) {
      id
      ruleIds
      workflowIds
      workflowNames
      startsAt
      endsAt
      comment
      createdBy
    }
    alertRules(projectId: $projectId) {
      id
      name
    }
  }
`);

const EXPIRE_SILENCE = graphql(`
  mutation ExpireSilence($id: ID!) {
    expireSilence(id: $id) {
      id
    }
  }
`);

function namesOf(ids: readonly string[], names: ReadonlyMap<string, string>, extra: readonly string[] = []): string {
  const all = [...ids.map((id) => names.get(id) ?? id), ...extra];
  return all.length === 0 ? 'Any' : all.join(', ');
}

function ProjectSilences({ projectId }: { projectId: string }) {
  const canOperate = useHasRole(projectId, 'OPERATOR');
  const silences = useQuery(SILENCES_PAGE, { variables: { projectId } });
  const workflows = useWorkflowNames(projectId);
  const [creating, setCreating] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [expire] = useMutation(EXPIRE_SILENCE, { onError: (error) => setProblem(error.message), refetchQueries: ['SilencesPage'] });
  if (silences.error) return <QueryErrorNotice subject="the silences" error={silences.error} onRetry={() => void silences.refetch()} />;
  if (!silences.data) return <p className="page-status">Loading silences…</p>;
  const ruleNames = new Map(silences.data.alertRules.map((rule) => [rule.id, rule.name]));

  return (
    <>
      {canOperate && !creating && (
        <button type="button" className="button" onClick={() => setCreating(true)}>
          New silence
        </button>
      )}
      {creating && <SilenceEditor projectId={projectId} rules={silences.data.alertRules} workflows={workflows.options} onDone={() => setCreating(false)} />}
      {problem && (
        <p className="notice notice--error" role="alert">
          {problem}
        </p>
      )}
      {silences.data.silences.length === 0 ? (
        <p className="empty-state">No silences in force or to come.</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">Silences, the soonest to end first</caption>
            <thead>
              <tr>
                <th scope="col">Rules</th>
                <th scope="col">Workflows</th>
                <th scope="col">From</th>
                <th scope="col">Until</th>
                <th scope="col">Comment</th>
                <th scope="col">By</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {silences.data.silences.map((silence) => (
                <tr key={silence.id}>
                  <td>{namesOf(silence.ruleIds, ruleNames)}</td>
                  <td>{namesOf(silence.workflowIds, workflows.byId, silence.workflowNames)}</td>
                  <td>{formatDateTime(silence.startsAt)}</td>
                  <td>{formatDateTime(silence.endsAt)}</td>
                  <td>{silence.comment}</td>
                  <td>{silence.createdBy}</td>
                  <td>
                    {canOperate && (
                      <button type="button" className="button button--secondary button--small" onClick={() => void expire({ variables: { id: silence.id } })}>
                        Expire
                      </button>
                    )}
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

export default function SilencesPage() {
  return (
    <>
      <div className="page-heading">
        <h1>Silences</h1>
        <AlertsNav />
      </div>
      <ProjectRequired what="silences">{(projectId) => <ProjectSilences projectId={projectId} />}</ProjectRequired>
    </>
  );
}
