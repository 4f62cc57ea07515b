// The README's picture of a report, from a report a real server generated: `npm run
// docs:report-screenshot` seeds a temporary SQLite database with `runtrail seed`, starts the
// server on it, saves a weekly definition over the seeded projects, runs it with runReportNow,
// downloads its HTML from /reports/<id>.html as any client would, and screenshots it in Chromium
// into docs/report-example.png.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { REPORT_CHROMIUM } from '../src/test/report-browser';
import { build, REPOSITORY_ROOT, startBenchServer } from '../bench/shared/server-process';

// A small history: enough runs for every section (failures, streaks, a flaky workflow) and four earlier weeks for the baseline.
const SEED_ARGS = ['--runs', '20000', '--projects', '2', '--workflows', '5', '--days', '42'];

interface GraphQLAnswer {
  data?: Record<string, unknown>;
  errors?: { message: string }[];
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isArray = (value: unknown): value is unknown[] => Array.isArray(value);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

async function graphql(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const answer: GraphQLAnswer = await response.json();
  if (!answer.data || answer.errors) throw new Error(`GraphQL answered ${response.status}: ${JSON.stringify(answer.errors ?? answer)}`);
  return answer.data;
}

function field<T>(value: unknown, name: string, check: (found: unknown) => found is T): T {
  const found = isObject(value) ? value[name] : undefined;
  if (!check(found)) throw new Error(`The answer has no ${name}: ${JSON.stringify(value)}`);
  return found;
}


async function reportHtml(dataDir: string): Promise<string> {
  const databaseUrl = `file:${path.join(dataDir, 'runtrail.db')}`;
  const seeded = spawnSync(process.execPath, [path.join(REPOSITORY_ROOT, 'bin', 'runtrail'), 'seed', ...SEED_ARGS], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOAD_EXAMPLES: 'false', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (seeded.status !== 0) throw new Error(`runtrail seed failed (exit ${seeded.status ?? seeded.signal})`);
  const token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
  const server = await startBenchServer({ dataDir, databaseUrl, logName: 'server.log', env: {}, readyTimeoutMs: 120_000, stopGraceMs: 10_000 });
  try {
    const projects = field(await graphql(server.url, token, 'query { projects { id slug } }', {}), 'projects', isArray);
    const projectIds = projects.filter(isObject).filter((project) => isString(project.slug) && project.slug.startsWith('seed-')).map((project) => field(project, 'id', isString));
    if (projectIds.length === 0) throw new Error('The seed made no seed-* project');
    const saved = field(
      await graphql(server.url, token, 'mutation($input: ReportDefinitionInput!) { saveReportDefinition(input: $input) { id } }', {
        input: { projectIds, name: 'Weekly status', schedule: '0 7 * * 1', timeZone: 'Europe/Berlin', periodKind: 'PREVIOUS_WEEK', formats: ['HTML', 'JSON'] },
      }),
      'saveReportDefinition',
      isObject,
    );
    const report = field(await graphql(server.url, token, 'mutation($id: ID!) { runReportNow(definitionId: $id) { id files { format url } } }', { id: field(saved, 'id', isString) }), 'runReportNow', isObject);
    const html = field(report, 'files', isArray).filter(isObject).find((file) => file.format === 'HTML');
    if (!html) throw new Error(`Report ${JSON.stringify(report)} has no HTML file`);
    const response = await fetch(new URL(field(html, 'url', isString), server.url), { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 200) throw new Error(`GET ${field(html, 'url', isString)} answered ${response.status}`);
    return await response.text();
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  build('server');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-report-screenshot-'));
  try {
    const html = await reportHtml(dataDir);
    const browser = await chromium.launch(REPORT_CHROMIUM);
    try {
      const page = await browser.newPage({ viewport: { width: 720, height: 900 }, deviceScaleFactor: 1 });
      await page.setContent(html, { waitUntil: 'load' });
      // The report down to its list of runs, which is the CSV's job: the picture stays readable.
      const card = await page.locator('table[width="640"]').boundingBox();
      const runs = await page.getByRole('heading', { name: 'Runs', exact: true }).boundingBox();
      if (!card || !runs) throw new Error('The report has no card or no Runs section to show');
      const target = path.resolve(__dirname, '..', 'docs', 'report-example.png');
      writeFileSync(target, await page.screenshot({ fullPage: true, clip: { x: card.x, y: card.y, width: card.width, height: runs.y - card.y - 12 } }));
      process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
