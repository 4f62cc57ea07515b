import { waitForRunEnd } from '../test/engine-helpers.ts';
import { createRunByHand } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';

const SAVE = 'mutation ($projectId: ID!, $yaml: String!) { saveWorkflow(projectId: $projectId, yaml: $yaml) { id } }';

const FIRST_VERSION = [
  'name: shaped',
  'params:',
  '  - REGION: eu',
  '  - LIMIT: "10"',
  'steps:',
  '  - name: extract',
  '    description: reads the rows',
  '    command: echo 42',
  '    output: ROWS',
  '  - name: load',
  '    command: echo "loaded ${ROWS}"',
  '    output: RESULT',
  '  - name: report',
  '    depends: [extract]',
  '    command: "true"',
].join('\n');

interface StepView {
  name: string;
  depends: string[];
  kind: string;
  description: string | null;
  call: string | null;
}

describe('the graph of a workflow and of a run, its params and its outputs, over GraphQL', () => {
  let server: TestServer;
  let projectId: string;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    const { body } = await server.query<{ projects: { id: string }[] }>('{ projects { id } }');
    projectId = body.data?.projects[0]?.id ?? '';
  });
  afterAll(async () => {
    await server.stop();
  });

  it("serves a run's steps from the version it ran, even after the workflow changed, with the outputs its steps captured", async () => {
    const saved = await server.query<{ saveWorkflow: { id: string } }>(SAVE, { projectId, yaml: FIRST_VERSION });
    const workflowId = saved.body.data?.saveWorkflow.id ?? '';
    const triggered = await server.query<{ triggerRun: { id: string } }>('mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }', { id: workflowId });
    const runId = triggered.body.data?.triggerRun.id ?? '';
    await waitForRunEnd(server.app.services, runId);
    await server.query(SAVE, { projectId, yaml: 'name: shaped\nsteps:\n  - name: only\n    type: approval\n' });

    const { body } = await server.query<{ run: { status: string; outputs: unknown; workflowSteps: StepView[] }; workflow: { steps: StepView[]; params: unknown[] } }>(
      'query ($run: ID!, $wf: ID!) { run(id: $run) { status outputs workflowSteps { name depends kind description call } } workflow(id: $wf) { steps { name depends kind description call } params { name default } } }',
      { run: runId, wf: workflowId },
    );

    expect(body.errors).toBeUndefined();
    expect(body.data?.run.status).toBe('SUCCEEDED');
    expect(body.data?.run.workflowSteps).toEqual([
      { name: 'extract', depends: [], kind: 'command', description: 'reads the rows', call: null },
      { name: 'load', depends: ['extract'], kind: 'command', description: null, call: null },
      { name: 'report', depends: ['extract'], kind: 'command', description: null, call: null },
    ]);
    expect(body.data?.run.outputs).toEqual({ ROWS: '42', RESULT: 'loaded 42' });
    expect(body.data?.workflow.steps).toEqual([{ name: 'only', depends: [], kind: 'approval', description: null, call: null }]);
    expect(body.data?.workflow.params).toEqual([]);
  });

  it('lists the declared params with their defaults, for the trigger form to prefill', async () => {
    const saved = await server.query<{ saveWorkflow: { id: string } }>(SAVE, { projectId, yaml: FIRST_VERSION.replace('name: shaped', 'name: with-params') });

    const { body } = await server.query<{ workflow: { params: unknown[] } }>('query ($id: ID!) { workflow(id: $id) { params { name default } } }', { id: saved.body.data?.saveWorkflow.id });

    expect(body.data?.workflow.params).toEqual([
      { name: 'REGION', default: 'eu' },
      { name: 'LIMIT', default: '10' },
    ]);
  });

  it('answers null outputs and no steps for a run recorded without its workflow version', async () => {
    const saved = await server.query<{ saveWorkflow: { id: string } }>(SAVE, { projectId, yaml: 'name: imported\nsteps:\n  - name: a\n    command: "true"\n' });
    const run = await createRunByHand(server.app.services, { projectId, workflowId: saved.body.data?.saveWorkflow.id ?? '', trigger: 'API', steps: ['a'] });

    const { body } = await server.query<{ run: { outputs: unknown; workflowSteps: StepView[] } }>('query ($id: ID!) { run(id: $id) { outputs workflowSteps { name } } }', { id: run.id });

    expect(body.data?.run).toEqual({ outputs: null, workflowSteps: [] });
  });
});
