import { commandLinePrincipal } from '../auth/principal.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';

interface Chunk {
  content: string;
  complete: boolean;
}

const FOLLOW = 'subscription ($runId: ID!, $step: String!) { stepLog(runId: $runId, step: $step) { content complete } }';

describe('following a step log over graphql-ws', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterAll(() => server.stop());

  function follow(token: string | null, runId: string, step: string): Promise<{ chunks: Chunk[]; error: unknown }> {
    const client = server.wsClient(token ?? undefined);
    const chunks: Chunk[] = [];
    return new Promise((resolve) => {
      client.subscribe<{ stepLog: Chunk }>(
        { query: FOLLOW, variables: { runId, step } },
        {
          next: (message) => {
            if (message.data) chunks.push(message.data.stepLog);
            if (message.errors) resolve({ chunks, error: message.errors });
          },
          error: (error) => resolve({ chunks, error }),
          complete: () => resolve({ chunks, error: null }),
        },
      );
    });
  }

  it('sends the log as the step writes it, and completes once the step has finished', async () => {
    const { services } = server.app;
    const cli = commandLinePrincipal();
    const [project] = await services.projects.listReadable(cli);
    const workflow = await services.workflows.save(cli, project?.id ?? '', 'name: chatty\nsteps:\n  - name: talk\n    command: for i in 1 2 3; do echo line $i; sleep 0.4; done\n');
    const run = await services.control.triggerRun(cli, workflow.id, {});

    const { chunks, error } = await follow(server.adminToken, run.id, 'talk');

    expect(error).toBeNull();
    expect(chunks.map((chunk) => chunk.content).join('')).toBe('line 1\nline 2\nline 3\n');
    expect(chunks[0]?.complete).toBe(false);
    expect(chunks.at(-1)?.complete).toBe(true);
  });

  it('answers NOT_FOUND for a run of a project the caller cannot read', async () => {
    const { services } = server.app;
    const cli = commandLinePrincipal();
    const other = await services.access.createProject(cli, { slug: 'hidden-logs' });
    const workflow = await services.workflows.save(cli, other.id, 'name: quiet\nsteps:\n  - name: a\n    command: echo secret\n');
    const run = await services.control.triggerRun(cli, workflow.id, {});
    const user = await services.access.createUser(cli, { username: 'log-reader' });
    const { secret } = await services.access.createToken(cli, user.id, { name: 'test' });

    const { chunks, error } = await follow(secret, run.id, 'a');

    expect(chunks).toEqual([]);
    expect(error).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })]);
  });
});
