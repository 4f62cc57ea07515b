/**
 * A report definition: which runs of which projects it reports on, when, over which period, what
 * it shows, in which formats and where it goes. Validation names every problem with its field and
 * its bound.
 */
import { RUN_STATUSES, type RunStatus } from '../status.ts';
import { RUN_TRIGGERS, type RunTrigger } from '../vocabulary.ts';
import { REPORT_FORMATS, REPORT_SECTIONS, type ReportFormat, type ReportSection } from './report-content.ts';
import { isTimeZone, REPORT_PERIOD_KINDS, scheduleProblem, type PeriodRule, type ReportPeriodKind } from './report-period.ts';

export const REPORT_NAME_MAX_CHARS = 100;
export const REPORT_PROJECTS_MAX = 20;
export const REPORT_FILTER_ITEMS_MAX = 100;
export const REPORT_WORKFLOW_NAME_MAX_CHARS = 200;
export const REPORT_CONTACT_POINTS_MAX = 10;
export const REPORT_RECIPIENTS_MAX = 50;
export const REPORT_WINDOW_HOURS_MAX = 31 * 24;
export const REPORT_SCHEDULE_MAX_CHARS = 100;
/** Fires of one definition at least this far apart: a report a minute would be a feed, not a report. */
export const REPORT_MIN_INTERVAL_MS = 15 * 60_000;

export interface ReportRunFilter {
  workflowIds: string[];
  workflowNames: string[];
  triggers: RunTrigger[];
  statuses: RunStatus[];
}

