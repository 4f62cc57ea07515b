'use client';

import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { graphql } from '../../_gql/index.ts';
import { QueryErrorNotice } from '../query-error-notice.tsx';

const DEFINITION_REPORTS = graphql(`
  query DefinitionReports($definitionId: ID!, $after: String) {
    reports(definitionId: $definitionId, first: 20, after: $after) {
      edges {
        node {
          id
          periodStart
          periodEnd
          state
          origin
          total
          generatedAt
          deliveryState
          deliveryError
          files {
            format
            size
            url
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

function kilobytes(bytes: number): string {
  return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('en-US')} KB`;
}

/** The past reports of a definition, latest period first, with a link to each stored format and the HTML one viewable here. */
export function ReportHistory({ definitionId }: { definitionId: string }) {
  const reports = useQuery(DEFINITION_REPORTS, { variables: { definitionId } });
  const [viewing, setViewing] = useState<string | null>(null);
  if (reports.error) return <QueryErrorNotice subject="the reports" error={reports.error} onRetry={() => void reports.refetch()} />;
  if (!reports.data) return <p className="page-status">Loading reports…</p>;
  const edges = reports.data.reports.edges;
  if (edges.length === 0) return <p className="empty-state">No report yet: the first comes at the next fire, or with “Run now”.</p>;
  return (
    <>
      <div className="table-scroll">
        <table className="table">
          <caption className="visually-hidden">Reports, latest period first</caption>
          <thead>
            <tr>
              <th scope="col">Period</th>
              <th scope="col">State</th>
              <th scope="col">Runs</th>
              <th scope="col">Delivery</th>
              <th scope="col">Files</th>
            </tr>
          </thead>
          <tbody>
            {edges.map(({ node }) => {
              const html = node.files.find((file) => file.format === 'HTML');
              return (
                <tr key={node.id}>
                  <th scope="row" className="mono">
                    {new Date(node.periodStart).toISOString().slice(0, 16).replace('T', ' ')} – {new Date(node.periodEnd).toISOString().slice(0, 16).replace('T', ' ')} UTC
                  </th>
                  <td>{node.state === 'SKIPPED' ? 'Skipped (no runs)' : node.origin === 'MANUAL' ? 'Ready (run by hand)' : 'Ready'}</td>
                  <td>{node.total.toLocaleString('en-US')}</td>
                  <td title={node.deliveryError ?? undefined}>{node.deliveryState.toLowerCase()}</td>
                  <td>
                    <span className="form__actions">
                      {node.files.map((file) => (
                        <a key={file.format} className="button button--secondary button--small" href={file.url} download>
                          {file.format} ({kilobytes(file.size)})
                        </a>
                      ))}
                      {html && (
                        <button type="button" className="button button--small" aria-expanded={viewing === html.url} onClick={() => setViewing(viewing === html.url ? null : html.url)}>
                          {viewing === html.url ? 'Hide' : 'View'}
                        </button>
                      )}
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {reports.data.reports.pageInfo.hasNextPage && (
        <button type="button" className="button button--secondary" onClick={() => void reports.fetchMore({ variables: { after: reports.data?.reports.pageInfo.endCursor ?? null } })}>
          Older reports
        </button>
      )}
      {viewing && <iframe className="report-frame" title="Report" src={viewing} sandbox="" style={{ width: '100%', height: '80vh', border: '1px solid var(--border, #ccc)', background: '#fff' }} />}
    </>
  );
}
