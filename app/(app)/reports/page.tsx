'use client';

import { useMutation, useQuery } from '@apollo/client/react';
import { Fragment, useState } from 'react';
import { useHasRole } from '../../_apollo/viewer.tsx';
import { ProjectRequired } from '../../_components/alerts/project-required.tsx';
import { useWorkflowNames } from '../../_components/alerts/use-workflow-names.ts';
import { QueryErrorNotice } from '../../_components/query-error-notice.tsx';
import { ReportDefinitionEditor } from '../../_components/reports/report-definition-editor.tsx';
import { ReportHistory } from '../../_components/reports/report-history.tsx';
import { graphql } from '../../_gql/index.ts';
import { emptyReportForm, PERIOD_KIND_LABELS, type ReportForm } from '../../_lib/report-form.ts';

const REPORTS_PAGE = graphql(`
  query ReportsPage($projectId: ID!) {
    reportDefinitions(projectId: $projectId) {
      id
      name
      schedule
      timeZone
      periodKind
      windowHours
      filter {
        workflowIds
      }
      sections
      formats
      contactPointIds
      skipIfEmpty
      nextRunAt
    }
    contactPoints(projectId: $projectId) {
      id
      name
    }
  }
`);

const RUN_REPORT_NOW = graphql(`
  mutation RunReportNow($definitionId: ID!) {
    runReportNow(definitionId: $definitionId) {
      id
    }
  }
`);

const DELETE_REPORT_DEFINITION = graphql(`
  mutation DeleteReportDefinition($id: ID!) {
    deleteReportDefinition(id: $id)
  }
`);

function ProjectReports({ projectId }: { projectId: string }) {
  const canAdminister = useHasRole(projectId, 'ADMIN');
  const canOperate = useHasRole(projectId, 'OPERATOR');
  const page = useQuery(REPORTS_PAGE, { variables: { projectId } });
  const workflows = useWorkflowNames(projectId);
  const [editing, setEditing] = useState<ReportForm | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [runNow, running] = useMutation(RUN_REPORT_NOW, { onError: (error) => setProblem(error.message), refetchQueries: ['DefinitionReports'] });
  const [remove] = useMutation(DELETE_REPORT_DEFINITION, { onError: (error) => setProblem(error.message), refetchQueries: ['ReportsPage'] });
  if (page.error) return <QueryErrorNotice subject="the reports" error={page.error} onRetry={() => void page.refetch()} />;
  if (!page.data) return <p className="page-status">Loading reports…</p>;
  const contactPoints = page.data.contactPoints;
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  return (
    <>
      {canAdminister && !editing && (
        <button type="button" className="button" onClick={() => setEditing(emptyReportForm(timeZone))}>
          New report
        </button>
      )}
      {editing && <ReportDefinitionEditor key={editing.id ?? 'new'} projectId={projectId} initial={editing} workflows={workflows.options} contactPoints={contactPoints} onDone={() => setEditing(null)} />}
      {problem && (
        <p className="notice notice--error" role="alert">
          {problem}
        </p>
      )}
      {page.data.reportDefinitions.length === 0 ? (
        <p className="empty-state">No reports in this project yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">Report definitions, by name</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Schedule</th>
                <th scope="col">Period</th>
                <th scope="col">Next</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.data.reportDefinitions.map((definition) => (
                <Fragment key={definition.id}>
                  <tr>
                    <th scope="row">{definition.name}</th>
                    <td className="mono cron">
                      {definition.schedule} ({definition.timeZone})
                    </td>
                    <td>{definition.periodKind === 'ROLLING' ? `${definition.windowHours ?? '?'} h rolling` : PERIOD_KIND_LABELS[definition.periodKind]}</td>
                    <td>{definition.nextRunAt ? new Date(definition.nextRunAt).toLocaleString() : 'disabled'}</td>
                    <td>
                      <span className="form__actions">
                        <button type="button" className="button button--secondary button--small" aria-expanded={open === definition.id} onClick={() => setOpen(open === definition.id ? null : definition.id)}>
                          Reports
                        </button>
                        {canOperate && (
                          <button type="button" className="button button--secondary button--small" disabled={running.loading} onClick={() => void runNow({ variables: { definitionId: definition.id } }).then(() => setOpen(definition.id))}>
                            Run now
                          </button>
                        )}
                        {canAdminister && (
                          <>
                            <button
                              type="button"
                              className="button button--secondary button--small"
                              onClick={() =>
                                setEditing({
                                  id: definition.id,
                                  name: definition.name,
                                  schedule: definition.schedule,
                                  timeZone: definition.timeZone,
                                  periodKind: definition.periodKind,
                                  windowHours: String(definition.windowHours ?? 24),
                                  workflowIds: definition.filter.workflowIds,
                                  sections: definition.sections,
                                  formats: definition.formats,
                                  contactPointIds: definition.contactPointIds,
                                  skipIfEmpty: definition.skipIfEmpty,
                                })
                              }
                            >
                              Edit
                            </button>
                            <button
                              type="button"
                              className="button button--danger button--small"
                              onClick={() => window.confirm(`Delete the report “${definition.name}” and every report it made?`) && void remove({ variables: { id: definition.id } })}
                            >
                              Delete
                            </button>
                          </>
                        )}
                      </span>
                    </td>
                  </tr>
                  {open === definition.id && (
                    <tr>
                      <td colSpan={5}>
                        <ReportHistory definitionId={definition.id} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export default function ReportsPage() {
  return (
    <>
      <div className="page-heading">
        <h1>Reports</h1>
      </div>
      <ProjectRequired what="reports">{(projectId) => <ProjectReports projectId={projectId} />}</ProjectRequired>
    </>
  );
}
