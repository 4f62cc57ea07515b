import { commandLinePrincipal } from '../auth/principal.ts';
import { pollUntil } from '../test/poll-until.ts';
import { openRawSubscription } from '../test/raw-subscriber.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';

const INCIDENTS = 'query ($filter: IncidentFilter) { incidents(filter: $filter) { id memberCount projectIds members { runId projectId run { id status } } attributes { kind value members lift } } }';
const SAVE_WORKFLOW = 'mutation ($projectId: ID!, $yaml: String!) { saveWorkflow(projectId: $projectId, yaml: $yaml) { id } }';
const TRIGGER = 'mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }';

interface ShownIncident {
  id: string;
  memberCount: number;
  projectIds: string[];
  members: { runId: string; projectId: string; run: { id: string; status: string } | null }[];
  attributes: { kind: string; value: string; members: number; lift: number }[];
}

describe('incidents found by the leader across projects, over GraphQL and incidentEvents', () => {
  let server: TestServer;
  let alpha: string;
  let beta: string;
  let alphaViewer: string;

  beforeAll(async () => {
    server = await startTestServer('sqlite', { config: { scheduler: true } });
    const { access } = server.app.services;
    const cli = commandLinePrincipal();
    alpha = (await access.createProject(cli, { slug: 'alpha' })).id;
    beta = (await access.createProject(cli, { slug: 'beta' })).id;
    const user = await access.createUser(cli, { username: 'alpha-viewer' });
    await access.addMember(cli, { projectId: alpha, username: user.username, role: 'VIEWER' });
    alphaViewer = (await access.createToken(cli, user.id, { name: 'test' })).secret;
  });
  afterAll(async () => {
    await server.stop();
  });

  it('opens an incident when workflows of two projects fail together, and shows a viewer of one project its share of it, queried and pushed', async () => {
    const pushed = await openRawSubscription(server.wsUrl, alphaViewer, {
      query: 'subscription ($projectIds: [ID!]) { incidentEvents(projectIds: $projectIds) { id memberCount projectIds members { projectId } } }',
      variables: { projectIds: [alpha] },
    });
    const workflows: { id: string; projectId: string }[] = [];
    for (const [projectId, name] of [
      [alpha, 'load-orders'],
      [alpha, 'load-invoices'],
      [beta, 'sync-stock'],
    ] as const) {
      const { body } = await server.query<{ saveWorkflow: { id: string } }>(SAVE_WORKFLOW, { projectId, yaml: `name: ${name}\nsteps:\n  - name: connect\n    command: exit 7\n` });
      const id = body.data?.saveWorkflow.id;
      if (id === undefined) throw new Error(`Workflow ${name} was not saved: ${JSON.stringify(body.errors)}`);
      workflows.push({ id, projectId });
    }
    for (let round = 0; round < 2; round += 1) {
      for (const workflow of workflows) {
        const { body } = await server.query(TRIGGER, { id: workflow.id });
        expect(body.errors).toBeUndefined();
      }
    }

    const whole = await pollUntil('an incident of all six failures', 60_000, async () => {
      const { body } = await server.query<{ incidents: ShownIncident[] }>(INCIDENTS, { filter: { projectIds: [alpha, beta] } });
      return body.data?.incidents.find((incident) => incident.memberCount === 6) ?? null;
    });
    expect([...whole.projectIds].sort()).toEqual([alpha, beta].sort());
    expect(whole.members.every((member) => member.run?.status === 'FAILED')).toBe(true);
    expect(whole.attributes[0]).toMatchObject({ kind: 'ERROR', members: 6 });

    const { body } = await server.query<{ incidents: ShownIncident[] }>(INCIDENTS, {}, alphaViewer);
    expect(body.data?.incidents).toEqual([expect.objectContaining({ id: whole.id, memberCount: 4, projectIds: [alpha] })]);
    expect(body.data?.incidents[0]?.members.every((member) => member.projectId === alpha)).toBe(true);
    const forbidden = await server.query(INCIDENTS, { filter: { projectIds: [beta] } }, alphaViewer);
    expect(forbidden.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    await pollUntil('the incident pushed to the alpha viewer', 20_000, async () => (pushed.nexts.length > 0 ? true : null));
    const events = JSON.stringify(pushed.nexts);
    expect(events).toContain(whole.id);
    expect(events).not.toContain(beta);
    pushed.close();
  });
});
