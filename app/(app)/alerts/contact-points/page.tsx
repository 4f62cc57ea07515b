'use client';

import { useMutation, useQuery } from '@apollo/client/react';
import { Fragment, useState } from 'react';
import { useHasRole } from '../../../_apollo/viewer.tsx';
import { AlertsNav } from '../../../_components/alerts/alerts-nav.tsx';
import { OwnedByWorkflow } from '../../../_components/alerts/owned-by-workflow.tsx';
import { ContactPointEditor } from '../../../_components/alerts/contact-point-editor.tsx';
import { DeliveryLog } from '../../../_components/alerts/delivery-log.tsx';
import { ProjectRequired } from '../../../_components/alerts/project-required.tsx';
import { TestContactPoint } from '../../../_components/alerts/test-contact-point.tsx';
import { QueryErrorNotice } from '../../../_components/query-error-notice.tsx';
import { graphql } from '../../../_gql/index.ts';
import { CONTACT_POINT_KINDS, contactPointFormOf, EMPTY_CONTACT_POINT_FORM, type ContactPointForm } from '../../../_lib/contact-point-form.ts';

const CONTACT_POINTS_PAGE = graphql(`
  query ContactPointsPage($projectId: ID!) {
    contactPoints(projectId: $projectId) {
      id
      name
      kind
      url
      hasSecret
      ownerWorkflowId
      email {
        host
        port
        secure
        user
        from
        to
      }
    }
  }
`);

const DELETE_CONTACT_POINT = graphql(`
  mutation DeleteContactPoint($id: ID!) {
    deleteContactPoint(id: $id)
  }
`);

interface Editing {
  form: ContactPointForm;
  hasSecret: boolean;
}

function ProjectContactPoints({ projectId }: { projectId: string }) {
  const canAdminister = useHasRole(projectId, 'ADMIN');
  const points = useQuery(CONTACT_POINTS_PAGE, { variables: { projectId } });
  const [editing, setEditing] = useState<Editing | null>(null);
  const [logOf, setLogOf] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [remove] = useMutation(DELETE_CONTACT_POINT, { onError: (error) => setProblem(error.message), refetchQueries: ['ContactPointsPage'] });
  if (points.error) return <QueryErrorNotice subject="the contact points" error={points.error} onRetry={() => void points.refetch()} />;
  if (!points.data) return <p className="page-status">Loading contact points…</p>;

  return (
    <>
      {canAdminister && !editing && (
        <button type="button" className="button" onClick={() => setEditing({ form: EMPTY_CONTACT_POINT_FORM, hasSecret: false })}>
          New contact point
        </button>
      )}
      {editing && <ContactPointEditor key={editing.form.id ?? 'new'} projectId={projectId} initial={editing.form} hasSecret={editing.hasSecret} onDone={() => setEditing(null)} />}
      {problem && (
        <p className="notice notice--error" role="alert">
          {problem}
        </p>
      )}
      {points.data.contactPoints.length === 0 ? (
        <p className="empty-state">No contact points in this project yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">Contact points, by name</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Where</th>
                <th scope="col">Secret</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {points.data.contactPoints.map((point) => (
                <Fragment key={point.id}>
                  <tr>
                    <th scope="row">{point.name}</th>
                    <td>{CONTACT_POINT_KINDS[point.kind]}</td>
                    <td className="mono">{point.email ? `${point.email.to.join(', ')} via ${point.email.host}:${point.email.port}` : point.url}</td>
                    <td>{point.hasSecret ? 'Stored' : 'None'}</td>
                    <td>
                      {point.ownerWorkflowId && <OwnedByWorkflow workflowId={point.ownerWorkflowId} workflowName={null} />}
                      {canAdminister && (
                        <span className="form__actions">
                          {!point.ownerWorkflowId && (
                            <button type="button" className="button button--secondary button--small" onClick={() => setEditing({ form: contactPointFormOf(point), hasSecret: point.hasSecret })}>
                              Edit
                            </button>
                          )}
                          <TestContactPoint contactPointId={point.id} />
                          <button type="button" className="button button--secondary button--small" aria-expanded={logOf === point.id} onClick={() => setLogOf(logOf === point.id ? null : point.id)}>
                            Delivery log
                          </button>
                          {!point.ownerWorkflowId && (
                            <button
                              type="button"
                              className="button button--danger button--small"
                              onClick={() => window.confirm(`Delete the contact point “${point.name}” and its delivery log?`) && void remove({ variables: { id: point.id } })}
                            >
                              Delete
                            </button>
                          )}
                        </span>
                      )}
                    </td>
                  </tr>
                  {logOf === point.id && (
                    <tr>
                      <td colSpan={5}>
                        <DeliveryLog projectId={projectId} contactPointId={point.id} />
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

export default function ContactPointsPage() {
  return (
    <>
      <div className="page-heading">
        <h1>Contact points</h1>
        <AlertsNav />
      </div>
      <ProjectRequired what="contact points">{(projectId) => <ProjectContactPoints projectId={projectId} />}</ProjectRequired>
    </>
  );
}
