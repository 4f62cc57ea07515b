// One kind of page load, measured cold (fresh context, empty HTTP cache) and then warm (the
// same context navigating to it again), with the rows on screen checked against the floor's.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { FIRST_ROWS } from './bare-runs-page.ts';
import { loadBreakdown, markTime, observeMarks, type LoadBreakdown, type Mark } from './paint-marks.ts';

// Lazy chunks and late answers finish before the warm load, so it meets a filled cache.
const SETTLE_MS = 15_000;
const MAX_DIFFERENCES = 10;

export interface Target {
  name: string;
  url: string;
  /** What the load waits for; the first is the one whose time is broken down. */
  marks: readonly [Mark, ...Mark[]];
  /** Reads the run ids on screen, for the comparison with the floor. */
  runIds: boolean;
}

/** Milliseconds to each mark, by its name. */
export type MarkTimes = Record<string, number>;

export interface TwoLoads {
  cold: MarkTimes;
  warm: MarkTimes;
  coldBreakdown: LoadBreakdown;
}

/** The run ids every load must show: the first load's (the floor goes first), in its order. */
export class RowCheck {
  expected: string[] | null = null;
  readonly differences: string[] = [];

  record(target: Target, ids: readonly string[]): void {
    if (this.expected === null) {
      this.expected = [...ids];
      return;
    }
    const expected = this.expected;
    const at = expected.findIndex((id, index) => ids[index] !== id);
    if (at === -1 && ids.length === expected.length) return;
    const where = at === -1 ? `${ids.length} rows where the floor had ${expected.length}` : `row ${at + 1} is ${ids[at] ?? 'missing'} where the floor had ${expected[at]}`;
    if (this.differences.length < MAX_DIFFERENCES) this.differences.push(`${target.name}: ${where}`);
  }
}

export interface LoadSetup {
  browser: Browser;
  state: BrowserContextOptions['storageState'];
  rows: RowCheck;
  notes: string[];
}

export async function loadTwice(setup: LoadSetup, target: Target): Promise<TwoLoads> {
  const context = await setup.browser.newContext({ storageState: setup.state });
  try {
    await observeMarks(context, target.marks);
    const page = await context.newPage();
    const cold = await load(setup, page, target);
    const coldBreakdown = await loadBreakdown(page, target.marks[0], cold[target.marks[0].name] ?? Number.NaN);
    await page.waitForLoadState('networkidle', { timeout: SETTLE_MS }).catch(() => setup.notes.push(`${target.name}: the network was still busy ${SETTLE_MS / 1000} s after a cold load`));
    const warm = await load(setup, page, target);
    return { cold, warm, coldBreakdown };
  } finally {
    await context.close();
  }
}

async function load(setup: LoadSetup, page: Page, target: Target): Promise<MarkTimes> {
  await page.goto(target.url, { waitUntil: 'commit' });
  const painted: MarkTimes = {};
  for (const mark of target.marks) painted[mark.name] = await markTime(page, mark);
  if (target.runIds) setup.rows.record(target, await runIds(page));
  return painted;
}

async function runIds(page: Page): Promise<string[]> {
  // The runs page commits its rows at once; wait for all of them, not only the first.
  await page.waitForFunction(`document.querySelectorAll('tr[data-run-id]').length >= ${FIRST_ROWS}`, undefined, { timeout: SETTLE_MS }).catch(() => undefined);
  const ids: unknown = await page.evaluate(`Array.from(document.querySelectorAll('tr[data-run-id]'), (row) => row.getAttribute('data-run-id') ?? '')`);
  return Array.isArray(ids) ? ids.map(String) : [];
}
