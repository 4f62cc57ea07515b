// Type-checked against dist/ by package-build.test.ts, as a TypeScript user of the CommonJS build would.
import { createClient, type RunEvent } from '@runtrail/client';

export async function lastSeq(): Promise<string | null> {
  const client = createClient({ url: 'http://localhost:4000', token: 'rt_example' });
  let last: RunEvent | null = null;
  for await (const event of client.runEvents({ filter: { statuses: ['FAILED'] }, onResync: () => client.headSnapshot() })) {
    last = event;
    break;
  }
  return last?.seq ?? null;
}
