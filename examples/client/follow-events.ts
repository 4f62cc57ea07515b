// Follows run status changes live; reconnects by itself and resumes after the last event shown.
// Pass a seq to start after it (e.g. the last one a previous run printed); Ctrl-C stops.
//   RUNTRAIL_URL=http://localhost:4000 RUNTRAIL_TOKEN=rt_… npx tsx examples/client/follow-events.ts [afterSeq]
import WebSocket from 'ws';
import { createClient, RuntrailError } from '@runtrail/client';

async function main(): Promise<void> {
  const url = process.env.RUNTRAIL_URL ?? 'http://localhost:4000';
  const token = process.env.RUNTRAIL_TOKEN;
  if (!token) throw new Error('Set RUNTRAIL_TOKEN to an API token (from createToken, or DATA_DIR/admin-token)');
  // Node 22+ and browsers have a global WebSocket; Node 20 needs `ws`.
  const client = createClient({ url, token, webSocketImpl: WebSocket });
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());

  const events = client.runEvents({
    afterSeq: process.argv[2] ?? null,
    signal: stop.signal,
    onReconnect: (error, delayMs) => console.error(`connection lost (${error.message}); retrying in ${delayMs} ms`),
    // Too far behind to replay: show the current counts instead, and go on from their snapshot.
    onResync: async () => {
      const counts = await client.runStatusCounts();
      console.log(`resynced: ${counts.byStatus.map(({ status, count }) => `${status} ${count}`).join(', ')}`);
      return counts.snapshot;
    },
  });
  for await (const event of events) {
    const what = event.step ? `step ${event.step.name}` : 'run';
    console.log(`${event.seq}  ${event.at}  ${event.run.workflow.name}  ${event.run.id}  ${what}: ${event.from ?? '-'} → ${event.to}`);
  }
  await client.dispose();
}

main().catch((error: unknown) => {
  console.error(error instanceof RuntrailError ? `${error.code}: ${error.message}` : error);
  process.exitCode = 1;
});
