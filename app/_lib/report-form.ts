import type { ReportDefinitionInput, ReportFormat, ReportPeriodKind, ReportSection } from '../_gql/graphql.ts';

export const REPORT_SECTION_LABELS: Record<ReportSection, string> = {
  STATUS_DISTRIBUTION: 'Status distribution',
  PERIOD_CHANGE: 'Change against the previous period and the baseline',
  WORKFLOW_PERFORMANCE: 'Success rate and duration per workflow',
  TOP_FAILING: 'Top failing workflows',
  WORKFLOW_CHANGES: 'Newly failing, recovered and flaky',
  ALERTS: 'Alerts fired and time to resolve',
  RUNS: 'The runs, as rows',
};

export const REPORT_FORMAT_LABELS: Record<ReportFormat, string> = { HTML: 'HTML', CSV: 'CSV', JSON: 'JSON', PDF: 'PDF' };

export const PERIOD_KIND_LABELS: Record<ReportPeriodKind, string> = {
  PREVIOUS_DAY: 'The previous day',
  PREVIOUS_WEEK: 'The previous week (Monday to Monday)',
  PREVIOUS_MONTH: 'The previous month',
  ROLLING: 'A rolling window of hours',
};

export interface ReportForm {
  id: string | null;
  name: string;
  schedule: string;
  timeZone: string;
  periodKind: ReportPeriodKind;
  windowHours: string;
  workflowIds: string[];
  sections: ReportSection[];
  formats: ReportFormat[];
  contactPointIds: string[];
  skipIfEmpty: boolean;
}

export function emptyReportForm(timeZone: string): ReportForm {
  return {
    id: null,
    name: '',
    schedule: '0 6 * * *',
    timeZone,
    periodKind: 'PREVIOUS_DAY',
    windowHours: '24',
    workflowIds: [],
    sections: Object.keys(REPORT_SECTION_LABELS).filter(isSection),
    formats: ['HTML', 'JSON'],
    contactPointIds: [],
    skipIfEmpty: false,
  };
}

export function isSection(value: string): value is ReportSection {
  return Object.keys(REPORT_SECTION_LABELS).includes(value);
}

export function isFormat(value: string): value is ReportFormat {
  return Object.keys(REPORT_FORMAT_LABELS).includes(value);
}

export function isPeriodKind(value: string): value is ReportPeriodKind {
  return Object.keys(PERIOD_KIND_LABELS).includes(value);
}

/** The form as the API takes it: a definition of one project. */
export function reportInputOf(projectId: string, form: ReportForm): ReportDefinitionInput {
  return {
    ...(form.id ? { id: form.id } : {}),
    projectIds: [projectId],
    name: form.name,
    schedule: form.schedule,
    timeZone: form.timeZone,
    periodKind: form.periodKind,
    windowHours: form.periodKind === 'ROLLING' ? Number(form.windowHours) : null,
    filter: { workflowIds: form.workflowIds },
    sections: form.sections,
    formats: form.formats,
    contactPointIds: form.contactPointIds,
    skipIfEmpty: form.skipIfEmpty,
  };
}
