// When a page first shows something, measured inside the page from its navigation start
// (performance.timeOrigin), so the bench's own round trips to the browser are not counted.
import type { BrowserContext, Page } from 'playwright-core';
import { BenchFailure } from '../shared/bench-failure.ts';

/** A moment a user would notice: every selector matches at least one element with a size. */
export interface Mark {
  name: string;
  selectors: readonly string[];
}

export const FIRST_ROWS_MARK: Mark = { name: 'firstRows', selectors: ['tr[data-run-id]'] };
export const CHARTS_MARK: Mark = { name: 'charts', selectors: ['ul[aria-label="Runs by status"]', '.status-trend__bar'] };
/** The dashboard's counts per status, with their numbers (not the "…" they show while loading). */
export const NUMBERS_MARK: Mark = { name: 'numbers', selectors: ['ul[aria-label="Runs per status in this period"][aria-busy="false"]'] };
/** A run's page: its heading and its facts (id, project, trigger, times). */
export const RUN_PAGE_MARK: Mark = { name: 'runPage', selectors: ['main h1', 'main dl'] };

const WAIT_MS = 60_000;

/**
 * Installed before any of the page's own scripts. Checks after every DOM change; a mark's time is
 * the first animation frame after it matched, the frame that paints it. A plain string, not a
 * function: tsx's helpers in a compiled function body do not exist in the page.
 */
function observerScript(marks: readonly Mark[]): string {
  return `(() => {
  const wanted = ${JSON.stringify(marks)};
  const times = {};
  Object.defineProperty(window, '__benchMarks', { value: times });
  const shown = (element) => { const box = element.getBoundingClientRect(); return box.width > 0 && box.height > 0; };
  const check = () => {
    for (const mark of wanted) {
      if (mark.name in times) continue;
      if (!mark.selectors.every((selector) => Array.from(document.querySelectorAll(selector)).some(shown))) continue;
      times[mark.name] = null;
      times[mark.name + ':dom'] = performance.now();
      requestAnimationFrame(() => { times[mark.name] = performance.now(); });
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
  window.addEventListener('resize', check);
})();`;
}

export async function observeMarks(context: BrowserContext, marks: readonly Mark[]): Promise<void> {
  await context.addInitScript({ content: observerScript(marks) });
}

/** Milliseconds from the navigation's start to the mark's paint. */
export async function markTime(page: Page, mark: Mark): Promise<number> {
  const read = `window.__benchMarks && typeof window.__benchMarks[${JSON.stringify(mark.name)}] === 'number' ? window.__benchMarks[${JSON.stringify(mark.name)}] : null`;
  try {
    await page.waitForFunction(`(${read}) !== null`, undefined, { timeout: WAIT_MS, polling: 50 });
  } catch {
    throw new BenchFailure(`${page.url()} never showed ${mark.selectors.join(' and ')} within ${WAIT_MS / 1000} s`);
  }
  const value: unknown = await page.evaluate(read);
  if (typeof value !== 'number') throw new BenchFailure(`${page.url()}: no time for ${mark.name}`);
  return value;
}

/** Where the time went before the mark: response start, scripts done, last GraphQL answer. */
export interface LoadBreakdown {
  responseStart: number;
  /** When the mark's elements were in the DOM, before the frame that painted them. */
  inDom: number | null;
  painted: number;
  domContentLoaded: number;
  lastScriptEnd: number | null;
  graphqlRequests: number;
  lastGraphqlEnd: number | null;
}

/** Resource entries up to `until` only: what had loaded by the time the mark painted. */
function breakdownScript(mark: Mark, until: number): string {
  return `(() => {
  const navigation = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource').filter((entry) => entry.responseEnd <= ${until});
  const scripts = resources.filter((entry) => entry.initiatorType === 'script');
  const graphql = resources.filter((entry) => new URL(entry.name).pathname === '/graphql');
  const last = (entries) => (entries.length === 0 ? null : Math.max(...entries.map((entry) => entry.responseEnd)));
  return {
    responseStart: navigation ? navigation.responseStart : 0,
    inDom: window.__benchMarks[${JSON.stringify(`${mark.name}:dom`)}] ?? null,
    painted: ${until},
    domContentLoaded: navigation ? navigation.domContentLoadedEventEnd : 0,
    lastScriptEnd: last(scripts),
    graphqlRequests: graphql.length,
    lastGraphqlEnd: last(graphql),
  };
})()`;
}

export async function loadBreakdown(page: Page, mark: Mark, until: number): Promise<LoadBreakdown> {
  return (await page.evaluate(breakdownScript(mark, until))) as LoadBreakdown;
}
