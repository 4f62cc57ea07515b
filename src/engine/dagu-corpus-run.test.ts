import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Services } from '../composition.ts';
import { newId } from '../domain/ids.ts';
import { parseWorkflow } from '../domain/workflow/parse-workflow.ts';
import { composeTestServices } from '../test/compose.ts';
import { daguExampleFiles, DAGU_EXAMPLES_DIR, readDaguExample } from '../test/dagu-corpus.ts';
import { useMigratedDatabase } from '../test/database-suite.ts';
import { waitForRunEnd } from '../test/engine-helpers.ts';

/**
 * Runs every file of examples/dagu/ that says what Dagu documents it produces (`# expect:`
 * lines, see src/test/dagu-corpus.ts) through the engine, with real processes, and compares
 * the run's status, its steps' statuses and their outputs. SQLite only: the engine is the same
 * on both databases (run-engine.test.ts covers PostgreSQL).
 */
describe('the Dagu example corpus, run for real', () => {
  const database = useMigratedDatabase('sqlite');
  let services: Services;
  let projectId: string;

  const home = mkdtempSync(path.join(os.tmpdir(), 'runtrail-dagu-home-'));
  // The API the http examples call (their API_URL): it answers every request 2xx with JSON.
  const api: Server = createServer((request, response) => {
    response.writeHead(request.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ method: request.method, path: request.url }));
  });
  let apiUrl = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    // HOME is on the server's allow-list (STEP_ENV_BASE_NAMES): `~` and $HOME need one.
    services = composeTestServices(database(), { engine: { stepEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home } } });
    await services.engine.start({ recover: false });
    const project = await services.repositories.projects.create({ id: newId('prj'), slug: `dagu-${newId('prj').slice(-8)}`, name: 'Dagu corpus' });
    projectId = project.id;
  });
  afterAll(async () => {
    await services.engine.stop('test over');
    await new Promise((resolve) => api.close(resolve));
    rmSync(home, { recursive: true, force: true });
  });

  const runnable = daguExampleFiles().filter((file) => readDaguExample(file).expect.status !== null);

  it('has a runnable file for most of the corpus', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(40);
  });

  it.each(runnable)('%s behaves as Dagu documents', async (file) => {
    const { yaml, expect: expected } = readDaguExample(file);
    const absolute = path.join(DAGU_EXAMPLES_DIR, file);
    const loaded = await services.workflows.load({ projectId, yaml, source: `file:${absolute}`, defaultName: file.replace(/\.ya?ml$/, '') });
    if (!loaded.ok) throw new Error(loaded.message);
    const parsed = parseWorkflow(yaml, { defaultName: file });
    const declaresApi = parsed.ok && parsed.spec.params.some((param) => param.name === 'API_URL');
    const started = await services.control.start(loaded.workflow, declaresApi ? { API_URL: apiUrl } : {}, 'MANUAL', 'tester');
    const run = await waitForRunEnd(services, started.id, 45_000);
    const rows = await services.repositories.steps.listByRunIds([run.id]);
    const outputName = new Map(parsed.ok ? parsed.spec.steps.map((step) => [step.name, step.output]) : []);

    const actual = {
      status: run.status,
      steps: expected.steps.map(({ step }) => ({ step, status: rows.find((row) => row.name === step)?.status ?? 'missing' })),
      outputs: expected.outputs.map(({ step }) => {
        const row = rows.find((candidate) => candidate.name === step);
        return { step, value: `${outputName.get(step) ?? '?'}=${row?.output ?? '(none)'}` };
      }),
    };
    expect(actual).toEqual(expected);
  }, 60_000);
});
