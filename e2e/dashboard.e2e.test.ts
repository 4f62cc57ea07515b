import type { Page } from 'playwright-core';
import type { RunStatus } from '../src/domain/status.ts';
import { seederFor } from '../src/test/seeder.ts';
import { adminUserId, expectEventually, screenshot, signIn, STATUS_LABELS, useBrowserSuite, visibleText, type BrowserSuite } from './browser-harness.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

const STATUS_COUNTS = `
  query StatusCounts($filter: RunFilter) {
    runStatusCounts(filter: $filter) { total byStatus { status count } }
  }`;

interface LegendEntry {
  status: string;
  count: number;
}

/** The pie's legend as a user reads it: a status, its number of runs, its share. */
async function legend(page: Page): Promise<LegendEntry[]> {
  const items = await page.getByRole('list', { name: 'Runs by status' }).getByRole('listitem').all();
  return Promise.all(
    items.map(async (item) => {
      const match = /^(.+) ([\d,]+) \d+%$/.exec(await visibleText(item));
      return match ? { status: match[1] ?? '', count: Number(match[2]?.replaceAll(',', '')) } : { status: `unreadable: ${await visibleText(item)}`, count: -1 };
    }),
  );
}

/** What the API counts for runs created since `since`, as the legend should list it: statuses with runs, in the UI's order. */
async function apiCounts(suite: BrowserSuite, since: number): Promise<{ total: number; legend: LegendEntry[] }> {
  const { body } = await suite.server.query<{ runStatusCounts: { total: number; byStatus: { status: RunStatus; count: number }[] } }>(STATUS_COUNTS, {
    filter: { createdAfter: new Date(since).toISOString() },
  });
  const counts = body.data?.runStatusCounts;
  if (!counts) throw new Error(`runStatusCounts failed: ${JSON.stringify(body.errors)}`);
  const byStatus = new Map(counts.byStatus.map((entry) => [entry.status, entry.count]));
  const entries = (Object.keys(STATUS_LABELS) as RunStatus[]).flatMap((status) => {
    const count = byStatus.get(status) ?? 0;
    return count > 0 ? [{ status: STATUS_LABELS[status], count }] : [];
  });
  return { total: counts.total, legend: entries };
}

async function backgroundLuminance(page: Page): Promise<number> {
  const rgb = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r = 0, g = 0, b = 0] = (rgb.match(/\d+/g) ?? []).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

describe('the dashboard', () => {
  const suite = useBrowserSuite();
  const now = Date.now();

  beforeAll(async () => {
    const seeder = seederFor(suite.server.database);
    // Every run is created far from the edges of the 7- and 30-day periods, so the browser and
    // the test, which each take "now" at their own instant, count the same runs.
    await seeder.seed({ runs: 150, projects: 2, workflowsPerProject: 2, from: new Date(now - 20 * DAY), to: new Date(now - 10 * DAY), seed: 3 });
    await seeder.seed({ runs: 250, projects: 2, workflowsPerProject: 2, from: new Date(now - 6 * DAY), to: new Date(now - HOUR), seed: 4 });
  });

  it('lists in the status distribution the same number of runs per status as runStatusCounts for the chosen period', async () => {
    const { page, server } = suite;
    const lastWeek = await apiCounts(suite, now - 7 * DAY);
    const lastMonth = await apiCounts(suite, now - 30 * DAY);
    expect(lastWeek.total).toBe(250);
    expect(lastMonth.total).toBe(400);
    await signIn(suite, adminUserId(suite));
    const periods = page.getByRole('group', { name: 'Period' });
    const allRuns = page.getByRole('list', { name: 'Runs per status in this period' }).getByRole('listitem').filter({ hasText: 'All runs' });

    await periods.getByRole('button', { name: 'Last 7 days' }).click();

    await page.waitForURL(`${server.url}/?range=7d`);
    await expectEventually(() => legend(page), lastWeek.legend);
    expect(await visibleText(allRuns)).toBe('All runs 250');
    await screenshot(page, 'dashboard');
    expect(await backgroundLuminance(page)).toBeGreaterThan(0.8);

    await periods.getByRole('button', { name: 'Last 30 days' }).click();

    await page.waitForURL(`${server.url}/?range=30d`);
    await expectEventually(() => legend(page), lastMonth.legend);
    expect(await visibleText(allRuns)).toBe('All runs 400');
  });

  it('follows a dark colour scheme', async () => {
    const page = await suite.openPage({ colorScheme: 'dark' });

    await signIn(suite, adminUserId(suite), page);
    await page.goto(`${suite.server.url}/?range=7d`);

    await page.getByRole('list', { name: 'Runs by status' }).waitFor();
    await screenshot(page, 'dashboard-dark');
    expect(await backgroundLuminance(page)).toBeLessThan(0.2);
  });
});
