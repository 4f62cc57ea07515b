import { serverQuery } from '../../_apollo/server-query.ts';
import { parseRunsView } from '../../_lib/run-filters.ts';
import { toUrlSearchParams, type PageSearchParams } from '../../_lib/search-params.ts';
import { RunsPage } from './runs-page.tsx';
import { RUNS_PAGE, runsPageVariables } from './runs-queries.ts';
import { WORKFLOW_OPTIONS } from '../../_components/workflow/workflow-options-query.ts';

/**
 * The first page of runs rendered on the server, so its rows are in the HTML; the browser's
 * stream starts after the snapshot they were read at. The counts per status need that snapshot
 * and follow from the browser, not holding back the rows.
 */
export default async function Page({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  const view = parseRunsView(toUrlSearchParams(await searchParams));
  const openedAt = Date.now();
  const [runs, workflows] = await Promise.all([serverQuery(RUNS_PAGE, runsPageVariables(view, openedAt)), serverQuery(WORKFLOW_OPTIONS, { projectId: view.projectId })]);
  return <RunsPage initial={{ openedAt, runs, workflows }} />;
}
