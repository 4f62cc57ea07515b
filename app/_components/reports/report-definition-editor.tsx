'use client';

import { countOf } from '../../_lib/plural.ts';
import { useLazyQuery, useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { graphql } from '../../_gql/index.ts';
import { isFormat, isPeriodKind, isSection, PERIOD_KIND_LABELS, REPORT_FORMAT_LABELS, REPORT_SECTION_LABELS, reportInputOf, type ReportForm } from '../../_lib/report-form.ts';
import { CheckboxGroup } from '../alerts/checkbox-group.tsx';
import type { SelectOption } from '../option-select.tsx';

const PREVIEW_REPORT = graphql(`
  query PreviewReportDefinition($input: ReportDefinitionInput!) {
    previewReportDefinition(input: $input) {
      periodStart
      periodEnd
      periodLabel
      total
      byStatus {
        status
        count
      }
      content
    }
  }
`);

const SAVE_REPORT_DEFINITION = graphql(`
  mutation SaveReportDefinition($input: ReportDefinitionInput!) {
    saveReportDefinition(input: $input) {
      id
    }
  }
`);

const options = (labels: Record<string, string>): SelectOption[] => Object.entries(labels).map(([id, name]) => ({ id, name }));

/** The top failing workflows of a previewed report's content, read by shape. */
function topFailingOf(content: unknown): { name: string; failures: number }[] {
  if (typeof content !== 'object' || content === null || !('topFailing' in content) || !Array.isArray(content.topFailing)) return [];
  return content.topFailing.flatMap((row: unknown) =>
    typeof row === 'object' && row !== null && 'workflowName' in row && 'failures' in row && typeof row.workflowName === 'string' && typeof row.failures === 'number' ? [{ name: row.workflowName, failures: row.failures }] : [],
  );
}

interface ReportDefinitionEditorProps {
  projectId: string;
  initial: ReportForm;
  workflows: readonly SelectOption[];
  contactPoints: readonly SelectOption[];
  onDone(): void;
}

/** Creates or replaces a report definition of the project, with a preview of its next report before saving. */
export function ReportDefinitionEditor({ projectId, initial, workflows, contactPoints, onDone }: ReportDefinitionEditorProps) {
  const [form, setForm] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const [preview, previewed] = useLazyQuery(PREVIEW_REPORT, { fetchPolicy: 'network-only', errorPolicy: 'all' });
  const [save, saving] = useMutation(SAVE_REPORT_DEFINITION, { onError: (error) => setProblem(error.message), onCompleted: onDone, refetchQueries: ['ReportsPage'] });
  const change = (part: Partial<ReportForm>) => setForm((previous) => ({ ...previous, ...part }));
  const input = reportInputOf(projectId, form);
  const result = previewed.data?.previewReportDefinition;

  return (
    <form
      className="form alert-form"
      aria-label={form.id ? 'Edit report definition' : 'New report definition'}
      onSubmit={(event) => {
        event.preventDefault();
        setProblem(null);
        void save({ variables: { input } });
      }}
    >
      <label className="field">
        <span className="field__label">Name</span>
        <input className="field__input" value={form.name} onChange={(event) => change({ name: event.target.value })} />
      </label>
      <label className="field">
        <span className="field__label">Schedule (cron, five fields)</span>
        <input className="field__input mono" value={form.schedule} onChange={(event) => change({ schedule: event.target.value })} />
      </label>
      <label className="field">
        <span className="field__label">Time zone (IANA)</span>
        <input className="field__input" value={form.timeZone} onChange={(event) => change({ timeZone: event.target.value })} />
      </label>
      <label className="field">
        <span className="field__label">Period</span>
        <select className="field__input" value={form.periodKind} onChange={(event) => isPeriodKind(event.target.value) && change({ periodKind: event.target.value })}>
          {Object.entries(PERIOD_KIND_LABELS).map(([kind, label]) => (
            <option key={kind} value={kind}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {form.periodKind === 'ROLLING' && (
        <label className="field">
          <span className="field__label">Window (hours)</span>
          <input className="field__input" type="number" min={1} max={744} value={form.windowHours} onChange={(event) => change({ windowHours: event.target.value })} />
        </label>
      )}
      <CheckboxGroup legend="Workflows (every workflow when none is chosen)" options={workflows} selected={form.workflowIds} emptyLabel="The project has no workflows yet." onChange={(workflowIds) => change({ workflowIds })} />
      <CheckboxGroup legend="Sections" options={options(REPORT_SECTION_LABELS)} selected={form.sections} emptyLabel="" onChange={(sections) => change({ sections: sections.filter(isSection) })} />
      <CheckboxGroup legend="Formats" options={options(REPORT_FORMAT_LABELS)} selected={form.formats} emptyLabel="" onChange={(formats) => change({ formats: formats.filter(isFormat) })} />
      <CheckboxGroup legend="Deliver to" options={contactPoints} selected={form.contactPointIds} emptyLabel="The project has no contact points (Alerts › Contact points)." onChange={(contactPointIds) => change({ contactPointIds })} />
      <label className="checkbox-group__item">
        <input type="checkbox" checked={form.skipIfEmpty} onChange={(event) => change({ skipIfEmpty: event.target.checked })} /> Skip a period without runs
      </label>
      {result && (
        <div role="status" className="card report-preview">
          <p>
            Next report: <strong>{result.periodLabel}</strong> — {countOf(result.total, 'run', 'runs')}
            {result.byStatus.filter((entry) => entry.count > 0).length > 0 && ': '}
            {result.byStatus
              .filter((entry) => entry.count > 0)
              .map((entry) => `${entry.status.toLowerCase().replace('_', ' ')} ${entry.count.toLocaleString('en-US')}`)
              .join(', ')}
          </p>
          {topFailingOf(result.content).length > 0 && <p>Top failing: {topFailingOf(result.content).map((row) => `${row.name} (${row.failures})`).join(', ')}</p>}
        </div>
      )}
      {(problem ?? previewed.error?.message) && (
        <p className="field__error" role="alert">
          {problem ?? previewed.error?.message}
        </p>
      )}
      <div className="form__actions">
        <button type="button" className="button button--secondary" disabled={previewed.loading} onClick={() => void preview({ variables: { input } })}>
          Preview next report
        </button>
        <button type="submit" className="button" disabled={saving.loading}>
          Save
        </button>
        <button type="button" className="button button--secondary" onClick={onDone}>
          Close
        </button>
      </div>
    </form>
  );
}
