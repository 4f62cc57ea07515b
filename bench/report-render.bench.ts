// `npm run bench:report-render [-- --rounds 5]`: rendering one report in each format from its
// content, for the test fixture (every section, 45 runs) and for the largest report: the
// fixture's sections with 50 workflows and REPORT_MAX_RUN_ROWS (100,000) runs. Generation (reading
// the history) is not in these figures: they are what each format adds on top of it.
import { REPORT_FORMATS, REPORT_MAX_RUN_ROWS, type ReportContent } from '../src/domain/reports/report-content.ts';
import { renderReport } from '../src/services/reports/render/render-report.ts';
import { reportFixture } from '../src/test/report-content-fixture.ts';
import { runBench } from './shared/lifecycle.ts';
import { kilobytes, machineLines, ms, percentile, table } from './shared/report.ts';

function parseRounds(): number {
  const index = process.argv.indexOf('--rounds');
  if (index === -1) return 5;
  const rounds = Number(process.argv[index + 1]);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('usage: bench:report-render [-- --rounds N] (N ≥ 1)');
  return rounds;
}

function cycle<T>(items: readonly T[] | undefined, length: number): T[] {
  if (!items || items.length === 0) throw new Error('The fixture lost its runs or workflows');
  const out: T[] = [];
  while (out.length < length) out.push(...items.slice(0, length - out.length));
  return out;
}

function largest(): ReportContent {
  const fixture = reportFixture();
  return {
    ...fixture,
    workflowPerformance: cycle(fixture.workflowPerformance, 50).map((workflow, index) => ({ ...workflow, workflowId: `wf_${index}`, workflowName: `workflow-${index}` })),
    runs: { truncated: true, count: REPORT_MAX_RUN_ROWS, rows: cycle(fixture.runs?.rows, REPORT_MAX_RUN_ROWS).map((run, index) => ({ ...run, runId: `run_${index}` })) },
  };
}

runBench({
  name: 'report-render',
  interrupted: 'nothing to clean up',
  parse: parseRounds,
  async main(rounds) {
    for (const line of machineLines()) console.log(line);
    const lines: string[][] = [];
    for (const [name, content] of [['fixture (45 runs)', reportFixture()], ['largest (100,000 runs, 50 workflows)', largest()]] as const) {
      for (const format of REPORT_FORMATS) {
        // One round first, untimed: the first PDF reads its font, the first chart loads resvg.
        const { bytes } = await renderReport(content, format);
        const times: number[] = [];
        for (let round = 0; round < rounds; round++) {
          const started = performance.now();
          await renderReport(content, format);
          times.push(performance.now() - started);
        }
        times.sort((a, b) => a - b);
        lines.push([name, format, ms(percentile(times, 0.5)), ms(times[times.length - 1] ?? Number.NaN), kilobytes(bytes.length)]);
      }
    }
    for (const line of table(['report', 'format', 'median ms', 'max ms', 'size'], lines)) console.log(line);
    return 0;
  },
});
