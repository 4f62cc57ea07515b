import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../../../src/test/test-server.ts';
import { ONE_STEP_WORKFLOW } from './fixtures.ts';

// Debian's Chromium, headless, with nothing that would reach the network.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The built ES module bundled for a page, as a browser user's bundler would: graphql-ws in, a global `RuntrailClient` out. */
async function browserBundle(): Promise<string> {
  const result = await build({
    entryPoints: [path.resolve(__dirname, '..', 'dist', 'esm', 'index.js')],
    bundle: true,
    format: 'iife',
    globalName: 'RuntrailClient',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild wrote no bundle');
  return output.text;
}

describe('@runtrail/client in a browser', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer('sqlite', { config: { executes: false } });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('pages runs, follows live events over the browser WebSocket and throws typed errors, from a page of the server origin', async () => {
    const page = await browser.newPage();
    // A page of the server's own origin, as the Runtrail UI or a dashboard served beside it would be.
    await page.goto(`${server.url}/healthz`);
    await page.addScriptTag({ content: await browserBundle() });

    const seen = await page.evaluate(
      async ({ token, yaml }) => {
        const { createClient, NotFoundError } = (globalThis as unknown as { RuntrailClient: typeof import('../src/index.ts') }).RuntrailClient;
        const client = createClient({ url: window.location.origin, token });
        const [project] = await client.projects();
        if (!project) throw new Error('no project');
        const workflow = await client.saveWorkflow({ projectId: project.id, yaml });
        const afterSeq = await client.headSnapshot();
        const events = client.runEvents({ filter: { workflowIds: [workflow.id] }, afterSeq })[Symbol.asyncIterator]();
        const triggered = [await client.triggerRun({ workflowId: workflow.id }), await client.triggerRun({ workflowId: workflow.id })].map((run) => run.id);
        const first = await events.next();
        await events.return?.();
        const listed: string[] = [];
        for await (const run of client.runs({ workflowIds: [workflow.id] }, { pageSize: 1 })) listed.push(run.id);
        const failure: unknown = await client.cancelRun({ id: 'run_missing' }).catch((error: unknown) => error);
        await client.dispose();
        return {
          triggered,
          listed,
          firstEventRunId: first.done ? null : first.value.run.id,
          typed: failure instanceof NotFoundError,
          webSocket: typeof WebSocket,
        };
      },
      { token: server.adminToken, yaml: ONE_STEP_WORKFLOW('in-the-browser') },
    );

    expect(seen.listed).toEqual([...seen.triggered].reverse());
    expect(seen.triggered).toContain(seen.firstEventRunId);
    expect(seen.typed).toBe(true);
    expect(seen.webSocket).toBe('function');
  });
});
