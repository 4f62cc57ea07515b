import type { Logger } from 'pino';
import { can } from '../../auth/permissions.ts';
import type { Principal } from '../../auth/principal.ts';
import type { Clock } from '../../domain/clock.ts';
import { AppError, notFound } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import type { RenderedReport, ReportContent, ReportFormat, RunsText } from '../../domain/reports/report-content.ts';
import { copyScopeOf, periodRuleOf, type ReportDefinitionChange, type ReportDefinitionRecord, type ReportOrigin, type ReportRecord } from '../../domain/reports/report-definition.ts';
import { firesBetween, parseLocalDate, periodContaining, periodOfFire, type PeriodRange } from '../../domain/reports/report-period.ts';
import type { NewReport, ReportRepository } from '../../repositories/report.repository.ts';
import type { UserRepository } from '../../repositories/user.repository.ts';
import type { ProjectService } from '../project.service.ts';
import type { ReportContentService } from './report-content.service.ts';
import { readsAll, type ReportDefinitionService } from './report-definition.service.ts';

/** How many missed periods of a definition the leader catches up on (the latest ones). */
export const REPORT_CATCH_UP_PERIODS = 3;
export const REPORTS_PAGE_MAX = 100;
// Definitions generated side by side on a due minute: generation is mostly reads, and the
// machine's other work (runs, requests) keeps the rest of its cores.
const GENERATION_CONCURRENCY = 2;
const FEED_BATCH = 100;
// A period whose generation failed is tried again after this, doubling up to RETRY_MAX_MS.
const RETRY_FIRST_MS = 60_000;
const RETRY_MAX_MS = 3_600_000;

export interface ReportPage {
  nodes: ReportRecord[];
  hasNextPage: boolean;
}

/** Renders a report's content in one format, its runs given as text or in the content (render/render-report.ts). */
export type Renderer = (content: ReportContent, format: ReportFormat, runsText: RunsText | null) => Promise<RenderedReport>;

/**
 * Reports: generated for a definition and a period exactly once (the unique key; the report and
 * its artifacts are written in one transaction after everything was rendered, so a crash leaves
 * none), read by whoever may read every project of their definition.
 */
export const ORPHAN_FILE_GRACE_MS = 3_600_000;

export class ReportService {
  // When each period whose generation failed may be tried again, and the wait after it fails again.
  private readonly retries = new Map<string, { at: number; waitMs: number }>();

  constructor(
    private readonly deps: {
      reports: ReportRepository;
      users: UserRepository;
      definitions: ReportDefinitionService;
      content: ReportContentService;
      projects: ProjectService;
      render: Renderer;
      clock: Clock;
      logger: Logger;
      /** Told after a report was written (the delivery job wakes). */
      onGenerated: (report: ReportRecord) => void;
      pollMs: number;
    },
  ) {}

  /**
   * Removes report files a crash left behind (see ReportRepository.sweepOrphanFiles) written over
   * ORPHAN_FILE_GRACE_MS ago: a report's files are written seconds before its row commits, so an
   * hour-old file no row names is no report's.
   */
  async sweepOrphanFiles(): Promise<number> {
    const removed = await this.deps.reports.sweepOrphanFiles(new Date(this.deps.clock.now().getTime() - ORPHAN_FILE_GRACE_MS));
    if (removed > 0) this.deps.logger.warn({ removed }, 'report.orphan_files_removed');
    return removed;
  }

