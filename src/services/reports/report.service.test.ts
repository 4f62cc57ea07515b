import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commandLinePrincipal } from '../../auth/principal.ts';
import type { Services } from '../../composition.ts';
import type { Database } from '../../db/client.ts';
import type { HistoryReader } from '../../db/history-reader.ts';
import { SqliteReadPool } from '../../db/read-thread-pool.ts';
import { REPORT_LISTED_RUN_ROWS, REPORT_SECTIONS, type ReportContent } from '../../domain/reports/report-content.ts';
import type { ReportDefinitionChange } from '../../domain/reports/report-definition.ts';
import { REPORT_PERIOD_KINDS } from '../../domain/reports/report-period.ts';
import { RUN_STATUSES, TERMINAL_RUN_STATUSES, type RunStatus } from '../../domain/status.ts';
import { RUN_TRIGGERS } from '../../domain/vocabulary.ts';
import type { SeedResult } from '../../seed/history-seeder.ts';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from '../../test/alert-receivers.ts';
import { composeTestServices } from '../../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../../test/database-suite.ts';
import { ManualClock } from '../../test/manual-clock.ts';
import { seederFor } from '../../test/seeder.ts';
import pino from 'pino';
import { Prisma } from '../../generated/sqlite/client.ts';
import { renderReport } from './render/render-report.ts';
import { filterOf } from './report-content.service.ts';
import { ReportService } from './report.service.ts';

const cli = commandLinePrincipal();
const SEEDED_TO = new Date('2026-11-20T00:00:00Z');
const DAY = 24 * 3_600_000;

/** A small deterministic PRNG (mulberry32), so a failing draw can be replayed from its seed. */
function randomFrom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  const some = <T>(values: readonly T[], chance: number): T[] => values.filter(() => next() < chance);
  return { next, pick, some };
}

function jsonOf(bytes: Buffer): ReportContent {
  return JSON.parse(bytes.toString('utf8')) as ReportContent;
}