/** A definition as stored. */
export interface ReportDefinitionRecord {
  id: string;
  name: string;
  projectIds: string[];
  schedule: string;
  timeZone: string;
  periodKind: ReportPeriodKind;
  windowHours: number | null;
  filter: ReportRunFilter;
  sections: ReportSection[];
  formats: ReportFormat[];
  contactPointIds: string[];
  recipientIds: string[];
  skipIfEmpty: boolean;
  enabled: boolean;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A definition to create (no id) or replace (its id), as a client sends it. */
export interface ReportDefinitionChange {
  id?: string | null;
  name: string;
  projectIds: readonly string[];
  schedule: string;
  timeZone: string;
  periodKind: ReportPeriodKind;
  windowHours?: number | null;
  filter?: Partial<ReportRunFilter> | null;
  sections?: readonly ReportSection[] | null;
  formats?: readonly ReportFormat[] | null;
  contactPointIds?: readonly string[] | null;
  recipientIds?: readonly string[] | null;
  skipIfEmpty?: boolean | null;
  enabled?: boolean | null;
}

/** The fields of a valid change, trimmed and without duplicates. */
export type ReportDefinitionFields = Omit<ReportDefinitionRecord, 'id' | 'createdBy' | 'createdAt' | 'updatedAt'>;

export function periodRuleOf(definition: Pick<ReportDefinitionRecord, 'periodKind' | 'windowHours' | 'timeZone'>): PeriodRule {
  return { kind: definition.periodKind, windowHours: definition.windowHours, timeZone: definition.timeZone };
}

/** The fields of a change, or every problem with it. Sections default to all of them, formats to HTML and JSON. */
export function readReportDefinitionChange(change: ReportDefinitionChange): { ok: true; fields: ReportDefinitionFields } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const name = change.name.trim();
  if (name.length === 0 || name.length > REPORT_NAME_MAX_CHARS) problems.push(`input.name must be 1 to ${REPORT_NAME_MAX_CHARS} characters`);
  const projectIds = distinct(change.projectIds);
  if (projectIds.length === 0 || projectIds.length > REPORT_PROJECTS_MAX) problems.push(`input.projectIds has ${projectIds.length} projects; give 1 to ${REPORT_PROJECTS_MAX}`);
  const timeZone = change.timeZone.trim();
  if (!isTimeZone(timeZone)) problems.push(`input.timeZone is "${change.timeZone}"; give an IANA zone such as "Europe/Berlin" or "UTC"`);
  const schedule = change.schedule.trim();
  if (schedule.length === 0 || schedule.length > REPORT_SCHEDULE_MAX_CHARS) problems.push(`input.schedule must be a cron expression of 1 to ${REPORT_SCHEDULE_MAX_CHARS} characters`);
  else if (isTimeZone(timeZone)) {
    const problem = scheduleProblem(schedule, timeZone, REPORT_MIN_INTERVAL_MS);
    if (problem !== null) problems.push(`input.schedule "${schedule}" ${problem}`);
  }
  if (!(REPORT_PERIOD_KINDS as readonly string[]).includes(change.periodKind)) problems.push(`input.periodKind must be one of ${REPORT_PERIOD_KINDS.join(', ')}`);
  const windowHours = change.windowHours ?? null;
  if (change.periodKind === 'ROLLING') {
    if (windowHours === null || !Number.isInteger(windowHours) || windowHours < 1 || windowHours > REPORT_WINDOW_HOURS_MAX) {
      problems.push(`input.windowHours is ${windowHours}; a ROLLING period needs a whole number of hours from 1 to ${REPORT_WINDOW_HOURS_MAX}`);
    }
  } else if (windowHours !== null) problems.push(`input.windowHours is set, but a ${change.periodKind} period has no window; leave it out`);
  const filter = {
    workflowIds: distinct(change.filter?.workflowIds ?? []),
    workflowNames: distinct((change.filter?.workflowNames ?? []).map((workflowName) => workflowName.trim())),
    triggers: distinct(change.filter?.triggers ?? []),
    statuses: distinct(change.filter?.statuses ?? []),
  };
  for (const key of ['workflowIds', 'workflowNames'] as const) {
    if (filter[key].length > REPORT_FILTER_ITEMS_MAX) problems.push(`input.filter.${key} has ${filter[key].length} items; give at most ${REPORT_FILTER_ITEMS_MAX}`);
  }
  if (filter.workflowNames.some((workflowName) => workflowName.length === 0 || workflowName.length > REPORT_WORKFLOW_NAME_MAX_CHARS)) {
    problems.push(`input.filter.workflowNames must each be 1 to ${REPORT_WORKFLOW_NAME_MAX_CHARS} characters`);
  }
  if (filter.triggers.some((trigger) => !(RUN_TRIGGERS as readonly string[]).includes(trigger))) problems.push(`input.filter.triggers must be among ${RUN_TRIGGERS.join(', ')}`);
  if (filter.statuses.some((status) => !(RUN_STATUSES as readonly string[]).includes(status))) problems.push(`input.filter.statuses must be among ${RUN_STATUSES.join(', ')}`);
  const sections = distinct(change.sections ?? REPORT_SECTIONS);
  if (sections.length === 0) problems.push(`input.sections is empty; give 1 to ${REPORT_SECTIONS.length} of ${REPORT_SECTIONS.join(', ')}`);
  const formats = distinct(change.formats ?? ['HTML', 'JSON']);
  if (formats.length === 0) problems.push(`input.formats is empty; give 1 to ${REPORT_FORMATS.length} of ${REPORT_FORMATS.join(', ')}`);
  const contactPointIds = distinct(change.contactPointIds ?? []);
  if (contactPointIds.length > REPORT_CONTACT_POINTS_MAX) problems.push(`input.contactPointIds has ${contactPointIds.length} contact points; give at most ${REPORT_CONTACT_POINTS_MAX}`);
  const recipientIds = distinct(change.recipientIds ?? []);
  if (recipientIds.length > REPORT_RECIPIENTS_MAX) problems.push(`input.recipientIds has ${recipientIds.length} users; give at most ${REPORT_RECIPIENTS_MAX}`);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    fields: {
      name,
      projectIds: [...projectIds].sort(),
      schedule,
      timeZone,
      periodKind: change.periodKind,
      windowHours: change.periodKind === 'ROLLING' ? windowHours : null,
      filter,
      // In the contract's order, whatever order they came in.
      sections: REPORT_SECTIONS.filter((section) => sections.includes(section)),
      formats: REPORT_FORMATS.filter((format) => formats.includes(format)),
      contactPointIds,
      recipientIds,
      skipIfEmpty: change.skipIfEmpty ?? false,
      enabled: change.enabled ?? true,
    },
  };
}

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** Stored JSON read back as a list of strings, or the data is corrupt and that is an error. */
export function stringListOf(json: string, where: string): string[] {
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) throw new Error(`${where} is not a list of strings`);
  return value;
}

