import { serverQuery } from '../../../_apollo/server-query.ts';
import { RunDetailPage } from './run-page.tsx';
import { RUN_DETAIL } from './run-query.ts';

/** The run rendered on the server, its steps and history in the HTML; the browser follows it live from there. */
export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <RunDetailPage initial={await serverQuery(RUN_DETAIL, { id })} />;
}
