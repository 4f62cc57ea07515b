import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { commandLinePrincipal } from '../auth/principal.ts';
import { openDatabase } from '../db/client.ts';
import type { ReportContent } from '../domain/reports/report-content.ts';
import { composeTestServices } from '../test/compose.ts';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'runtrail');
const DAY = 24 * 3_600_000;

describe('runtrail report run', () => {
  let dataDir: string;
  const runtrail = (args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { NODE_ENV: 'production', PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn', LOAD_EXAMPLES: 'false' },
      timeout: 120_000,
    });

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-report-cli-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the report of the period it names, writes the same report to a file, and refuses an unknown format', async () => {
    expect(runtrail(['seed', '--runs', '800', '--projects', '1', '--workflows', '3', '--days', '10']).status).toBe(0);
    const database = await openDatabase({ provider: 'sqlite', url: `file:${path.join(dataDir, 'runtrail.db')}` }, pino({ level: 'silent' }));
    const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
    try {
      const services = composeTestServices(database);
      const [project] = await services.repositories.projects.listAll().then((projects) => projects.filter((candidate) => candidate.slug === 'seed-1'));
      if (!project) throw new Error('no seeded project');
      await services.reportDefinitions.save(commandLinePrincipal(), { name: 'nightly digest', projectIds: [project.id], schedule: '0 6 * * *', timeZone: 'UTC', periodKind: 'PREVIOUS_DAY', formats: ['JSON'] });
    } finally {
      await database.close();
    }

    const printed = runtrail(['report', 'run', 'nightly digest', '--period', yesterday]);
    const out = path.join(dataDir, 'report.json');
    const written = runtrail(['report', 'run', 'nightly digest', '--period', yesterday, '--format', 'json', '--out', out]);
    const wrong = runtrail(['report', 'run', 'nightly digest', '--format', 'docx']);

    expect(printed.stderr).toBe('');
    expect(printed.status).toBe(0);
    const content = JSON.parse(printed.stdout) as ReportContent;
    expect(content.period.label).toBe(yesterday);
    expect(content.statusDistribution?.total).toBeGreaterThan(0);
    expect(written.status).toBe(0);
    expect(written.stderr).toContain(`Report ${content.reportId} (READY, ${content.statusDistribution?.total} runs`);
    expect(readFileSync(out, 'utf8')).toBe(printed.stdout);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('--format is "docx"; give one of html, csv, json, pdf');
  }, 180_000);
});
