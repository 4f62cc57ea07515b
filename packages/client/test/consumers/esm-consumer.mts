// Type-checked against dist/ by package-build.test.ts, as a TypeScript user of the ES module build would.
import { createClient, RateLimitedError, type ClientRunSummaryFragment, type RunStatus } from '@runtrail/client';

const client = createClient({ url: 'http://localhost:4000', token: 'rt_example' });
const failed: RunStatus = 'FAILED';
const runs: ClientRunSummaryFragment[] = [];
for await (const run of client.runs({ statuses: [failed] })) runs.push(run);
const seconds: number | null = new RateLimitedError('busy', 'Example', {}, 3).retryAfterSeconds;
const cancelled: RunStatus = (await client.cancelRun({ id: 'run_1' })).status;
export { runs, seconds, cancelled };
