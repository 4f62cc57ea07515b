// Renders the fixture report (src/test/report-content-fixture.ts) as HTML and screenshots it in
// Chromium for the README: `npm run docs:report-screenshot` writes docs/report-example.png.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { renderReport } from '../src/services/reports/render/render-report';
import { reportFixture } from '../src/test/report-content-fixture';
import { REPORT_CHROMIUM } from '../src/test/report-browser';

async function main(): Promise<void> {
  const html = await renderReport(reportFixture(), 'HTML');
  const browser = await chromium.launch(REPORT_CHROMIUM);
  try {
    const page = await browser.newPage({ viewport: { width: 720, height: 900 }, deviceScaleFactor: 1 });
    await page.setContent(html.bytes.toString('utf8'), { waitUntil: 'load' });
    // The report down to its list of runs, which is the CSV's job: the picture stays readable.
    const card = await page.locator('table[width="640"]').boundingBox();
    const runs = await page.getByRole('heading', { name: 'Runs', exact: true }).boundingBox();
    if (!card || !runs) throw new Error('The fixture report has no card or no Runs section to show');
    const target = path.resolve(__dirname, '..', 'docs', 'report-example.png');
    writeFileSync(target, await page.screenshot({ fullPage: true, clip: { x: card.x, y: card.y, width: card.width, height: runs.y - card.y - 12 } }));
    process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