describe.each(PROVIDERS)('reports on %s', (provider) => {
  const database = useMigratedDatabase(provider);
  let clock: ManualClock;
  let services: Services;
  let seeded: SeedResult;

  beforeAll(async () => {
    clock = new ManualClock(new Date('2026-11-25T08:00:00Z'));
    services = composeTestServices(database(), { clock });
    seeded = await seederFor(database()).seed({ runs: 3_000, projects: 2, workflowsPerProject: 3, from: new Date(SEEDED_TO.getTime() - 30 * DAY), to: SEEDED_TO, seed: 7 });
  }, 120_000);

  const projectIds = async () => (await services.repositories.projects.listAll()).filter((project) => project.slug.startsWith('seed-')).map((project) => project.id);

  function definition(change: Partial<ReportDefinitionChange> & { projectIds: string[] }): ReportDefinitionChange {
    return { name: `report ${Math.random().toString(36).slice(2, 8)}`, schedule: '0 6 * * *', timeZone: 'UTC', periodKind: 'PREVIOUS_DAY', formats: ['JSON'], ...change };
  }

  it('gives totals equal to runStatusCounts for the same filter and period, over random filters, zones and periods', async () => {
    // After every period a draw can name, November's included.
    clock.set(new Date('2026-12-10T00:00:00Z'));
    const seed = Number(process.env.REPORT_TEST_SEED ?? Date.now() % 100_000);
    const random = randomFrom(seed);
    const seededProjects = (await services.repositories.projects.listAll()).filter((project) => project.slug.startsWith('seed-'));
    const projects = seededProjects.map((project) => project.id);
    for (let draw = 0; draw < 12; draw += 1) {
      const chosen = random.some(projects, 0.6);
      const scope = chosen.length > 0 ? chosen : projects;
      const slugs = seededProjects.filter((project) => scope.includes(project.id)).map((project) => project.slug);
      const workflows = seeded.workflows.filter((workflow) => slugs.includes(workflow.project));
      const periodKind = random.pick(REPORT_PERIOD_KINDS);
      const saved = await services.reportDefinitions.save(
        cli,
        definition({
          projectIds: scope,
          timeZone: random.pick(['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata']),
          periodKind,
          windowHours: periodKind === 'ROLLING' ? random.pick([6, 24, 72]) : null,
          filter: { workflowIds: random.some(workflows.map((workflow) => workflow.id), 0.3), statuses: random.some(RUN_STATUSES, 0.3), triggers: random.some(RUN_TRIGGERS, 0.2) },
        }),
      );
      const day = new Date(SEEDED_TO.getTime() - Math.floor(random.next() * 35) * DAY).toISOString().slice(0, 10);
      const report = await services.reports.runNow(cli, saved.id, day);
      const period = { from: report.periodStart, to: report.periodEnd };
      const expected = await services.history.statusCounts(cli, filterOf(saved, period), report.snapshot.toString());
      const context = `seed ${seed}, draw ${draw}, ${saved.periodKind} ${saved.timeZone} ${day}`;
      expect({ context, total: report.total }).toEqual({ context, total: expected.total });
      for (const entry of expected.byStatus) expect({ context, status: entry.status, count: report.totals.find((total) => total.status === entry.status)?.count ?? 0 }).toEqual({ context, status: entry.status, count: entry.count });
      const content = jsonOf((await services.reports.artifact(cli, report.id, 'json')).bytes);
      expect({ context, rows: content.runs?.rows.length }).toEqual({ context, rows: expected.total });
      expect({ context, perWorkflow: (content.workflowPerformance ?? []).reduce((sum, row) => sum + row.runs, 0) }).toEqual({ context, perWorkflow: expected.total });
      // What the database aggregated, against the same numbers taken from the report's own rows.
      const rows = content.runs?.rows ?? [];
      for (const row of content.workflowPerformance ?? []) {
        const ofWorkflow = rows.filter((run) => run.workflowId === row.workflowId);
        const finished = ofWorkflow.filter((run) => TERMINAL_RUN_STATUSES.has(run.status));
        const durations = finished.flatMap((run) => (run.durationMs === null ? [] : [run.durationMs])).sort((a, b) => a - b);
        const rank = (fraction: number) => (durations.length === 0 ? null : (durations[Math.max(1, Math.ceil(fraction * durations.length)) - 1] ?? null));
        expect({ context, workflow: row.workflowName, runs: row.runs, p50: row.p50DurationMs, p95: row.p95DurationMs, succeeded: row.succeeded }).toEqual({
          context,
          workflow: row.workflowName,
          runs: ofWorkflow.length,
          p50: rank(0.5),
          p95: rank(0.95),
          succeeded: ofWorkflow.filter((run) => run.status === 'SUCCEEDED').length,
        });
      }
      for (const row of content.topFailing ?? []) {
        expect({ context, workflow: row.workflowName, failures: row.failures }).toEqual({ context, workflow: row.workflowName, failures: rows.filter((run) => run.workflowId === row.workflowId && run.status === 'FAILED').length });
      }
    }
  }, 120_000);

  it('fills every section from the period, its previous one and the baseline', async () => {
    const saved = await services.reportDefinitions.save(cli, definition({ projectIds: await projectIds(), periodKind: 'PREVIOUS_WEEK', timeZone: 'Europe/Berlin' }));
    const report = await services.reports.runNow(cli, saved.id, '2026-11-11');
    const content = jsonOf((await services.reports.artifact(cli, report.id, 'json')).bytes);
    expect(content.period).toEqual({ from: '2026-11-08T23:00:00.000Z', to: '2026-11-15T23:00:00.000Z', timeZone: 'Europe/Berlin', label: 'Week of 2026-11-09' });
    expect(content.statusDistribution?.total).toBe(report.total);
    expect(content.statusDistribution?.statuses.map((entry) => entry.status)).toEqual([...RUN_STATUSES]);
    expect(content.periodChange?.previous.total).toBeGreaterThan(0);
    expect(content.workflowPerformance?.every((row) => row.successRateSparkline.length === 7)).toBe(true);
    const failing = content.topFailing ?? [];
    expect(failing.length).toBeGreaterThan(0);
    for (const row of failing) {
      expect(row.commonErrors.length).toBeGreaterThan(0);
      expect(row.firstFailureAt <= row.lastFailureAt).toBe(true);
    }
    expect(content.workflowChanges?.flaky.length).toBeGreaterThan(0);
    expect(content.alerts).toEqual({ fired: 0, resolved: 0, medianTimeToResolveMs: null, alerts: [] });
  }, 60_000);

  it('lists the same first runs in HTML and PDF whether or not the report also holds every run (CSV, JSON), and counts them all', async () => {
    const every = await services.reports.preview(cli, definition({ projectIds: await projectIds(), periodKind: 'PREVIOUS_WEEK', formats: ['JSON'] }), '2026-11-11');
    const listed = await services.reports.preview(cli, definition({ projectIds: await projectIds(), periodKind: 'PREVIOUS_WEEK', formats: ['HTML', 'PDF'] }), '2026-11-11');
    const all = every.runs?.rows ?? [];
    expect(all.length).toBeGreaterThan(REPORT_LISTED_RUN_ROWS);
    expect(all.length).toBe(every.statusDistribution?.total);
    expect(listed.runs).toEqual({ rows: all.slice(0, REPORT_LISTED_RUN_ROWS), count: all.length, truncated: false });
    expect({ ...listed, definitionName: '', runs: null }).toEqual({ ...every, definitionName: '', runs: null });
    const html = (await renderReport({ ...every, runs: listed.runs }, 'HTML')).bytes.toString('utf8');
    expect(html).toBe((await renderReport(every, 'HTML')).bytes.toString('utf8'));
    expect(html).toContain(`All ${all.length.toLocaleString('en-US')} runs of the period are in the CSV attachment; the first 20 are below`);
    await expect(renderReport(listed, 'CSV')).rejects.toThrow(`holds the first ${REPORT_LISTED_RUN_ROWS} of its ${all.length} runs`);
  }, 60_000);

  it('stores the CSV and JSON of a report with its runs byte for byte as rendered from the runs as rows, the runs read in a read thread or not', async () => {
    const ids = await projectIds();
    // Cells the CSV quotes or defuses and the JSON escapes, in runs of the week reported.
    const hostile = ['=1+2 "quoted", with a comma', 'line one\nline two\r\n\ttabbed', '\uFF0B full-width plus, é ü 漢字 😀', '-3', '@sum', 'back\\slash \u2028'];
    const inWeek = await database().db.run.findMany({ where: { projectId: { in: ids }, createdAt: { gte: new Date('2026-11-09T00:00:00Z'), lt: new Date('2026-11-16T00:00:00Z') } }, select: { id: true }, orderBy: { id: 'asc' }, take: hostile.length });
    expect(inWeek.length).toBe(hostile.length);
    for (const [index, run] of inWeek.entries()) await database().db.run.updateMany({ where: { id: run.id }, data: { error: hostile[index] ?? null } });
    const readers: { reader: string; services: Services }[] = [{ reader: 'the database reader (HISTORY_READ_THREADS=0)', services }];
    let pool: SqliteReadPool | null = null;
    if (provider === 'sqlite') {
      pool = await readPoolOf(database());
      readers.push({ reader: 'a read thread', services: composeTestServices({ ...database(), reader: pool }, { clock }) });
    }
    try {
      for (const { reader, services: ofReader } of readers) {
        const saved = await ofReader.reportDefinitions.save(cli, definition({ projectIds: ids, periodKind: 'PREVIOUS_WEEK', formats: ['CSV', 'JSON', 'HTML'], sections: [...REPORT_SECTIONS] }));
        const report = await ofReader.reports.runNow(cli, saved.id, '2026-11-11');
        const asRows = await ofReader.reportContent.generate(saved, ofReader.reports.periodOf(saved, '2026-11-11'), { reportId: report.id, generatedAt: report.generatedAt });
        expect(asRows.runsText).toBeNull();
        const asText = await ofReader.reportContent.generate(saved, ofReader.reports.periodOf(saved, '2026-11-11'), { reportId: report.id, generatedAt: report.generatedAt }, { runsAsText: true });
        expect({ csv: asText.runsText?.csv?.length ?? 0, json: asText.runsText?.json?.length ?? 0, listed: asText.content.runs?.rows.length }).toEqual({ csv: expect.any(Number), json: expect.any(Number), listed: REPORT_LISTED_RUN_ROWS });
        expect(Math.min(asText.runsText?.csv?.length ?? 0, asText.runsText?.json?.length ?? 0)).toBeGreaterThan(0);
        expect(asRows.content.runs?.rows.length).toBeGreaterThan(REPORT_LISTED_RUN_ROWS);
        for (const [format, extension] of [['CSV', 'csv'], ['JSON', 'json'], ['HTML', 'html']] as const) {
          const stored = (await ofReader.reports.artifact(cli, report.id, extension)).bytes;
          const same = stored.equals((await renderReport(asRows.content, format)).bytes);
          expect({ reader, format, same }).toEqual({ reader, format, same: true });
        }
        const csv = (await ofReader.reports.artifact(cli, report.id, 'csv')).bytes.toString('utf8');
        expect(csv).toContain('"\'=1+2 ""quoted"", with a comma"');
      }
    } finally {
      await pool?.close();
    }
  }, 120_000);

  it('stores a report at one snapshot when a run of its period is written after its runs were read beside it and before its other sections were', async () => {
    const ids = await projectIds();
    const pool = provider === 'sqlite' ? await readPoolOf(database()) : null;
    const some = await database().db.run.findFirstOrThrow({ where: { projectId: { in: ids } }, select: { projectId: true, workflowId: true } });
    // The write goes through the history write path, as the engine writes: it moves the event log's head.
    const writer = composeTestServices(database(), { clock: new ManualClock(new Date('2026-11-12T12:00:00Z')) });
    let written = '';
    const between = readerWritingBetween(pool ?? database().reader, async () => {
      written = (await writer.recorder.createRun({ projectId: some.projectId, workflowId: some.workflowId, trigger: 'API', steps: [] })).id;
    });
    try {
      const ofReader = composeTestServices({ ...database(), reader: between.reader }, { clock });
      const saved = await ofReader.reportDefinitions.save(cli, definition({ projectIds: ids, periodKind: 'PREVIOUS_WEEK', formats: ['CSV', 'JSON', 'HTML'], sections: [...REPORT_SECTIONS] }));
      const report = await ofReader.reports.runNow(cli, saved.id, '2026-11-11');
      expect(between.sessions()).toBeGreaterThanOrEqual(2);
      expect(written).not.toBe('');
      const stored = jsonOf((await ofReader.reports.artifact(cli, report.id, 'json')).bytes);
      expect(stored.runs?.rows.map((row) => row.runId)).toContain(written);
      expect(stored.runs?.count).toBe(stored.statusDistribution?.total);
      // Nothing is written after: a report generated now, its runs as rows in one session, is the one the report's snapshot holds.
      const now = await ofReader.reportContent.generate(saved, ofReader.reports.periodOf(saved, '2026-11-11'), { reportId: report.id, generatedAt: report.generatedAt });
      expect(stored.snapshot).toBe(now.content.snapshot);
      for (const [format, extension] of [['CSV', 'csv'], ['JSON', 'json'], ['HTML', 'html']] as const) {
        const same = (await ofReader.reports.artifact(cli, report.id, extension)).bytes.equals((await renderReport(now.content, format)).bytes);
        expect({ format, same }).toEqual({ format, same: true });
      }
    } finally {
      await pool?.close();
    }
  }, 120_000);

  it('renders a format it does not store from a JSON stored before runs had a count, counting its rows', async () => {
    const saved = await services.reportDefinitions.save(cli, definition({ projectIds: await projectIds(), periodKind: 'PREVIOUS_WEEK', formats: ['JSON'] }));
    const report = await services.reports.runNow(cli, saved.id, '2026-11-04');
    const stored = jsonOf((await services.reports.artifact(cli, report.id, 'json')).bytes);
    const rows = stored.runs?.rows ?? [];
    expect(rows.length).toBeGreaterThan(20);
    await database().db.reportArtifact.update({ where: { reportId_format: { reportId: report.id, format: 'JSON' } }, data: { bytes: Buffer.from(JSON.stringify({ ...stored, runs: { rows, truncated: false } })), file: null } });
    const html = (await services.reports.file(cli, report.id, 'HTML')).bytes.toString('utf8');
    expect(html).toContain(`All ${rows.length.toLocaleString('en-US')} runs of the period are in the CSV attachment; the first 20 are below`);
  }, 60_000);

  it('reports the 25-hour day of the October change in Berlin, with a sparkline bucket per local hour and the totals of runStatusCounts', async () => {
    const saved = await services.reportDefinitions.save(cli, definition({ projectIds: await projectIds(), timeZone: 'Europe/Berlin', periodKind: 'PREVIOUS_DAY' }));
    const report = await services.reports.runNow(cli, saved.id, '2026-10-25');
    expect([report.periodStart.toISOString(), report.periodEnd.toISOString()]).toEqual(['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
    const content = jsonOf((await services.reports.artifact(cli, report.id, 'json')).bytes);
    expect(content.period.label).toBe('2026-10-25');
    expect(content.workflowPerformance?.length).toBeGreaterThan(0);
    expect(content.workflowPerformance?.every((row) => row.successRateSparkline.length === 25)).toBe(true);
    const counts = await services.history.statusCounts(cli, filterOf(saved, { from: report.periodStart, to: report.periodEnd }), report.snapshot.toString());
    expect(report.total).toBe(counts.total);
    expect(report.total).toBeGreaterThan(0);
  });

  it('records a period without runs as SKIPPED under skipIfEmpty, with no file, and does not generate it again', async () => {
    const empty = await services.access.createProject(cli, { slug: `empty-${provider}` });
    const saved = await services.reportDefinitions.save(cli, definition({ projectIds: [empty.id], skipIfEmpty: true }));
    const first = await services.reports.runNow(cli, saved.id, '2026-11-19');
    expect(first.state).toBe('SKIPPED');
    expect(first.artifacts).toEqual([]);
    expect(first.deliveryState).toBe('NONE');
    const again = await services.reports.runNow(cli, saved.id, '2026-11-19');
    expect(again.id).toBe(first.id);
    const kept = await services.reportDefinitions.save(cli, definition({ projectIds: [empty.id], skipIfEmpty: false }));
    expect((await services.reports.runNow(cli, kept.id, '2026-11-19')).state).toBe('READY');
  });

  it('catches up on at most the last 3 missed periods, and generates each period once however often it is asked', async () => {
    clock.set(new Date('2026-12-01T00:00:00Z'));
    const saved = await services.reportDefinitions.save(cli, definition({ projectIds: await projectIds(), schedule: '0 6 * * *', timeZone: 'Europe/Berlin' }));
    clock.set(new Date('2026-12-07T05:30:00Z'));
    const other = composeTestServices(database(), { clock });
    await Promise.all([services.reports.runDue(), other.reports.runDue(), services.reports.runDue()]);
    const periods = async () => (await services.reports.reports(cli, saved.id, 10, null)).nodes.map((report) => report.periodStart.toISOString());
    expect(await periods()).toEqual(['2026-12-05T23:00:00.000Z', '2026-12-04T23:00:00.000Z', '2026-12-03T23:00:00.000Z']);
    expect(await services.reports.runDue()).toBe(0);
    clock.set(new Date('2026-12-08T05:00:00Z'));
    await services.reports.runDue();
    expect(await periods()).toEqual(['2026-12-06T23:00:00.000Z', '2026-12-05T23:00:00.000Z', '2026-12-04T23:00:00.000Z', '2026-12-03T23:00:00.000Z']);
  });

  it('tries a period whose generation failed again after a minute, not at every round', async () => {
    clock.set(new Date('2026-12-08T05:00:00Z'));
    const saved = await services.reportDefinitions.save(cli, definition({ projectIds: await projectIds(), schedule: '5 5 * * *' }));
    let attempts = 0;
    const flaky = new ReportService({
      reports: services.repositories.reports,
      users: services.repositories.users,
      definitions: services.reportDefinitions,
      content: services.reportContent,
      projects: services.projects,
      render: async (content, format, runsText) => {
        if (content.definitionId !== saved.id) return renderReport(content, format, runsText);
        attempts += 1;
        if (attempts === 1) throw new Error('the renderer is down');
        return renderReport(content, format, runsText);
      },
      clock,
      logger: pino({ level: 'silent' }),
      onGenerated: () => undefined,
      pollMs: 1_000,
    });
    clock.set(new Date('2026-12-08T05:10:00Z'));
    await flaky.runDue();
    await flaky.runDue();
    expect(attempts).toBe(1);
    expect((await services.reports.reports(cli, saved.id, 5, null)).nodes).toEqual([]);
    clock.set(new Date('2026-12-08T05:11:01Z'));
    await flaky.runDue();
    expect(attempts).toBe(2);
    expect((await services.reports.reports(cli, saved.id, 5, null)).nodes.map((report) => report.periodStart.toISOString())).toEqual(['2026-12-07T00:00:00.000Z']);
  });

  it('refuses definitions out of bounds with every problem named', async () => {
    const attempt = services.reportDefinitions.save(cli, {
      name: 'x'.repeat(101),
      projectIds: [],
      schedule: '* * * * *',
      timeZone: 'Mars/Olympus',
      periodKind: 'ROLLING',
      filter: { workflowNames: Array.from({ length: 101 }, (_, index) => `w${index}`) },
      sections: [],
    });
    await expect(attempt).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    const problems = await attempt.catch((error: { details: { problems: string[] } }) => error.details.problems);
    expect(problems).toEqual([
      'input.name must be 1 to 100 characters',
      'input.projectIds has 0 projects; give 1 to 20',
      'input.timeZone is "Mars/Olympus"; give an IANA zone such as "Europe/Berlin" or "UTC"',
      'input.windowHours is null; a ROLLING period needs a whole number of hours from 1 to 744',
      'input.filter.workflowNames has 101 items; give at most 100',
      'input.sections is empty; give 1 to 7 of STATUS_DISTRIBUTION, PERIOD_CHANGE, WORKFLOW_PERFORMANCE, TOP_FAILING, WORKFLOW_CHANGES, ALERTS, RUNS',
    ]);
  });

  describe('delivery', () => {
    let webhook: HttpReceiver;
    let smtp: SmtpReceiver;
    beforeAll(async () => {
      webhook = await startHttpReceiver();
      smtp = await startSmtpReceiver('s3cret');
    });
    afterAll(async () => {
      await webhook.close();
      await smtp.close();
    });

    it('sends a signed webhook with the totals and links, and an email with the report attached', async () => {
      const [projectId] = await projectIds();
      if (!projectId) throw new Error('no seeded project');
      const hook = await services.contactPoints.save(cli, { projectId, name: `hook-${provider}`, kind: 'WEBHOOK', url: webhook.url, secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}` });
      const mail = await services.contactPoints.save(cli, {
        projectId,
        name: `mail-${provider}`,
        kind: 'EMAIL',
        email: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'alerts', from: 'runtrail@example.com', to: ['team@example.com'] },
        secret: 's3cret',
      });
      const saved = await services.reportDefinitions.save(cli, definition({ name: 'Daily digest', projectIds: [projectId], contactPointIds: [hook.id, mail.id] }));
      const report = await services.reports.runNow(cli, saved.id, '2026-11-18');
      expect(report.deliveryState).toBe('PENDING');
      await services.reportDelivery.deliverPending();
      expect((await services.reports.report(cli, report.id))?.deliveryState).toBe('DELIVERED');
      const received = webhook.received.at(-1);
      expect(received?.headers['webhook-id']).toBe(report.id);
      expect(received?.headers['webhook-signature']).toMatch(/^v1,/);
      const body = JSON.parse(received?.body ?? '{}') as { type: string; total: number; links: Record<string, string>; byStatus: { status: RunStatus; count: number }[] };
      expect(body.type).toBe('report.generated');
      expect(body.total).toBe(report.total);
      expect(body.links).toEqual({ JSON: `/reports/${report.id}.json` });
      const message = smtp.messages.at(-1);
      expect(message?.subject).toBe('Runtrail report: Daily digest (2026-11-18)');
      expect(message?.text).toContain(`${report.total} runs`);
      expect(message?.attachments.map((attachment) => attachment.filename)).toEqual(['daily-digest-2026-11-18.json']);
      expect(jsonOf(message?.attachments[0]?.content ?? Buffer.alloc(0)).statusDistribution?.total).toBe(report.total);
    });

    it("mails each recipient with an address a copy of only the projects they can read, with that copy's exact totals, and records one without an address as skipped", async () => {
      const projects = (await services.repositories.projects.listAll()).filter((project) => project.slug.startsWith('seed-'));
      const [both, only] = [projects.map((project) => project.id).sort(), projects[0]];
      const other = projects[1];
      if (!only || !other) throw new Error('two seeded projects are needed');
      const user = async (name: string, email: string | null, readable: string[]) => {
        const created = await services.access.createUser(cli, { username: `${name}-${provider}`, email });
        for (const projectId of readable) await services.access.addMember(cli, { projectId, username: created.username, role: 'VIEWER' });
        return created;
      };
      const alice = await user('alice', 'alice@example.com', both);
      const bob = await user('bob', 'bob@example.com', [only.id]);
      const carol = await user('carol', null, both);
      const mail = await services.contactPoints.save(cli, {
        projectId: only.id,
        name: `recipients-${provider}`,
        kind: 'EMAIL',
        email: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'alerts', from: 'runtrail@example.com', to: ['team@example.com'] },
        secret: 's3cret',
      });
      const saved = await services.reportDefinitions.save(
        cli,
        definition({ name: 'Both projects', projectIds: both, formats: ['HTML', 'JSON'], contactPointIds: [mail.id], recipientIds: [alice.id, bob.id, carol.id] }),
      );
      const report = await services.reports.runNow(cli, saved.id, '2026-11-18');
      const sentBefore = smtp.messages.length;

      await services.reportDelivery.deliverPending();

      const mailsTo = (address: string) => smtp.messages.slice(sentBefore).filter((message) => [message.to].flat().some((to) => to?.value.some((entry) => entry.address === address)));
      const copyOf = (address: string) => {
        const [received, ...more] = mailsTo(address);
        expect(more).toHaveLength(0);
        const json = received?.attachments.find((attachment) => attachment.filename?.endsWith('.json'));
        return { html: typeof received?.html === 'string' ? received.html : '', content: jsonOf(json?.content ?? Buffer.alloc(0)) };
      };
      const alices = copyOf('alice@example.com');
      expect(alices.content.projects.map((project) => project.projectId).sort()).toEqual(both);
      expect(alices.content.statusDistribution?.total).toBe(report.total);
      const bobs = copyOf('bob@example.com');
      expect(bobs.content.projects).toEqual([{ projectId: only.id, projectName: only.name }]);
      expect(bobs.html).toContain(only.name);
      expect(bobs.html).not.toContain(other.name);
      expect(new Set(bobs.content.runs?.rows.map((row) => row.projectId))).toEqual(new Set([only.id]));
      const onlyCounts = await services.history.statusCounts(cli, filterOf({ ...saved, projectIds: [only.id] }, { from: report.periodStart, to: report.periodEnd }), report.snapshot.toString());
      expect(bobs.content.statusDistribution?.total).toBe(onlyCounts.total);
      expect(onlyCounts.total).toBeLessThan(report.total);
      expect(mailsTo('team@example.com')).toHaveLength(1);

      const delivered = await services.reports.report(cli, report.id);
      expect(delivered?.deliveryState).toBe('DELIVERED');
      expect(delivered?.recipients).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ userId: alice.id, projectIds: both, state: 'SENT', detail: null }),
          expect.objectContaining({ userId: bob.id, projectIds: [only.id], state: 'SENT', detail: null }),
          expect.objectContaining({ userId: carol.id, state: 'SKIPPED', detail: expect.stringContaining(`${carol.username} has no email address`) }),
        ]),
      );
    });

    it('refuses recipients who may read none of the projects, or without an EMAIL contact point to mail them through', async () => {
      const [projectId] = await projectIds();
      if (!projectId) throw new Error('no seeded project');
      const outsider = await services.access.createUser(cli, { username: `outsider-${provider}`, email: 'outsider@example.com' });
      const refusal = services.reportDefinitions.save(cli, definition({ projectIds: [projectId], recipientIds: [outsider.id] }));
      await expect(refusal).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining(`user ${outsider.username} may read none of the report's projects`) });
      await expect(refusal).rejects.toMatchObject({ message: expect.stringContaining('add one to input.contactPointIds') });
    });
  });
});

describe('reports of archived periods', () => {
  // Only SQLite moves periods to an archive store in this build.
  const database = useMigratedDatabase('sqlite');

  it('reports a period exactly the same before and after retention archived its runs', async () => {
    const clock = new ManualClock(new Date('2026-12-10T00:00:00Z'));
    const services = composeTestServices(database(), { clock });
    await seederFor(database()).seed({ runs: 1_500, projects: 1, workflowsPerProject: 3, from: new Date(SEEDED_TO.getTime() - 20 * DAY), to: SEEDED_TO, seed: 11 });
    const [project] = (await services.repositories.projects.listAll()).filter((candidate) => candidate.slug.startsWith('seed-'));
    if (!project) throw new Error('no seeded project');
    const change = { name: 'weekly', projectIds: [project.id], schedule: '0 6 * * 1', timeZone: 'Europe/Berlin', periodKind: 'PREVIOUS_WEEK' as const, formats: ['JSON' as const] };
    const before = await services.reportDefinitions.save(cli, change);
    const live = await services.reports.runNow(cli, before.id, '2026-11-10');

    await services.retention.set(cli, { projectId: project.id, hotDays: 1, keepLastRuns: 0, keepFailedForDays: 0 });
    const moved = await services.archive.archiveNow(cli, project.id, false);
    expect(moved.total).toBeGreaterThan(0);
    const after = await services.reportDefinitions.save(cli, { ...change, name: 'weekly again' });
    const archived = await services.reports.runNow(cli, after.id, '2026-11-10');

    expect(archived.total).toBe(live.total);
    expect(archived.totals).toEqual(live.totals);
    const sectionsOf = async (id: string) => {
      const { runs, workflowPerformance, topFailing, workflowChanges, periodChange, statusDistribution } = jsonOf((await services.reports.artifact(cli, id, 'json')).bytes);
      return { runs, workflowPerformance, topFailing, workflowChanges, periodChange, statusDistribution };
    };
    expect(await sectionsOf(archived.id)).toEqual(await sectionsOf(live.id));
    const counts = await services.history.statusCounts(cli, filterOf(after, { from: archived.periodStart, to: archived.periodEnd }), archived.snapshot.toString());
    expect(counts.total).toBe(archived.total);
  }, 120_000);
});

describe('report files on SQLite', () => {
  const database = useMigratedDatabase('sqlite');

  it('keeps each stored format in a file of its own under DATA_DIR/reports, not in the database, and removes the files with the definition', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-report-files-'));
    const services = composeTestServices(database(), { clock: new ManualClock(new Date('2026-12-10T00:00:00Z')), dataDir });
    await seederFor(database()).seed({ runs: 300, projects: 1, workflowsPerProject: 2, from: new Date(SEEDED_TO.getTime() - 5 * DAY), to: SEEDED_TO, seed: 5 });
    const [project] = (await services.repositories.projects.listAll()).filter((candidate) => candidate.slug.startsWith('seed-'));
    if (!project) throw new Error('no seeded project');
    const saved = await services.reportDefinitions.save(cli, { name: 'files', projectIds: [project.id], schedule: '0 6 * * *', timeZone: 'UTC', periodKind: 'PREVIOUS_DAY', formats: ['CSV', 'JSON'] });

    const report = await services.reports.runNow(cli, saved.id, '2026-11-18');

    const directory = path.join(dataDir, 'reports');
    expect(readdirSync(directory).sort()).toEqual([`${report.id}.csv`, `${report.id}.json`]);
    for (const extension of ['csv', 'json']) expect((await services.reports.artifact(cli, report.id, extension)).bytes.equals(readFileSync(path.join(directory, `${report.id}.${extension}`)))).toBe(true);
    const rows = await database().db.reportArtifact.findMany({ where: { reportId: report.id }, select: { bytes: true, file: true } });
    expect(rows).toEqual(expect.arrayContaining([{ bytes: null, file: `${report.id}.csv` }, { bytes: null, file: `${report.id}.json` }]));
    await services.reportDefinitions.delete(cli, saved.id);
    expect(readdirSync(directory)).toEqual([]);
  }, 60_000);

  it('removes the files a crash left with no row naming them once they are an hour old, and keeps reports, newer files and anything else', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-report-orphans-'));
    const now = new Date('2026-12-10T00:00:00Z');
    const services = composeTestServices(database(), { clock: new ManualClock(now), dataDir });
    await seederFor(database()).seed({ runs: 200, projects: 1, workflowsPerProject: 1, from: new Date(SEEDED_TO.getTime() - 5 * DAY), to: SEEDED_TO, seed: 9 });
    const [project] = (await services.repositories.projects.listAll()).filter((candidate) => candidate.slug.startsWith('seed-'));
    if (!project) throw new Error('no seeded project');
    const saved = await services.reportDefinitions.save(cli, { name: 'orphans', projectIds: [project.id], schedule: '0 6 * * *', timeZone: 'UTC', periodKind: 'PREVIOUS_DAY', formats: ['CSV'] });
    const report = await services.reports.runNow(cli, saved.id, '2026-11-18');
    const directory = path.join(dataDir, 'reports');
    const leftBehind = (name: string, writtenAt: Date) => {
      writeFileSync(path.join(directory, name), 'left behind');
      utimesSync(path.join(directory, name), writtenAt, writtenAt);
    };
    const twoHoursAgo = new Date(now.getTime() - 2 * 3_600_000);
    leftBehind('rep_00000000000000000000000a1.csv', twoHoursAgo);
    leftBehind('rep_00000000000000000000000a2.json.4242.tmp', twoHoursAgo);
    leftBehind('rep_00000000000000000000000a3.csv', new Date(now.getTime() - 60_000));
    leftBehind('notes.txt', twoHoursAgo);
    utimesSync(path.join(directory, `${report.id}.csv`), twoHoursAgo, twoHoursAgo);

    expect(await services.reports.sweepOrphanFiles()).toBe(2);

    expect(readdirSync(directory).sort()).toEqual([`${report.id}.csv`, 'notes.txt', 'rep_00000000000000000000000a3.csv'].sort());
    expect((await services.reports.artifact(cli, report.id, 'csv')).bytes.length).toBeGreaterThan(0);
  }, 60_000);
});

/** A pool of two read threads on a SQLite test database: reads in two sessions at once. */
async function readPoolOf(database: Database): Promise<SqliteReadPool> {
  const [main] = await database.reader.all(Prisma.sql`SELECT file FROM pragma_database_list WHERE name = 'main'`);
  return SqliteReadPool.open(String(main?.file), { threads: 2, queueLimit: 10 }, pino({ level: 'silent' }));
}

/**
 * A reader that commits `write` once the first read session has read its first statement (its
 * snapshot is then taken) and before the second session begins: the two see different states.
 */
function readerWritingBetween(reader: HistoryReader, write: () => Promise<void>): { reader: HistoryReader; sessions: () => number } {
  let sessions = 0;
  let firstStatementRead: () => void = () => undefined;
  const snapshotTaken = new Promise<void>((resolve) => (firstStatementRead = resolve));
  const wrapped: HistoryReader = {
    provider: reader.provider,
    sessionsAtOnce: reader.sessionsAtOnce,
    read: async (work) => {
      sessions += 1;
      if (sessions === 1) {
        return reader.read((session) =>
          work({
            all: async (query) => {
              const rows = await session.all(query);
              firstStatementRead();
              return rows;
            },
            encoded: (query, encoding) => session.encoded(query, encoding),
          }),
        );
      }
      if (sessions === 2) {
        await snapshotTaken;
        await write();
      }
      return reader.read(work);
    },
    all: (query) => reader.all(query),
    encoded: (query, encoding) => reader.encoded(query, encoding),
    onStatement: (listener) => reader.onStatement(listener),
    close: () => reader.close(),
  };
  return { reader: wrapped, sessions: () => sessions };
}
