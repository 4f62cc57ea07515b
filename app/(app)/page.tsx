import { serverQuery } from '../_apollo/server-query.ts';
import { toUrlSearchParams, type PageSearchParams } from '../_lib/search-params.ts';
import { periodOf, projectOf } from '../_lib/url-state.ts';
import { DashboardPage } from './dashboard-page.tsx';
import { DASHBOARD, dashboardVariables } from './dashboard-query.ts';

/** The dashboard's numbers and lists rendered on the server; its charts load in the browser after them. */
export default async function Page({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  const params = toUrlSearchParams(await searchParams);
  const period = periodOf(params);
  const projectId = projectOf(params);
  const now = Date.now();
  const dashboard = await serverQuery(DASHBOARD, dashboardVariables(period, projectId, now));
  return <DashboardPage initial={{ period, projectId, now, dashboard }} />;
}
