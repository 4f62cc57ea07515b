import { execute, parse, subscribe, type ExecutionResult } from 'graphql';
import pino from 'pino';
import type { Principal } from '../auth/principal.ts';
import type { Services } from '../composition.ts';
import { newId } from '../domain/ids.ts';
import { tallyIncident } from '../domain/insight/incident-view.ts';
import { DEFAULT_INCIDENT_SETTINGS, rankAttributes, type IncidentRun } from '../domain/insight/incidents.ts';
import { createSeededRandom, type SeededRandom } from '../domain/seeded-random.ts';
import type { Role } from '../domain/vocabulary.ts';
import { createContext } from '../graphql/context.ts';
import { buildRuntrailSchema } from '../graphql/schema.ts';
import { composeTestServices } from '../test/compose.ts';
import { useMigratedDatabase } from '../test/database-suite.ts';
import { createProjectWithWorkflow } from '../test/factories.ts';
import { memberPrincipal } from '../test/principals.ts';
import { pollUntil } from '../test/poll-until.ts';

const PROJECTS = 6;
const USERS = 24;
const INCIDENTS_REPLAYED = 30;
const INCIDENTS_LIVE = 15;
const QUERIES = 2_000;
const ROLES: readonly Role[] = ['VIEWER', 'OPERATOR', 'ADMIN'];

const INCIDENT_FIELDS = 'id seq memberCount projectIds workflowIds start lastFailureAt members { runId projectId workflowId error failedStep trigger worker tags } attributes { kind value members memberShare otherShare lift }';
const INCIDENTS = parse(`query ($filter: IncidentFilter, $first: Int!) { incidents(filter: $filter, first: $first) { ${INCIDENT_FIELDS} } }`);
const INCIDENT = parse(`query ($id: ID!) { incident(id: $id) { ${INCIDENT_FIELDS} } }`);
const INCIDENT_EVENTS = parse(`subscription ($projectIds: [ID!], $afterSeq: String) { incidentEvents(projectIds: $projectIds, afterSeq: $afterSeq) { ${INCIDENT_FIELDS} } }`);

interface Generated {
  id: string;
  openedAt: number;
  members: IncidentRun[];
  others: IncidentRun[];
}

interface ShownAttribute {
  kind: string;
  value: string;
  members: number;
  memberShare: number;
  otherShare: number;
  lift: number;
}

interface ShownIncident {
  id: string;
  memberCount: number;
  projectIds: string[];
  members: { runId: string; projectId: string }[];
  attributes: ShownAttribute[];
}

/** The error code of a GraphQL error as the resolver threw it (format-error maps it to extensions.code over HTTP). */
function codeOf(result: ExecutionResult): unknown {
  const original = result.errors?.[0]?.originalError;
  return original && 'code' in original ? original.code : undefined;
}

/** Every value a project's runs carry names the project, so any trace of an unreadable project shows as its id. */
function runOf(random: SeededRandom, projectId: string, workflowIds: readonly string[], failed: boolean, at: number): IncidentRun {
  return {
    runId: `${projectId}-run-${newId('run')}`,
    projectId,
    workflowId: random.pick(workflowIds),
    at,
    failed,
    error: failed ? random.pick([`secret error of ${projectId}`, 'connection refused: db-main.internal:<n>']) : null,
    failedStep: failed ? random.pick([`step-of-${projectId}`, 'connect']) : null,
    trigger: random.pick(['SCHEDULER', 'MANUAL']),
    worker: random.pick([`worker-of-${projectId}`, 'worker-shared']),
    tags: random.chance(0.5) ? [`tag-of-${projectId}`] : ['shared'],
  };
}

