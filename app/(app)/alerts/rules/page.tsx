'use client';

import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { useHasRole } from '../../../_apollo/viewer.tsx';
import { AlertsNav } from '../../../_components/alerts/alerts-nav.tsx';
import { OwnedByWorkflow } from '../../../_components/alerts/owned-by-workflow.tsx';
import { ProjectRequired } from '../../../_components/alerts/project-required.tsx';
import { RuleEditor } from '../../../_components/alerts/rule-editor.tsx';
import { useWorkflowNames } from '../../../_components/alerts/use-workflow-names.ts';
import { QueryErrorNotice } from '../../../_components/query-error-notice.tsx';
import { graphql } from '../../../_gql/index.ts';
import { ALERT_RULE_KINDS, EMPTY_RULE_FORM, ruleFormOf, type AlertRuleForm } from '../../../_lib/alert-rule-form.ts';

const RULES_PAGE = graphql(`
  query AlertRulesPage($projectId: ID!) {
    alertRules(projectId: $projectId) {
      ...AlertRuleFields
    }
    contactPoints(projectId: $projectId) {
      id
      name
    }
  }
`);

const DELETE_RULE = graphql(`
  mutation DeleteAlertRule($id: ID!) {
    deleteAlertRule(id: $id)
  }
`);

function ProjectRules({ projectId }: { projectId: string }) {
  const canAdminister = useHasRole(projectId, 'ADMIN');
  const rules = useQuery(RULES_PAGE, { variables: { projectId } });
  const workflows = useWorkflowNames(projectId);
  const [editing, setEditing] = useState<AlertRuleForm | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Deleting a rule deletes its alerts: the header's count follows at once.
  const [remove] = useMutation(DELETE_RULE, { onError: (error) => setProblem(error.message), refetchQueries: ['AlertRulesPage', 'FiringAlertCount'] });
  if (rules.error) return <QueryErrorNotice subject="the alert rules" error={rules.error} onRetry={() => void rules.refetch()} />;
  if (!rules.data) return <p className="page-status">Loading rules…</p>;
  const contactPointNames = new Map(rules.data.contactPoints.map((point) => [point.id, point.name]));

  return (
    <>
      {canAdminister && !editing && (
        <button type="button" className="button" onClick={() => setEditing(EMPTY_RULE_FORM)}>
          New rule
        </button>
      )}
      {editing && <RuleEditor key={editing.id ?? 'new'} projectId={projectId} initial={editing} workflows={workflows.options} contactPoints={rules.data.contactPoints} onDone={() => setEditing(null)} />}
      {problem && (
        <p className="notice notice--error" role="alert">
          {problem}
        </p>
      )}
      {rules.data.alertRules.length === 0 ? (
        <p className="empty-state">No alert rules in this project yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">Alert rules, by name</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Workflows</th>
                <th scope="col">Contact points</th>
                <th scope="col">Enabled</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rules.data.alertRules.map((rule) => (
                <tr key={rule.id}>
                  <th scope="row">{rule.name}</th>
                  <td>{ALERT_RULE_KINDS[rule.kind]}</td>
                  <td>{rule.workflowIds.length === 0 ? 'Every workflow' : rule.workflowIds.map((id) => workflows.byId.get(id) ?? id).join(', ')}</td>
                  <td>{rule.contactPointIds.map((id) => contactPointNames.get(id) ?? id).join(', ') || '—'}</td>
                  <td>{rule.enabled ? 'Yes' : 'No'}</td>
                  <td>
                    {rule.ownerWorkflowId ? (
                      <OwnedByWorkflow workflowId={rule.ownerWorkflowId} workflowName={workflows.byId.get(rule.ownerWorkflowId) ?? null} />
                    ) : canAdminister && (
                      <span className="form__actions">
                        <button type="button" className="button button--secondary button--small" onClick={() => setEditing(ruleFormOf(rule))}>
                          Edit
                        </button>
                        <button
                          type="button"
                          className="button button--danger button--small"
                          onClick={() => window.confirm(`Delete the rule “${rule.name}” and its alerts?`) && void remove({ variables: { id: rule.id } })}
                        >
                          Delete
                        </button>
                      </span>
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

export default function AlertRulesPage() {
  return (
    <>
      <div className="page-heading">
        <h1>Alert rules</h1>
        <AlertsNav />
      </div>
      <ProjectRequired what="alert rules">{(projectId) => <ProjectRules projectId={projectId} />}</ProjectRequired>
    </>
  );
}