  /** A page of a definition's reports, latest period first. */
  async reports(principal: Principal, definitionId: string, first: number, after: string | null): Promise<ReportPage> {
    await this.deps.definitions.readable(principal, definitionId);
    if (!Number.isInteger(first) || first < 1 || first > REPORTS_PAGE_MAX) throw new AppError('BAD_USER_INPUT', `first is ${first}; it must be a whole number from 1 to ${REPORTS_PAGE_MAX}`, { argument: 'first' });
    const position = after === null ? null : positionOf(after);
    const rows = await this.deps.reports.reportsOf(definitionId, position, first + 1);
    return { nodes: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  /** A report the caller may read (every project of it), or null. */
  async report(principal: Principal, id: string): Promise<ReportRecord | null> {
    const report = await this.deps.reports.findReport(id);
    return report && readsAll(principal, report.projectIds) ? report : null;
  }

  /** One stored format of a report the caller may read; NOT_FOUND otherwise. */
  async artifact(principal: Principal, id: string, extension: string): Promise<{ contentType: string; extension: string; bytes: Buffer }> {
    const report = await this.report(principal, id);
    const stored = report?.artifacts.find((artifact) => artifact.extension === extension);
    if (!report || !stored) throw notFound('Report file', `${id}.${extension}`);
    const artifact = await this.deps.reports.artifact(id, stored.format);
    if (!artifact) throw notFound('Report file', `${id}.${extension}`);
    return artifact;
  }

  /**
   * A report in a format: its stored file, or one rendered now from its stored JSON (the same
   * content, so the same numbers) when the definition did not ask for that format.
   */
  async file(principal: Principal, id: string, format: ReportFormat): Promise<RenderedReport> {
    const report = await this.report(principal, id);
    if (!report) throw notFound('Report', id);
    const stored = await this.deps.reports.artifact(id, format);
    if (stored) return { format, contentType: stored.contentType, fileExtension: stored.extension, bytes: stored.bytes };
    const json = await this.deps.reports.artifact(id, 'JSON');
    if (!json) throw new AppError('BAD_USER_INPUT', `Report ${id} is stored as ${report.artifacts.map((artifact) => artifact.format).join(', ') || 'nothing (SKIPPED)'}, without JSON to render ${format} from; ask for one of those`, { argument: 'format' });
    const content: ReportContent = JSON.parse(json.bytes.toString('utf8'));
    // A stored JSON holds every run of its report, so its rows are its count; JSON stored before ReportRuns.count existed lacks the field.
    if (content.runs && typeof content.runs.count !== 'number') content.runs = { ...content.runs, count: content.runs.rows.length };
    return this.deps.render(content, format, null);
  }

  /**
   * Generates the report of a period now (OPERATOR in every project of the definition): `period`
   * is a local date (YYYY-MM-DD) in the day, week or month to report (the window ending that day for
   * a rolling one), or null for the period of the latest fire. A period reported already answers that report.
   */
  async runNow(principal: Principal, definitionId: string, period: string | null): Promise<ReportRecord> {
    const definition = await this.deps.definitions.readable(principal, definitionId);
    const missing = definition.projectIds.filter((projectId) => !can(principal, 'operate', projectId));
    if (missing.length > 0) throw new AppError('FORBIDDEN', `Running a report needs OPERATOR in project ${missing.join(', ')}`, { argument: 'definitionId' });
    return (await this.generate(definition, this.periodOf(definition, period), 'MANUAL')).report;
  }

  /** What the definition would report now, without saving either (the form's preview): the content of the latest period, as JSON. */
  async preview(principal: Principal, change: ReportDefinitionChange, period: string | null): Promise<ReportContent> {
    const fields = await this.deps.definitions.checked(principal, change, 'read');
    const now = this.deps.clock.now();
    const definition: ReportDefinitionRecord = { ...fields, id: change.id ?? 'preview', createdBy: principal.actor, createdAt: now, updatedAt: now };
    return (await this.deps.content.generate(definition, this.periodOf(definition, period), { reportId: 'preview', generatedAt: now })).content;
  }

  /** The period a `period` argument names for a definition (see runNow). */
  periodOf(definition: ReportDefinitionRecord, period: string | null): PeriodRange {
    const rule = periodRuleOf(definition);
    if (period !== null) {
      const date = parseLocalDate(period);
      if (!date) throw new AppError('BAD_USER_INPUT', `period is "${period.slice(0, 40)}"; give a local date YYYY-MM-DD inside the period to report`, { argument: 'period' });
      const range = periodContaining(rule, date);
      if (range.to.getTime() > this.deps.clock.now().getTime()) throw new AppError('BAD_USER_INPUT', `period ${period}: the ${definition.periodKind} period holding it ends ${range.to.toISOString()}, which is still to come`, { argument: 'period' });
      return range;
    }
    const now = this.deps.clock.now();
    const [latest] = firesBetween(definition.schedule, definition.timeZone, new Date(0), now, 1);
    return periodOfFire(rule, latest ?? now);
  }

  /**
   * The report of a definition for a period: generated, rendered in every format and written with
   * them in one transaction, unless the period has one already (from another process, or an
   * earlier try) — that one is answered. A period without runs under skipIfEmpty is written SKIPPED.
   */
  async generate(definition: ReportDefinitionRecord, period: PeriodRange, origin: ReportOrigin): Promise<{ report: ReportRecord; created: boolean }> {
    const existing = await this.deps.reports.findReportOfPeriod(definition.id, period.from);
    if (existing) return { report: existing, created: false };
    const started = performance.now();
    const generatedAt = this.deps.clock.now();
    const id = newId('rep', generatedAt);
    const recipients = await this.recipientsOf(definition);
    // One copy per distinct set of projects narrower than the report's that some recipient reads.
    const scopes = new Map<string, readonly string[]>();
    for (const recipient of recipients) if (recipient.state === 'PENDING' && recipient.projectIds.length < definition.projectIds.length) scopes.set(copyScopeOf(recipient.projectIds), recipient.projectIds);
    const generated = await this.deps.content.generate(definition, period, { reportId: id, generatedAt }, { scopes: [...scopes.values()], runsAsText: true });
    const skipped = definition.skipIfEmpty && generated.total === 0;
    const artifacts: RenderedReport[] = [];
    const copies: NewReport['copies'][number][] = [];
    if (!skipped) {
      for (const format of definition.formats) artifacts.push(await this.deps.render(generated.content, format, generated.runsText));
      for (const copy of generated.copies) {
        const rendered: RenderedReport[] = [];
        for (const format of definition.formats) rendered.push(await this.deps.render(copy.content, format, copy.runsText));
        copies.push({ scope: copyScopeOf(copy.projectIds), total: copy.total, totals: copy.totals, artifacts: rendered });
      }
    }
    const created = await this.deps.reports.insertReport({
      id,
      definitionId: definition.id,
      periodStart: period.from,
      periodEnd: period.to,
      state: skipped ? 'SKIPPED' : 'READY',
      origin,
      projectIds: definition.projectIds,
      snapshot: generated.snapshot,
      generatedAt,
      totals: generated.totals,
      total: generated.total,
      deliveryState: skipped || (definition.contactPointIds.length === 0 && recipients.length === 0) ? 'NONE' : 'PENDING',
      artifacts,
      recipients: skipped ? [] : recipients,
      copies,
    });
    const report = await this.deps.reports.findReportOfPeriod(definition.id, period.from);
    if (!report) throw new Error(`The report of ${definition.id} for ${period.from.toISOString()} is neither written nor found`);
    if (created) {
      this.deps.logger.info({ reportId: id, definitionId: definition.id, periodStart: period.from.toISOString(), total: generated.total, skipped, ms: Math.round(performance.now() - started) }, 'report.generated');
      this.deps.onGenerated(report);
    }
    return { report, created };
  }

  /**
   * The definition's recipients as they stand now: the projects of the report each may read
   * (every one for an instance admin), to be mailed (PENDING), or SKIPPED with why.
   */
  private async recipientsOf(definition: ReportDefinitionRecord): Promise<NewReport['recipients'][number][]> {
    const users = new Map((await this.deps.users.withProjects(definition.recipientIds)).map((user) => [user.id, user]));
    return definition.recipientIds.map((userId) => {
      const user = users.get(userId);
      if (!user) return { userId, projectIds: [], state: 'SKIPPED', detail: `User ${userId} no longer exists; remove them from the definition's recipients` };
      const projectIds = user.isAdmin ? [...definition.projectIds] : definition.projectIds.filter((projectId) => user.projectIds.includes(projectId));
      if (projectIds.length === 0) return { userId, projectIds, state: 'SKIPPED', detail: `${user.username} could read none of the report's projects when it was generated, so nothing was sent` };
      return { userId, projectIds, state: 'PENDING', detail: null };
    });
  }

  /**
   * Generates every report that is due: for each enabled definition, the periods of its latest
   * REPORT_CATCH_UP_PERIODS fires since it was saved that have no report yet (fires missed while
   * no leader ran included). Answers how many reports it wrote.
   */
  async runDue(signal: AbortSignal | null = null): Promise<number> {
    const now = this.deps.clock.now();
    const work: { definition: ReportDefinitionRecord; period: PeriodRange }[] = [];
    for (const definition of await this.deps.reports.enabledDefinitions()) {
      const fires = firesBetween(definition.schedule, definition.timeZone, definition.createdAt, now, REPORT_CATCH_UP_PERIODS).reverse();
      if (fires.length === 0) continue;
      const rule = periodRuleOf(definition);
      const periods = fires.map((fire) => periodOfFire(rule, fire)).filter((period) => period.to.getTime() <= now.getTime());
      const reported = await this.deps.reports.reportedPeriods(definition.id, periods.map((period) => period.from));
      for (const period of periods) {
        const retry = this.retries.get(retryKey(definition.id, period));
        if (!reported.has(period.from.getTime()) && (!retry || retry.at <= now.getTime())) work.push({ definition, period });
      }
    }
    let written = 0;
    let next = 0;
    const worker = async () => {
      while (next < work.length && !signal?.aborted) {
        const item = work[next];
        next += 1;
        if (!item) break;
        const key = retryKey(item.definition.id, item.period);
        try {
          if ((await this.generate(item.definition, item.period, 'SCHEDULE')).created) written += 1;
          this.retries.delete(key);
        } catch (error) {
          const waitMs = Math.min(RETRY_MAX_MS, (this.retries.get(key)?.waitMs ?? RETRY_FIRST_MS / 2) * 2);
          this.retries.set(key, { at: this.deps.clock.now().getTime() + waitMs, waitMs });
          this.deps.logger.error({ err: error, definitionId: item.definition.id, periodStart: item.period.from.toISOString(), retryInMs: waitMs }, 'report.generation_failed');
        }
      }
    };
    await Promise.all(Array.from({ length: GENERATION_CONCURRENCY }, worker));
    return written;
  }

  /**
   * Reports generated from now on (or after the report `afterId`, to resume) of definitions
   * covering these projects (each readable; null: every readable one), each only if the caller
   * may read every project of it. Looks every pollMs, so reports of any process are seen.
   */
  async subscribe(principal: Principal, projectIds: readonly string[] | null, afterId: string | null): Promise<AsyncIterableIterator<ReportRecord>> {
    if (projectIds) for (const projectId of projectIds) if (!can(principal, 'read', projectId)) throw new AppError('FORBIDDEN', `You may not read project ${projectId}`, { argument: 'projectIds' });
    if (afterId !== null && !/^rep_[0-9a-z]{25}$/.test(afterId)) throw new AppError('BAD_USER_INPUT', `afterId "${afterId.slice(0, 40)}" is not the id of a report`, { argument: 'afterId' });
    const scope = projectIds ?? (await this.deps.projects.readableIds(principal));
    let last = afterId ?? newId('rep', this.deps.clock.now());
    let closed = false;
    const waiting: ReportRecord[] = [];
    const iterator: AsyncIterableIterator<ReportRecord> = {
      [Symbol.asyncIterator]: () => iterator,
      next: async () => {
        while (!closed) {
          const report = waiting.shift();
          if (report) return { value: report, done: false };
          const batch = await this.deps.reports.reportsAfter(last, scope, FEED_BATCH);
          for (const found of batch) {
            last = found.id;
            if (readsAll(principal, found.projectIds)) waiting.push(found);
          }
          if (waiting.length === 0 && batch.length < FEED_BATCH) await new Promise((resolve) => setTimeout(resolve, this.deps.pollMs).unref());
        }
        return { value: undefined, done: true };
      },
      return: async () => {
        closed = true;
        return { value: undefined, done: true };
      },
    };
    return iterator;
  }
}

function retryKey(definitionId: string, period: PeriodRange): string {
  return `${definitionId} ${period.from.getTime()}`;
}

/** A reports cursor: the period start (ms) and id of the last report of a page. */
export function cursorOf(report: ReportRecord): string {
  return Buffer.from(JSON.stringify([report.periodStart.getTime(), report.id])).toString('base64url');
}

function positionOf(cursor: string): { periodStart: Date; id: string } {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  if (!Array.isArray(value) || typeof value[0] !== 'number' || typeof value[1] !== 'string') throw new AppError('BAD_USER_INPUT', 'after is not a cursor of this list; pass an endCursor it answered', { argument: 'after' });
  return { periodStart: new Date(value[0]), id: value[1] };
}
