import { chromium, type Browser, type Page } from 'playwright-core';
import { REPORT_CHROMIUM } from '../../../test/report-browser';
import { readPixels } from '../../../test/png-pixels';
import { FIXTURE_COUNTS, HOSTILE_ERROR, HOSTILE_WORKFLOW_NAME, reportFixture } from '../../../test/report-content-fixture';
import { PIE_SIZE } from './report-charts';
import { STATUS_COLORS } from './report-look';
import { renderReport } from './render-report';

// One browser for the file; the report is loaded once, as a mail client would show it.
let browser: Browser;
let page: Page;
const dialogs: string[] = [];

beforeAll(async () => {
  browser = await chromium.launch(REPORT_CHROMIUM);
  page = await browser.newPage({ viewport: { width: 800, height: 1000 }, deviceScaleFactor: 1, javaScriptEnabled: true });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const html = await renderReport(reportFixture(), 'HTML');
  await page.setContent(html.bytes.toString('utf8'), { waitUntil: 'load' });
});

afterAll(async () => {
  await browser.close();
});

describe('the HTML report in Chromium', () => {
  it('draws the pie: its pixels are the succeeded and failed colours of the app, in proportion to the runs', async () => {
    const pie = page.getByRole('img', { name: /^Pie chart of 200 runs by status$/ });
    const box = await pie.boundingBox();
    expect(box).toMatchObject({ width: PIE_SIZE, height: PIE_SIZE });
    const pixels = readPixels(await pie.screenshot());
    const counts = pixels.count([STATUS_COLORS.SUCCEEDED, STATUS_COLORS.FAILED]);
    const succeeded = counts.get(STATUS_COLORS.SUCCEEDED) ?? 0;
    const failed = counts.get(STATUS_COLORS.FAILED) ?? 0;
    // The ring covers about 55% of the square; succeeded is 60% of it.
    expect(succeeded).toBeGreaterThan(PIE_SIZE * PIE_SIZE * 0.55 * 0.6 * 0.9);
    const expected = FIXTURE_COUNTS.FAILED / FIXTURE_COUNTS.SUCCEEDED;
    expect(failed / succeeded).toBeGreaterThan(expected * 0.93);
    expect(failed / succeeded).toBeLessThan(expected * 1.07);
  });

  it('loads every chart image', async () => {
    const images = await page.locator('img').evaluateAll((elements) => elements.map((element) => (element instanceof HTMLImageElement ? element.naturalWidth : 0)));
    expect(images.length).toBe(11);
    for (const width of images) expect(width).toBeGreaterThan(0);
  });

  it('shows hostile names and errors as text and runs none of them', async () => {
    await expect(page.getByText(HOSTILE_WORKFLOW_NAME, { exact: true }).first().isVisible()).resolves.toBe(true);
    await expect(page.getByText(HOSTILE_ERROR).first().isVisible()).resolves.toBe(true);
    expect(await page.locator('script').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('is at most 640 px wide', async () => {
    const widths = await page.locator('table[width="640"]').evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect().width));
    expect(widths).toEqual([640]);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(800);
  });
});
