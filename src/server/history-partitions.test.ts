import { idTimeBound } from '../domain/ids.ts';
import { pollUntil } from '../test/poll-until.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';

/** The first day of the month `ahead` months after now's, as partition names carry it. */
function monthStamp(ahead: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + ahead, 1)).toISOString().slice(0, 10).replace(/-/g, '');
}

describe('history partitions of a PostgreSQL server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('postgresql', { config: { scheduler: true } });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('has the partitions of this month and the next three once started, and /readyz warns once a row lands in a DEFAULT partition', async () => {
    const expected = ['Run', 'StepRun', 'RunEvent'].flatMap((table) => [0, 1, 2, 3].map((ahead) => `${table}_p${monthStamp(ahead)}`)).sort();
    const partitions = await pollUntil('the leader to add partitions', 10_000, async () => {
      const rows = await server.database.db.$queryRawUnsafe<{ name: string }[]>(
        `SELECT c.relname::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent IN ('"Run"'::regclass, '"StepRun"'::regclass, '"RunEvent"'::regclass) AND c.relname NOT LIKE '%_default' ORDER BY 1`,
      );
      const names = rows.map((row) => row.name);
      return expected.every((name) => names.includes(name)) ? names : null;
    });
    const readyBefore = await (await fetch(`${server.url}/readyz`)).json();

    const [project] = await server.database.db.project.findMany({ take: 1 });
    const workflow = await server.database.db.workflow.create({ data: { id: 'wf_far', projectId: project?.id ?? '', name: 'far', tags: [], definition: 'steps: []', hash: 'h' } });
    const farFuture = Date.UTC(2090, 0, 1);
    await server.database.db.run.create({
      data: { id: `${idTimeBound('run', farFuture)}0000000000000000`, projectId: workflow.projectId, workflowId: workflow.id, status: 'QUEUED', trigger: 'API', createdAt: new Date(farFuture), lastSeq: 0 },
    });
    const readyAfter = await (await fetch(`${server.url}/readyz`)).json();

    expect(partitions).toEqual(expected);
    expect(readyBefore).toEqual({ status: 'ready' });
    expect(readyAfter).toEqual({
      status: 'ready',
      warnings: ['The DEFAULT partition of "Run" holds rows: their period has no partition (README "Storage layout on PostgreSQL")'],
    });
  });
});