export function sectionsOf(json: string, where: string): ReportSection[] {
  return stringListOf(json, where).map((value) => {
    const section = REPORT_SECTIONS.find((known) => known === value);
    if (!section) throw new Error(`Unknown report section "${value}" in ${where}`);
    return section;
  });
}

export function formatsOf(json: string, where: string): ReportFormat[] {
  return stringListOf(json, where).map((value) => reportFormatOf(value, where));
}

export function reportFormatOf(value: string, where: string): ReportFormat {
  const format = REPORT_FORMATS.find((known) => known === value);
  if (!format) throw new Error(`Unknown report format "${value}" in ${where}`);
  return format;
}

export function periodKindOf(value: string, where: string): ReportPeriodKind {
  const kind = REPORT_PERIOD_KINDS.find((known) => known === value);
  if (!kind) throw new Error(`Unknown report period kind "${value}" in ${where}`);
  return kind;
}

export function runFilterOf(json: string, where: string): ReportRunFilter {
  const value: unknown = JSON.parse(json);
  if (typeof value !== 'object' || value === null) throw new Error(`The run filter of ${where} is not an object`);
  const fields = new Map<string, unknown>(Object.entries(value));
  const list = (name: string): string[] => stringListOf(JSON.stringify(fields.get(name) ?? []), `${where} filter.${name}`);
  return {
    workflowIds: list('workflowIds'),
    workflowNames: list('workflowNames'),
    triggers: list('triggers').map((trigger) => {
      const known = RUN_TRIGGERS.find((candidate) => candidate === trigger);
      if (!known) throw new Error(`Unknown trigger "${trigger}" in ${where}`);
      return known;
    }),
    statuses: list('statuses').map((status) => {
      const known = RUN_STATUSES.find((candidate) => candidate === status);
      if (!known) throw new Error(`Unknown status "${status}" in ${where}`);
      return known;
    }),
  };
}

export const REPORT_STATES = ['READY', 'SKIPPED'] as const;
export type ReportState = (typeof REPORT_STATES)[number];
export const REPORT_DELIVERY_STATES = ['PENDING', 'DELIVERED', 'FAILED', 'NONE'] as const;
export type ReportDeliveryState = (typeof REPORT_DELIVERY_STATES)[number];
export const REPORT_ORIGINS = ['SCHEDULE', 'MANUAL'] as const;
export type ReportOrigin = (typeof REPORT_ORIGINS)[number];

export const REPORT_RECIPIENT_STATES = ['PENDING', 'SENT', 'SKIPPED', 'FAILED'] as const;
export type ReportRecipientState = (typeof REPORT_RECIPIENT_STATES)[number];

/** A recipient of a report: the projects of it they could read when it was generated, and how mailing them went. */
export interface ReportRecipientRecord {
  userId: string;
  projectIds: string[];
  state: ReportRecipientState;
  /** Why it was SKIPPED or FAILED, or the last error of a PENDING one; null once SENT. */
  detail: string | null;
  sentAt: Date | null;
}

/** The key of a copy narrowed to these projects (ReportCopy.scope). */
export function copyScopeOf(projectIds: readonly string[]): string {
  return [...projectIds].sort().join(',');
}

/** A stored report, without its artifacts' bytes. */
export interface ReportRecord {
  id: string;
  definitionId: string;
  periodStart: Date;
  periodEnd: Date;
  state: ReportState;
  origin: ReportOrigin;
  projectIds: string[];
  snapshot: bigint;
  generatedAt: Date;
  total: number;
  totals: { status: RunStatus; count: number }[];
  deliveryState: ReportDeliveryState;
  deliveryTries: number;
  deliveryError: string | null;
  deliveredAt: Date | null;
  artifacts: { format: ReportFormat; contentType: string; extension: string; size: number }[];
  recipients: ReportRecipientRecord[];
}

export function oneOf<T extends string>(values: readonly T[], value: string, what: string): T {
  const known = values.find((candidate) => candidate === value);
  if (!known) throw new Error(`Unknown ${what} "${value}"`);
  return known;
}

/** The stable URL of a stored format of a report (src/server/report-routes.ts serves it); relative without a public URL. */
export function reportFileUrl(publicUrl: string | null, reportId: string, extension: string): string {
  return `${(publicUrl ?? '').replace(/\/$/, '')}/reports/${reportId}.${extension}`;
}
