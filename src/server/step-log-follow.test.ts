import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commandLinePrincipal } from '../auth/principal.ts';
import { TEST_ENGINE } from '../test/compose.ts';
import { waitForRunEnd } from '../test/engine-helpers.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';

interface Chunk {
  content: string;
  complete: boolean;
}

const FOLLOW = 'subscription ($runId: ID!, $step: String!) { stepLog(runId: $runId, step: $step) { content complete } }';
const PAGE = 'query ($runId: ID!, $offset: Int!, $limit: Int!) { stepLog(runId: $runId, step: "euros", offset: $offset, limit: $limit) { content nextOffset complete } }';
// 90,000 bytes of a three-byte character: 64 KiB pieces and 1,000-byte pages both end inside one.
const EUROS = 30_000;
const euroStep = (after: string) => `steps:\n  - name: euros\n    command: awk 'BEGIN { for (i = 0; i < ${EUROS}; i++) printf "€" }'${after}\n`;

describe('following a step log over graphql-ws', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Logs larger than one 64 KiB piece of a follower.
    server = await startTestServer('sqlite', { config: { engine: { ...TEST_ENGINE, stepLogMaxBytes: 1024 * 1024 } } });
  });
  afterAll(() => server.stop());

  function follow(token: string | null, runId: string, step: string, onChunk: (chunk: Chunk) => void = () => {}): Promise<{ chunks: Chunk[]; error: unknown }> {
    const client = server.wsClient(token ?? undefined);
    const chunks: Chunk[] = [];
    return new Promise((resolve) => {
      client.subscribe<{ stepLog: Chunk }>(
        { query: FOLLOW, variables: { runId, step } },
        {
          next: (message) => {
            if (message.data) {
              chunks.push(message.data.stepLog);
              onChunk(message.data.stepLog);
            }
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
    // The step goes on only once the follower has its first piece: however slow the machine, that piece cannot be the last.
    const gate = path.join(mkdtempSync(path.join(os.tmpdir(), 'runtrail-gate-')), 'open');
    const workflow = await services.workflows.save(
      cli,
      project?.id ?? '',
      `name: chatty\nparams:\n  GATE: ${gate}\nsteps:\n  - name: talk\n    command: echo line 1; while [ ! -e "$GATE" ]; do sleep 0.05; done; echo line 2; echo line 3\n`,
    );
    const run = await services.control.triggerRun(cli, workflow.id, {});

    const { chunks, error } = await follow(server.adminToken, run.id, 'talk', () => writeFileSync(gate, ''));

    expect(error).toBeNull();
    expect(chunks.map((chunk) => chunk.content).join('')).toBe('line 1\nline 2\nline 3\n');
    expect(chunks[0]?.complete).toBe(false);
    expect(chunks.at(-1)?.complete).toBe(true);
  });

  async function triggerEuros(name: string, after = '') {
    const { services } = server.app;
    const cli = commandLinePrincipal();
    const [project] = await services.projects.listReadable(cli);
    const workflow = await services.workflows.save(cli, project?.id ?? '', `name: ${name}\n${euroStep(after)}`);
    return services.control.triggerRun(cli, workflow.id, {});
  }

  it('pages a log of multi-byte characters by nextOffset into pieces that join to the file', async () => {
    const run = await triggerEuros('euro-pages');
    await waitForRunEnd(server.app.services, run.id);

    async function page(offset: number, limit: number) {
      const { body } = await server.query<{ stepLog: { content: string; nextOffset: number; complete: boolean } }>(PAGE, { runId: run.id, offset, limit });
      if (!body.data) throw new Error(JSON.stringify(body.errors));
      return body.data.stepLog;
    }
    const pieces: string[] = [];
    for (let offset = 0, complete = false; !complete; ) {
      const piece = await page(offset, 1_000);
      pieces.push(piece.content);
      ({ nextOffset: offset, complete } = piece);
    }
    const tiny = [await page(0, 2), await page(3, 1)];

    expect(pieces.join('')).toBe('€'.repeat(EUROS));
    expect(tiny).toEqual([
      { content: '€', nextOffset: 3, complete: false },
      { content: '€', nextOffset: 6, complete: false },
    ]);
  });

  it('follows a log of multi-byte characters in pieces that join to the file', async () => {
    const run = await triggerEuros('euro-follow', '; sleep 0.5');

    const { chunks, error } = await follow(server.adminToken, run.id, 'euros');

    expect(error).toBeNull();
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((chunk) => chunk.content).join('')).toBe('€'.repeat(EUROS));
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