describe('incident access under random memberships', () => {
  const database = useMigratedDatabase('sqlite');
  const random = createSeededRandom(18);
  let services: Services;
  const projects: { id: string; workflowIds: string[] }[] = [];
  const generated: Generated[] = [];
  const users: { principal: Principal; readable: Set<string> }[] = [];
  const schema = buildRuntrailSchema();
  const logger = pino({ level: 'silent' });
  const session = { address: 'test', startSession: () => undefined, endSession: () => undefined };
  const contextOf = (principal: Principal) => createContext({ principal, authenticated: true }, session, services, logger, 8 * 1024 * 1024);

  async function storeIncident(): Promise<void> {
    const involved = projects.filter(() => random.chance(0.5));
    while (involved.length < 2) involved.push(projects.filter((project) => !involved.includes(project))[0] ?? random.pick(projects));
    const start = Date.now() - random.int(0, 30) * 86_400_000 - generated.length * 60_000;
    const members = involved.flatMap((project) => Array.from({ length: random.int(1, 4) }, (_, index) => runOf(random, project.id, project.workflowIds, true, start + index * 60_000)));
    const others = involved.flatMap((project) => Array.from({ length: random.int(0, 6) }, (_, index) => runOf(random, project.id, project.workflowIds, random.chance(0.2), start + index * 30_000)));
    const incident = { start, openedAt: start + 10 * 60_000, end: null, members, attributes: [] };
    const { projects: tallies, attributes } = tallyIncident(incident, others);
    const parts = { members: members.map(({ failed: _failed, ...member }) => ({ ...member, at: new Date(member.at), tags: [...member.tags] })), projects: tallies, attributes };
    const opened = await services.repositories.incidents.open(newId('inc'), new Date(incident.openedAt), parts);
    if (opened === null) throw new Error('An incident is already open');
    await services.repositories.incidents.update(opened.id, parts, new Date(incident.openedAt + 60 * 60_000));
    generated.push({ id: opened.id, openedAt: incident.openedAt, members, others });
  }

  /** What a viewer must see of an incident: the detector's ranking over their projects' runs alone; null when none is theirs. */
  function expected(incident: Generated, readable: ReadonlySet<string>) {
    const members = incident.members.filter((member) => readable.has(member.projectId));
    if (members.length === 0) return null;
    const others = incident.others.filter((other) => readable.has(other.projectId));
    return {
      memberCount: members.length,
      runIds: members.map((member) => member.runId).sort(),
      projectIds: [...new Set(members.map((member) => member.projectId))].sort(),
      attributes: rankAttributes(members, others, DEFAULT_INCIDENT_SETTINGS.attributesMax, DEFAULT_INCIDENT_SETTINGS.minSupport),
    };
  }

  function assertShownRightly(shown: ShownIncident, readable: ReadonlySet<string>): void {
    const incident = generated.find((candidate) => candidate.id === shown.id);
    if (incident === undefined) throw new Error(`Incident ${shown.id} was never made`);
    const unreadable = projects.filter((project) => !readable.has(project.id));
    const text = JSON.stringify(shown);
    for (const project of unreadable) expect(text.includes(project.id)).toBe(false);
    const want = expected(incident, readable);
    expect(want).not.toBeNull();
    expect({ memberCount: shown.memberCount, runIds: shown.members.map((member) => member.runId).sort(), projectIds: [...shown.projectIds].sort(), attributes: shown.attributes }).toEqual({
      ...want,
      attributes: want?.attributes.map(({ kind, value, members, memberShare, otherShare, lift }) => ({ kind, value, members, memberShare, otherShare, lift })),
    });
  }

  beforeAll(async () => {
    services = composeTestServices(database());
    for (let index = 0; index < PROJECTS; index += 1) {
      const { project, workflow } = await createProjectWithWorkflow(services);
      projects.push({ id: project.id, workflowIds: [workflow.id, `${project.id}-second-workflow`] });
    }
    for (let index = 0; index < USERS; index += 1) {
      const roles = new Map(projects.filter(() => random.chance(0.4)).map((project) => [project.id, random.pick(ROLES)] as const));
      users.push({ principal: memberPrincipal(`usr_leak_${index}`, `leak-${index}`, roles), readable: new Set(roles.keys()) });
    }
    for (let index = 0; index < INCIDENTS_REPLAYED; index += 1) await storeIncident();
  });

  it('answers thousands of random incidents and incident(id) queries with nothing from a project the caller may not read', async () => {
    let shownIncidents = 0;
    for (let index = 0; index < QUERIES; index += 1) {
      const { principal, readable } = random.pick(users);
      if (random.chance(0.5)) {
        const named = random.chance(0.5) ? projects.filter(() => random.chance(0.3)).map((project) => project.id) : null;
        const filter = { ...(named === null ? {} : { projectIds: named }), ...(random.chance(0.3) ? { open: false } : {}) };
        const first = random.int(1, 10);
        const result = (await execute({ schema: await schema, document: INCIDENTS, variableValues: { filter, first }, contextValue: contextOf(principal) })) as ExecutionResult<{ incidents: ShownIncident[] }>;
        if (named !== null && named.some((projectId) => !readable.has(projectId))) {
          expect(codeOf(result)).toBe('FORBIDDEN');
          continue;
        }
        expect(result.errors).toBeUndefined();
        const scope = new Set(named ?? readable);
        const want = generated
          .filter((incident) => incident.members.some((member) => scope.has(member.projectId)))
          .sort((a, b) => b.openedAt - a.openedAt || b.id.localeCompare(a.id))
          .slice(0, first);
        expect(result.data?.incidents.map((incident) => incident.id)).toEqual(want.map((incident) => incident.id));
        for (const shown of result.data?.incidents ?? []) assertShownRightly(shown, readable);
        shownIncidents += result.data?.incidents.length ?? 0;
      } else {
        const incident = random.pick(generated);
        const result = (await execute({ schema: await schema, document: INCIDENT, variableValues: { id: incident.id }, contextValue: contextOf(principal) })) as ExecutionResult<{ incident: ShownIncident }>;
        if (expected(incident, readable) === null) {
          expect(codeOf(result)).toBe('NOT_FOUND');
          expect(JSON.stringify(result)).not.toMatch(/prj_/);
          continue;
        }
        expect(result.errors).toBeUndefined();
        if (result.data) assertShownRightly(result.data.incident, readable);
        shownIncidents += 1;
      }
    }
    expect(shownIncidents).toBeGreaterThan(QUERIES);
  });

  it('delivers each subscriber, replayed and live, only the incidents of its projects and only their share of each', async () => {
    const subscribers = await Promise.all(
      users.map(async ({ principal, readable }) => {
        const named = random.chance(0.3) ? [...readable].filter(() => random.chance(0.5)) : null;
        const variableValues = { ...(named === null || named.length === 0 ? {} : { projectIds: named }), afterSeq: '0' };
        const stream = await subscribe({ schema: await schema, document: INCIDENT_EVENTS, variableValues, contextValue: contextOf(principal) });
        if (!(Symbol.asyncIterator in stream)) throw new Error(`subscription refused: ${JSON.stringify(stream.errors)}`);
        const received: ShownIncident[] = [];
        const pump = (async () => {
          for await (const event of stream as AsyncIterable<ExecutionResult<{ incidentEvents: ShownIncident }>>) {
            expect(event.errors).toBeUndefined();
            if (event.data) received.push(event.data.incidentEvents);
          }
        })();
        return { readable, scope: new Set(named === null || named.length === 0 ? readable : named), received, stream, pump };
      }),
    );
    for (let index = 0; index < INCIDENTS_LIVE; index += 1) await storeIncident();

    let events = 0;
    for (const subscriber of subscribers) {
      // An incident is a row that changes: a subscriber sees it as it stands when the feed reads it, so opened and closed at once reach it once.
      const want = generated.filter((incident) => incident.members.some((member) => subscriber.scope.has(member.projectId))).map((incident) => incident.id);
      const seen = () => new Set(subscriber.received.map((shown) => shown.id));
      await pollUntil(`the ${want.length} incidents of the subscriber’s projects`, 20_000, async () => (seen().size >= want.length ? true : null));
      expect([...seen()].sort()).toEqual([...want].sort());
      for (const shown of subscriber.received) assertShownRightly(shown, subscriber.readable);
      events += subscriber.received.length;
      await subscriber.stream.return?.();
      await subscriber.pump;
    }
    expect(events).toBeGreaterThan(USERS * 5);
  });
});
