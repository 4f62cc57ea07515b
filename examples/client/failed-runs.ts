// Prints every run that failed in the last 24 hours, newest first, with the counts beside them.
//   RUNTRAIL_URL=http://localhost:4000 RUNTRAIL_TOKEN=rt_… npx tsx examples/client/failed-runs.ts
import { createClient, RuntrailError } from '@runtrail/client';

const DAY_MS = 24 * 60 * 60 * 1000;

async function main(): Promise<void> {
  const url = process.env.RUNTRAIL_URL ?? 'http://localhost:4000';
  const token = process.env.RUNTRAIL_TOKEN;
  if (!token) throw new Error('Set RUNTRAIL_TOKEN to an API token (from createToken, or DATA_DIR/admin-token)');
  const client = createClient({ url, token, dates: 'date' });

  const failed = client.runs({ statuses: ['FAILED'], createdAfter: new Date(Date.now() - DAY_MS) }, { pageSize: 500 });
  const { totalCount, snapshot } = await failed.summary();
  console.log(`${totalCount} failed runs in the last 24 h (exact at event ${snapshot})`);
  for await (const run of failed) {
    console.log(`${run.createdAt.toISOString()}  ${run.workflow.name.padEnd(30)}  ${run.id}  ${run.error ?? ''}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof RuntrailError ? `${error.code}: ${error.message}` : error);
  process.exitCode = 1;
});
