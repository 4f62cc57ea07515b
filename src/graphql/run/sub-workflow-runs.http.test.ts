import { startTestServer, type TestServer } from '../../test/test-server.ts';
import { pollUntil } from '../../test/poll-until.ts';

const FILE = `
name: nightly
steps:
  - name: each-region
    call: load
    parallel: [eu, us]
    params: "REGION=\${ITEM}"
---
name: load
params: {REGION: none}
steps:
  - name: go
    command: echo "\${REGION}"
`;

interface RunView {
  id: string;
  status: string;
  trigger: string;
  parentRun: { id: string } | null;
  parentStep: string | null;
  childRuns: { id: string; trigger: string; status: string; parentStep: string | null; parentRun: { id: string } | null; workflow: { name: string } }[];
}

const RUN = `query ($id: ID!) { run(id: $id) { id status trigger parentRun { id } parentStep childRuns { id trigger status parentStep parentRun { id } workflow { name } } } }`;

describe('sub-workflow runs over GraphQL', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterAll(() => server.stop());

  it("links a parent run to its children and each child to its parent and step; a plain run has neither", async () => {
    const project = await server.query<{ createProject: { id: string } }>('mutation { createProject(slug: "subs", name: "Subs") { id } }');
    const projectId = project.body.data?.createProject.id;
    const saved = await server.query<{ saveWorkflow: { id: string } }>('mutation ($p: ID!, $y: String!) { saveWorkflow(projectId: $p, yaml: $y) { id } }', { p: projectId, y: FILE });
    expect(saved.body.errors).toBeUndefined();
    const started = await server.query<{ triggerRun: { id: string } }>('mutation ($w: ID!) { triggerRun(workflowId: $w) { id } }', { w: saved.body.data?.saveWorkflow.id });
    const runId = started.body.data?.triggerRun.id;

    const parent = await pollUntil('the parent run to succeed', 60_000, async () => {
      const { body } = await server.query<{ run: RunView }>(RUN, { id: runId });
      return body.data?.run.status === 'SUCCEEDED' ? body.data.run : null;
    });
    expect(parent.parentRun).toBeNull();
    expect(parent.parentStep).toBeNull();
    expect(parent.childRuns).toHaveLength(2);
    for (const child of parent.childRuns) {
      expect(child).toMatchObject({ trigger: 'SUBDAG', status: 'SUCCEEDED', parentStep: 'each-region', parentRun: { id: runId }, workflow: { name: 'nightly.load' } });
    }
    const { body } = await server.query<{ run: RunView }>(RUN, { id: parent.childRuns[0]?.id });
    expect(body.data?.run).toMatchObject({ parentRun: { id: runId }, parentStep: 'each-region', childRuns: [] });
  });
});
