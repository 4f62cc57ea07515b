// Every root operation × every kind of caller × the caller's own project and a foreign one,
// from one table. A root field of the schema without a row fails the first test, so no
// operation can be added without saying who may call it.
import { randomBytes } from 'node:crypto';
import { buildRuntrailSchema } from '../graphql/schema.ts';
import { commandLinePrincipal } from '../auth/principal.ts';
import type { Services } from '../composition.ts';
import { newId } from '../domain/ids.ts';
import type { Role } from '../domain/vocabulary.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';

type Outcome = 'OK' | 'NULL' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT';

/** Who a caller must be: anyone, anyone signed in, an instance admin, or at least this role in the target project. */
type Needs = 'ANYONE' | 'SIGNED_IN' | 'INSTANCE_ADMIN' | Role;

interface Target {
  projectId: string;
  workflowId: string;
  /** A finished run, with a step named "build". */
  finishedRunId: string;
  /** A finished run with a step named "build", moved to the archive. */
  archivedRunId: string;
}

interface Request {
  query: string;
  variables?: Record<string, unknown>;
}

interface OperationCase {
  /** The root field the case exercises (`Query.runs`, …). */
  field: string;
  kind: 'http' | 'subscription';
  needs: Needs;
  /** What a caller who cannot even read the target gets: an id of it is NOT_FOUND or null, a projectId named outright FORBIDDEN. */
  unreadable?: Outcome;
  /** What a caller who passes the check gets when the request cannot succeed for other reasons (approving a step that is not waiting). */
  allowed?: Outcome;
  build(target: Target, fixtures: Fixtures): Promise<Request> | Request;
}

interface Fixtures {
  services: Services;
  unique(): string;
  queuedRun(target: Target): Promise<string>;
  workflow(target: Target): Promise<string>;
  member(target: Target, role: Role): Promise<string>;
  user(): Promise<string>;
  projectToken(target: Target): Promise<string>;
  /** A new SLACK contact point of the target, posting where nothing listens. */
  contactPoint(target: Target): Promise<string>;
  /** A new daily report definition of the target (JSON only). */
  reportDefinition(target: Target): Promise<string>;
  /** A report of a new definition of the target. */
  report(target: Target): Promise<string>;
}

/** A report definition of the target, as a client would send it. */
function reportInput(target: Target, name: string) {
  return { projectIds: [target.projectId], name: `report-${name}`, schedule: '0 6 * * *', timeZone: 'Europe/Berlin', periodKind: 'PREVIOUS_DAY', formats: ['JSON'] };
}

const PASSWORD = 'correct horse battery';
const FILTER_OF = (target: Target) => ({ filter: { projectIds: [target.projectId] } });

/** A rule of the target's project, saved as the command line would. */
function alertRuleOf(services: Services, target: Target, name: string) {
  return services.alertRules.save(commandLinePrincipal(), { projectId: target.projectId, name: `rule-${name}`, kind: 'RUN_FAILED' });
}

/** A FIRING alert of a new rule about the target's workflow. */
async function firingAlertOf(services: Services, target: Target, name: string): Promise<string> {
  const rule = await alertRuleOf(services, target, name);
  const now = new Date();
  const id = newId('alert', now);
  const progress = { state: 'FIRING' as const, activeSince: now, lastActiveAt: now, firedAt: now, resolvedAt: null, summary: 'failed' };
  const alert = { id, ruleId: rule.id, projectId: target.projectId, groupKey: target.workflowId, progress, firingNotified: false, lastNotifiedAt: null, acknowledgedBy: null, acknowledgedAt: null, flappingSince: null, updatedAt: now };
  await services.repositories.alertState.transaction((writes) => writes.saveInstance(alert, false));
  return id;
}

/** An open anomaly of the target's workflow, as the detection job stores one. */
async function anomalyOf(services: Services, target: Target, name: string) {
  const now = Date.now();
  const finding = { kind: 'DURATION_SPIKE' as const, series: { workflowId: target.workflowId, step: name }, start: now, raisedAt: now, end: null, score: 5, expected: 1_000, observed: 3_000, lower: 500, upper: 2_000 };
  const anomaly = await services.repositories.anomalies.raise(newId('anm'), target.projectId, finding);
  if (anomaly === null) throw new Error(`An anomaly of step ${name} is already open`);
  return anomaly;
}

/** A closed incident with two failed runs of the target's workflow and two of a project nobody but an admin reads. */
async function incidentOf(services: Services, target: Target, name: string) {
  const elsewhere = newId('prj');
  const member = (projectId: string, index: number) => ({ runId: `${name}-${index}`, projectId, workflowId: projectId === target.projectId ? target.workflowId : `${elsewhere}-wf`, at: new Date(Date.now() - index * 60_000), error: 'timeout', failedStep: 'build', trigger: 'SCHEDULER', worker: null, tags: [] });
  const parts = {
    members: [member(target.projectId, 1), member(target.projectId, 2), member(elsewhere, 3), member(elsewhere, 4)],
    projects: [target.projectId, elsewhere].map((projectId) => ({ projectId, members: 2, others: 5 })),
    attributes: [target.projectId, elsewhere].map((projectId) => ({ projectId, kind: 'ERROR' as const, value: 'timeout', members: 2, others: 0 })),
  };
  const opened = await services.repositories.incidents.open(newId('inc'), new Date(), parts);
  if (opened === null) throw new Error('An incident is already open');
  const closed = await services.repositories.incidents.update(opened.id, parts, new Date());
  if (closed === null) throw new Error(`Incident ${opened.id} could not be closed`);
  return closed;
}

/** A silence of the target's workflow for the next hour. */
function silenceInput(target: Target) {
  return { projectId: target.projectId, workflowIds: [target.workflowId], endsAt: new Date(Date.now() + 3_600_000).toISOString(), comment: 'maintenance' };
}

const CASES: Record<string, OperationCase> = {
  viewer: { field: 'Query.viewer', kind: 'http', needs: 'SIGNED_IN', build: () => ({ query: '{ viewer { username memberships { role project { slug } } } }' }) },
  projects: { field: 'Query.projects', kind: 'http', needs: 'SIGNED_IN', build: () => ({ query: '{ projects { id } }' }) },
  headSnapshot: { field: 'Query.headSnapshot', kind: 'http', needs: 'SIGNED_IN', build: () => ({ query: '{ headSnapshot }' }) },
  'runs of the project': {
    field: 'Query.runs',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    build: (target) => ({ query: 'query ($filter: RunFilter) { runs(filter: $filter) { totalCount edges { node { id } } } }', variables: FILTER_OF(target) }),
  },
  'runs of the project, archived ones included': {
    field: 'Query.runs',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    build: (target) => ({
      query: 'query ($filter: RunFilter) { runs(filter: $filter) { totalCount archivedCount edges { node { id archived } } } }',
      variables: { filter: { projectIds: [target.projectId], includeArchived: true } },
    }),
  },
  'run, archived': {
    field: 'Query.run',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'NULL',
    build: (target) => ({ query: 'query ($id: ID!) { run(id: $id) { id archived steps { name } events { seq } } }', variables: { id: target.archivedRunId } }),
  },
  'stepLog of an archived run': {
    field: 'Query.stepLog',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'NOT_FOUND',
    build: (target) => ({ query: 'query ($runId: ID!) { stepLog(runId: $runId, step: "build") { size } }', variables: { runId: target.archivedRunId } }),
  },
  'retryRun of an archived run': {
    field: 'Mutation.retryRun',
    kind: 'http',
    needs: 'OPERATOR',
    unreadable: 'NOT_FOUND',
    build: (target) => ({ query: 'mutation ($id: ID!) { retryRun(id: $id) { id } }', variables: { id: target.archivedRunId } }),
  },
  'cancelRun of an archived run': {
    field: 'Mutation.cancelRun',
    kind: 'http',
    needs: 'OPERATOR',
    unreadable: 'NOT_FOUND',
    // An archived run is finished and read-only.
    allowed: 'CONFLICT',
    build: (target) => ({ query: 'mutation ($id: ID!) { cancelRun(id: $id) { id } }', variables: { id: target.archivedRunId } }),
  },
  run: {
    field: 'Query.run',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'NULL',
    build: (target) => ({ query: 'query ($id: ID!) { run(id: $id) { id status } }', variables: { id: target.finishedRunId } }),
  },
  runStatusCounts: {
    field: 'Query.runStatusCounts',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    build: (target) => ({ query: 'query ($filter: RunFilter) { runStatusCounts(filter: $filter) { total } }', variables: FILTER_OF(target) }),
  },
  runStatusTrend: {
    field: 'Query.runStatusTrend',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    build: (target) => ({
      query: 'query ($filter: RunFilter, $from: DateTime!, $to: DateTime!) { runStatusTrend(filter: $filter, bucket: HOUR, from: $from, to: $to) { start } }',
      variables: { ...FILTER_OF(target), from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() },
    }),
  },
  workflowStats: {
    field: 'Query.workflowStats',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'NOT_FOUND',
    build: (target) => ({ query: 'query ($id: ID!) { workflowStats(workflowId: $id) { total } }', variables: { id: target.workflowId } }),
  },
  workflows: {
    field: 'Query.workflows',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    build: (target) => ({ query: 'query ($projectId: ID) { workflows(projectId: $projectId) { edges { node { id } } } }', variables: { projectId: target.projectId } }),
  },
  workflow: {
    field: 'Query.workflow',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'NULL',
    build: (target) => ({ query: 'query ($id: ID!) { workflow(id: $id) { id } }', variables: { id: target.workflowId } }),
  },
  stepLog: {
    field: 'Query.stepLog',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'NOT_FOUND',
    build: (target) => ({ query: 'query ($runId: ID!) { stepLog(runId: $runId, step: "build") { size } }', variables: { runId: target.finishedRunId } }),
  },
  members: {
    field: 'Query.members',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    build: (target) => ({ query: 'query ($projectId: ID!) { members(projectId: $projectId) { role user { username } } }', variables: { projectId: target.projectId } }),
  },
  'tokens of the caller': { field: 'Query.tokens', kind: 'http', needs: 'SIGNED_IN', build: () => ({ query: '{ tokens { id name } }' }) },
  'tokens of the project': {
    field: 'Query.tokens',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'FORBIDDEN',
    build: (target) => ({ query: 'query ($projectId: ID) { tokens(projectId: $projectId) { id } }', variables: { projectId: target.projectId } }),
  },
  createProject: {
    field: 'Mutation.createProject',
    kind: 'http',
    needs: 'INSTANCE_ADMIN',
    build: (_target, fixtures) => ({ query: 'mutation ($slug: String!) { createProject(slug: $slug) { id } }', variables: { slug: `m-${fixtures.unique()}` } }),
  },
  createUser: {
    field: 'Mutation.createUser',
    kind: 'http',
    needs: 'INSTANCE_ADMIN',
    build: (_target, fixtures) => ({ query: 'mutation ($username: String!) { createUser(input: { username: $username }) { id } }', variables: { username: `u-${fixtures.unique()}` } }),
  },
  changePassword: {
    field: 'Mutation.changePassword',
    kind: 'http',
    needs: 'SIGNED_IN',
    build: () => ({ query: 'mutation ($password: String!) { changePassword(currentPassword: $password, newPassword: $password) }', variables: { password: PASSWORD } }),
  },
  changeEmail: {
    field: 'Mutation.changeEmail',
    kind: 'http',
    needs: 'SIGNED_IN',
    build: () => ({ query: 'mutation { changeEmail(email: "someone@example.com") }' }),
  },
  addMember: {
    field: 'Mutation.addMember',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'FORBIDDEN',
    build: async (target, fixtures) => ({
      query: 'mutation ($projectId: ID!, $username: String!) { addMember(projectId: $projectId, username: $username, role: VIEWER) { role } }',
      variables: { projectId: target.projectId, username: await fixtures.user() },
    }),
  },
  setMemberRole: {
    field: 'Mutation.setMemberRole',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'FORBIDDEN',
    build: async (target, fixtures) => ({
      query: 'mutation ($projectId: ID!, $username: String!) { setMemberRole(projectId: $projectId, username: $username, role: OPERATOR) { role } }',
      variables: { projectId: target.projectId, username: await fixtures.member(target, 'VIEWER') },
    }),
  },
  removeMember: {
    field: 'Mutation.removeMember',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'FORBIDDEN',
    build: async (target, fixtures) => ({
      query: 'mutation ($projectId: ID!, $username: String!) { removeMember(projectId: $projectId, username: $username) }',
      variables: { projectId: target.projectId, username: await fixtures.member(target, 'VIEWER') },
    }),
  },
  'createToken for the caller': {
    field: 'Mutation.createToken',
    kind: 'http',
    needs: 'SIGNED_IN',
    build: () => ({ query: 'mutation { createToken(input: { name: "mine" }) { secret } }' }),
  },
  'createToken for the project': {
    field: 'Mutation.createToken',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'FORBIDDEN',
    build: (target) => ({ query: 'mutation ($projectId: ID!) { createToken(input: { name: "ci", projectId: $projectId, role: OPERATOR }) { secret } }', variables: { projectId: target.projectId } }),
  },
  'revokeToken of the project': {
    field: 'Mutation.revokeToken',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'NOT_FOUND',
    build: async (target, fixtures) => ({ query: 'mutation ($id: ID!) { revokeToken(id: $id) { revokedAt } }', variables: { id: await fixtures.projectToken(target) } }),
  },
  login: {
    field: 'Mutation.login',
    kind: 'http',
    needs: 'ANYONE',
    build: () => ({ query: 'mutation ($password: String!) { login(username: "signs-in", password: $password) { expiresAt } }', variables: { password: PASSWORD } }),
  },
  logout: { field: 'Mutation.logout', kind: 'http', needs: 'SIGNED_IN', build: () => ({ query: 'mutation { logout }' }) },
  saveWorkflow: {
    field: 'Mutation.saveWorkflow',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'FORBIDDEN',
    build: (target, fixtures) => ({
      query: 'mutation ($projectId: ID!, $yaml: String!) { saveWorkflow(projectId: $projectId, yaml: $yaml) { id } }',
      variables: { projectId: target.projectId, yaml: `name: saved-${fixtures.unique()}\nsteps:\n  - name: build\n    command: "true"\n` },
    }),
  },
  deleteWorkflow: {
    field: 'Mutation.deleteWorkflow',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'NOT_FOUND',
    build: async (target, fixtures) => ({ query: 'mutation ($id: ID!) { deleteWorkflow(id: $id) }', variables: { id: await fixtures.workflow(target) } }),
  },
  setWorkflowEnabled: {
    field: 'Mutation.setWorkflowEnabled',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'NOT_FOUND',
    build: (target) => ({ query: 'mutation ($id: ID!) { setWorkflowEnabled(id: $id, enabled: true) { id } }', variables: { id: target.workflowId } }),
  },
  triggerRun: {
    field: 'Mutation.triggerRun',
    kind: 'http',
    needs: 'OPERATOR',
    unreadable: 'NOT_FOUND',
    build: (target) => ({ query: 'mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }', variables: { id: target.workflowId } }),
  },
  cancelRun: {
    field: 'Mutation.cancelRun',
    kind: 'http',
    needs: 'OPERATOR',
    unreadable: 'NOT_FOUND',
    build: async (target, fixtures) => ({ query: 'mutation ($id: ID!) { cancelRun(id: $id) { status } }', variables: { id: await fixtures.queuedRun(target) } }),
  },
  retryRun: {
    field: 'Mutation.retryRun',
    kind: 'http',
    needs: 'OPERATOR',
    unreadable: 'NOT_FOUND',
    build: (target) => ({ query: 'mutation ($id: ID!) { retryRun(id: $id) { id } }', variables: { id: target.finishedRunId } }),
  },
  approveStep: {
    field: 'Mutation.approveStep',
    kind: 'http',
    needs: 'OPERATOR',
    unreadable: 'NOT_FOUND',
    // No step of the run waits for approval: passing the check leads to CONFLICT.
    allowed: 'CONFLICT',
    build: (target) => ({ query: 'mutation ($id: ID!) { approveStep(runId: $id, step: "build") { id } }', variables: { id: target.finishedRunId } }),
  },
  rejectStep: {
    field: 'Mutation.rejectStep',
    kind: 'http',
    needs: 'OPERATOR',
    unreadable: 'NOT_FOUND',
    allowed: 'CONFLICT',
    build: (target) => ({ query: 'mutation ($id: ID!) { rejectStep(runId: $id, step: "build") { id } }', variables: { id: target.finishedRunId } }),
  },
  retentionPolicy: {
    field: 'Query.retentionPolicy',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    build: (target) => ({ query: 'query ($projectId: ID!) { retentionPolicy(projectId: $projectId) { hotDays sources { hotDays } } }', variables: { projectId: target.projectId } }),
  },
  'setRetentionPolicy of the project': {
    field: 'Mutation.setRetentionPolicy',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'FORBIDDEN',
    build: (target) => ({ query: 'mutation ($projectId: ID!) { setRetentionPolicy(input: { projectId: $projectId, hotDays: 60 }) { hotDays } }', variables: { projectId: target.projectId } }),
  },
  'setRetentionPolicy of a workflow': {
    field: 'Mutation.setRetentionPolicy',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'NOT_FOUND',
    build: (target) => ({ query: 'mutation ($workflowId: ID!) { setRetentionPolicy(input: { workflowId: $workflowId, keepLastRuns: 5 }) { keepLastRuns } }', variables: { workflowId: target.workflowId } }),
  },
  'setRetentionPolicy of the instance': {
    field: 'Mutation.setRetentionPolicy',
    kind: 'http',
    needs: 'INSTANCE_ADMIN',
    build: () => ({ query: 'mutation { setRetentionPolicy(input: { keepFailedForDays: 120 }) { keepFailedForDays } }' }),
  },
  'archiveNow dry run of the project': {
    field: 'Mutation.archiveNow',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'FORBIDDEN',
    build: (target) => ({ query: 'mutation ($projectId: ID!) { archiveNow(projectId: $projectId, dryRun: true) { total } }', variables: { projectId: target.projectId } }),
  },
  'archiveNow dry run of every project': {
    field: 'Mutation.archiveNow',
    kind: 'http',
    needs: 'INSTANCE_ADMIN',
    build: () => ({ query: 'mutation { archiveNow(dryRun: true) { total } }' }),
  },
  'archiveNow moving runs': {
    field: 'Mutation.archiveNow',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'FORBIDDEN',
    build: (target) => ({ query: 'mutation ($projectId: ID!) { archiveNow(projectId: $projectId) { total } }', variables: { projectId: target.projectId } }),
  },
  'archives of the project': {
    field: 'Query.archives',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    build: (target) => ({ query: 'query ($projectId: ID!) { archives(projectId: $projectId) { id runs bytes } }', variables: { projectId: target.projectId } }),
  },
  'archives of every project': {
    field: 'Query.archives',
    kind: 'http',
    needs: 'INSTANCE_ADMIN',
    build: () => ({ query: '{ archives { id runs bytes } }' }),
  },
  restoreArchive: {
    field: 'Mutation.restoreArchive',
    kind: 'http',
    needs: 'INSTANCE_ADMIN',
    // Restoring a real period would move the other rows' archived runs: an id of none passes the check and is NOT_FOUND.
    allowed: 'NOT_FOUND',
    build: () => ({ query: 'mutation { restoreArchive(id: "arc_1999-01") { id } }' }),
  },
  contactPoints: {
    field: 'Query.contactPoints',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    build: (target) => ({ query: 'query ($projectId: ID!) { contactPoints(projectId: $projectId) { id kind url hasSecret } }', variables: { projectId: target.projectId } }),
  },
  'contactPoints with their delivery log': {
    field: 'Query.contactPoints',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'FORBIDDEN',
    build: async (target, fixtures) => {
      await fixtures.contactPoint(target);
      return { query: 'query ($projectId: ID!) { contactPoints(projectId: $projectId) { id deliveries(first: 5) { attempt statusCode } } }', variables: { projectId: target.projectId } };
    },
  },
  'saveContactPoint creating one': {
    field: 'Mutation.saveContactPoint',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'FORBIDDEN',
    build: (target, fixtures) => ({
      query: 'mutation ($input: ContactPointInput!) { saveContactPoint(input: $input) { id } }',
      variables: { input: { projectId: target.projectId, name: `chat-${fixtures.unique()}`, kind: 'SLACK', url: 'https://hooks.example.com/services/T/B/x' } },
    }),
  },
  'saveContactPoint replacing one': {
    field: 'Mutation.saveContactPoint',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'NOT_FOUND',
    build: async (target, fixtures) => ({
      query: 'mutation ($input: ContactPointInput!) { saveContactPoint(input: $input) { id } }',
      variables: { input: { id: await fixtures.contactPoint(target), projectId: target.projectId, name: `chat-${fixtures.unique()}`, kind: 'SLACK', url: 'https://hooks.example.com/services/T/B/y' } },
    }),
  },
  deleteContactPoint: {
    field: 'Mutation.deleteContactPoint',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'NOT_FOUND',
    build: async (target, fixtures) => ({ query: 'mutation ($id: ID!) { deleteContactPoint(id: $id) }', variables: { id: await fixtures.contactPoint(target) } }),
  },
  testContactPoint: {
    field: 'Mutation.testContactPoint',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'NOT_FOUND',
    build: async (target, fixtures) => ({ query: 'mutation ($id: ID!) { testContactPoint(id: $id) { ok error } }', variables: { id: await fixtures.contactPoint(target) } }),
  },
  reportDefinitions: {
    field: 'Query.reportDefinitions',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    build: async (target, fixtures) => {
      await fixtures.reportDefinition(target);
      return { query: 'query ($projectId: ID!) { reportDefinitions(projectId: $projectId) { id nextRunAt } }', variables: { projectId: target.projectId } };
    },
  },
  'saveReportDefinition creating one': {
    field: 'Mutation.saveReportDefinition',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'FORBIDDEN',
    build: (target, fixtures) => ({ query: 'mutation ($input: ReportDefinitionInput!) { saveReportDefinition(input: $input) { id } }', variables: { input: reportInput(target, fixtures.unique()) } }),
  },
  'saveReportDefinition replacing one': {
    field: 'Mutation.saveReportDefinition',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'NOT_FOUND',
    build: async (target, fixtures) => ({
      query: 'mutation ($input: ReportDefinitionInput!) { saveReportDefinition(input: $input) { id } }',
      variables: { input: { ...reportInput(target, fixtures.unique()), id: await fixtures.reportDefinition(target) } },
    }),
  },
  deleteReportDefinition: {
    field: 'Mutation.deleteReportDefinition',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'NOT_FOUND',
    build: async (target, fixtures) => ({ query: 'mutation ($id: ID!) { deleteReportDefinition(id: $id) }', variables: { id: await fixtures.reportDefinition(target) } }),
  },
  previewReportDefinition: {
    field: 'Query.previewReportDefinition',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    build: (target, fixtures) => ({ query: 'query ($input: ReportDefinitionInput!) { previewReportDefinition(input: $input) { total periodLabel } }', variables: { input: reportInput(target, fixtures.unique()) } }),
  },
  reports: {
    field: 'Query.reports',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'NOT_FOUND',
    build: async (target, fixtures) => ({ query: 'query ($id: ID!) { reports(definitionId: $id, first: 5) { edges { node { id total files { url } } } } }', variables: { id: await fixtures.reportDefinition(target) } }),
  },
  report: {
    field: 'Query.report',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'NULL',
    build: async (target, fixtures) => ({ query: 'query ($id: ID!) { report(id: $id) { id snapshot byStatus { status count } } }', variables: { id: await fixtures.report(target) } }),
  },
  runReportNow: {
    field: 'Mutation.runReportNow',
    kind: 'http',
    needs: 'OPERATOR',
    unreadable: 'NOT_FOUND',
    build: async (target, fixtures) => ({ query: 'mutation ($id: ID!) { runReportNow(definitionId: $id) { id state } }', variables: { id: await fixtures.reportDefinition(target) } }),
  },
  reportGenerated: {
    field: 'Subscription.reportGenerated',
    kind: 'subscription',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    // Resumed from before every report, so a reader is answered at once with the target's.
    build: async (target, fixtures) => {
      await fixtures.report(target);
      return { query: 'subscription ($projectIds: [ID!], $afterId: ID) { reportGenerated(projectIds: $projectIds, afterId: $afterId) { id } }', variables: { projectIds: [target.projectId], afterId: `rep_${'0'.repeat(25)}` } };
    },
  },
  runEvents: {
    field: 'Subscription.runEvents',
    kind: 'subscription',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    // Replayed from a seq after the archived runs' events (an older one is RESYNC), up to a new run of the target.
    build: async (target, fixtures) => {
      const afterSeq = (await fixtures.services.history.headSnapshot()).toString();
      await fixtures.queuedRun(target);
      return { query: 'subscription ($filter: RunFilter, $afterSeq: String) { runEvents(filter: $filter, afterSeq: $afterSeq) { seq run { project { id } } } }', variables: { ...FILTER_OF(target), afterSeq } };
    },
  },
  'stepLog followed': {
    field: 'Subscription.stepLog',
    kind: 'subscription',
    needs: 'VIEWER',
    unreadable: 'NOT_FOUND',
    build: (target) => ({ query: 'subscription ($runId: ID!) { stepLog(runId: $runId, step: "build") { complete } }', variables: { runId: target.finishedRunId } }),
  },
  statusCounts: {
    field: 'Subscription.statusCounts',
    kind: 'subscription',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    build: (target) => ({ query: 'subscription ($filter: RunFilter) { statusCounts(filter: $filter) { total } }', variables: FILTER_OF(target) }),
  },
  alertRules: {
    field: 'Query.alertRules',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    build: (target) => ({ query: 'query ($projectId: ID!) { alertRules(projectId: $projectId) { id name } }', variables: { projectId: target.projectId } }),
  },
  previewAlertRule: {
    field: 'Query.previewAlertRule',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    build: (target) => ({
      query: 'query ($rule: AlertRuleInput!, $from: DateTime!, $to: DateTime!) { previewAlertRule(rule: $rule, from: $from, to: $to) { runsRead } }',
      variables: { rule: { projectId: target.projectId, name: 'preview', kind: 'RUN_FAILED' }, from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date().toISOString() },
    }),
  },
  saveAlertRule: {
    field: 'Mutation.saveAlertRule',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'FORBIDDEN',
    build: (target, { unique }) => ({
      query: 'mutation ($projectId: ID!, $name: String!) { saveAlertRule(input: { projectId: $projectId, name: $name, kind: RUN_FAILED }) { id } }',
      variables: { projectId: target.projectId, name: `breaks-${unique()}` },
    }),
  },
  deleteAlertRule: {
    field: 'Mutation.deleteAlertRule',
    kind: 'http',
    needs: 'ADMIN',
    unreadable: 'NOT_FOUND',
    build: async (target, { services, unique }) => ({ query: 'mutation ($id: ID!) { deleteAlertRule(id: $id) }', variables: { id: (await alertRuleOf(services, target, unique())).id } }),
  },
  alerts: {
    field: 'Query.alerts',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    build: (target) => ({ query: 'query ($filter: AlertFilter) { alerts(filter: $filter) { id state rule { name } events { to } } }', variables: FILTER_OF(target) }),
  },
  alertEvents: {
    field: 'Subscription.alertEvents',
    kind: 'subscription',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    // Resumed from just before an event of the project, so a reader is answered at once.
    build: async (target, { services, unique }) => {
      const alertId = await firingAlertOf(services, target, unique());
      const [event] = await services.repositories.alertState.transaction((writes) =>
        writes.appendEvents([{ instanceId: alertId, ruleId: 'rule', projectId: target.projectId, from: 'INACTIVE', to: 'FIRING', at: new Date(), message: null, actor: null }]),
      );
      const afterSeq = String((event?.seq ?? 1n) - 1n);
      return { query: 'subscription ($projectIds: [ID!], $afterSeq: String) { alertEvents(projectIds: $projectIds, afterSeq: $afterSeq) { seq } }', variables: { projectIds: [target.projectId], afterSeq } };
    },
  },
  silences: {
    field: 'Query.silences',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    build: (target) => ({ query: 'query ($projectId: ID!) { silences(projectId: $projectId) { id } }', variables: { projectId: target.projectId } }),
  },
  previewSilence: {
    field: 'Query.previewSilence',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    build: (target) => ({ query: 'query ($input: SilenceInput!) { previewSilence(input: $input) { id } }', variables: { input: silenceInput(target) } }),
  },
  createSilence: {
    field: 'Mutation.createSilence',
    kind: 'http',
    needs: 'OPERATOR',
    unreadable: 'FORBIDDEN',
    build: (target) => ({ query: 'mutation ($input: SilenceInput!) { createSilence(input: $input) { id createdBy } }', variables: { input: silenceInput(target) } }),
  },
  expireSilence: {
    field: 'Mutation.expireSilence',
    kind: 'http',
    needs: 'OPERATOR',
    unreadable: 'NOT_FOUND',
    build: async (target, { services }) => {
      const silence = await services.silences.create(commandLinePrincipal(), { ...silenceInput(target), endsAt: new Date(silenceInput(target).endsAt) });
      return { query: 'mutation ($id: ID!) { expireSilence(id: $id) { endsAt } }', variables: { id: silence.id } };
    },
  },
  anomalies: {
    field: 'Query.anomalies',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    build: async (target, { services, unique }) => {
      await anomalyOf(services, target, unique());
      return { query: 'query ($filter: AnomalyFilter) { anomalies(filter: $filter) { id kind } }', variables: FILTER_OF(target) };
    },
  },
  runsAggregate: {
    field: 'Query.runsAggregate',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    build: (target) => {
      const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
      return {
        query: 'query ($filter: AggregateFilter, $from: DateTime!, $to: DateTime!) { runsAggregate(filter: $filter, groupBy: [WORKFLOW, ERROR], from: $from, to: $to) { workflowId error count } }',
        variables: { ...FILTER_OF(target), from: new Date(today - 86_400_000).toISOString(), to: new Date(today + 86_400_000).toISOString() },
      };
    },
  },
  dismissAnomaly: {
    field: 'Mutation.dismissAnomaly',
    kind: 'http',
    needs: 'OPERATOR',
    unreadable: 'NOT_FOUND',
    build: async (target, { services, unique }) => ({
      query: 'mutation ($id: ID!) { dismissAnomaly(id: $id, reason: "a planned migration") { dismissedBy } }',
      variables: { id: (await anomalyOf(services, target, unique())).id },
    }),
  },
  anomalyEvents: {
    field: 'Subscription.anomalyEvents',
    kind: 'subscription',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    // Resumed from just before an anomaly of the project, so a reader is answered at once.
    build: async (target, { services, unique }) => {
      const anomaly = await anomalyOf(services, target, unique());
      return {
        query: 'subscription ($projectIds: [ID!], $afterSeq: String) { anomalyEvents(projectIds: $projectIds, afterSeq: $afterSeq) { seq } }',
        variables: { projectIds: [target.projectId], afterSeq: String(anomaly.seq - 1n) },
      };
    },
  },
  incidents: {
    field: 'Query.incidents',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    build: async (target, { services, unique }) => {
      await incidentOf(services, target, unique());
      return { query: 'query ($filter: IncidentFilter) { incidents(filter: $filter) { id memberCount members { runId } attributes { value members } } }', variables: FILTER_OF(target) };
    },
  },
  incident: {
    field: 'Query.incident',
    kind: 'http',
    needs: 'VIEWER',
    unreadable: 'NOT_FOUND',
    build: async (target, { services, unique }) => ({
      query: 'query ($id: ID!) { incident(id: $id) { id memberCount projectIds } }',
      variables: { id: (await incidentOf(services, target, unique())).id },
    }),
  },
  incidentEvents: {
    field: 'Subscription.incidentEvents',
    kind: 'subscription',
    needs: 'VIEWER',
    unreadable: 'FORBIDDEN',
    // Resumed from just before an incident of the project, so a reader is answered at once.
    build: async (target, { services, unique }) => {
      const incident = await incidentOf(services, target, unique());
      return {
        query: 'subscription ($projectIds: [ID!], $afterSeq: String) { incidentEvents(projectIds: $projectIds, afterSeq: $afterSeq) { seq memberCount } }',
        variables: { projectIds: [target.projectId], afterSeq: String(incident.seq - 1n) },
      };
    },
  },
  acknowledgeAlert: {
    field: 'Mutation.acknowledgeAlert',
    kind: 'http',
    needs: 'OPERATOR',
    unreadable: 'NOT_FOUND',
    build: async (target, { services, unique }) => ({ query: 'mutation ($id: ID!) { acknowledgeAlert(id: $id) { acknowledgedBy } }', variables: { id: await firingAlertOf(services, target, unique()) } }),
  },
};

interface Caller {
  name: string;
  token: string | null;
  isAdmin: boolean;
  /** The role in the caller's own project. */
  role: Role | null;
}

const RANK: Record<Role, number> = { VIEWER: 1, OPERATOR: 2, ADMIN: 3 };

function expectedOutcome(operation: OperationCase, caller: Caller, roleInTarget: Role | null): Outcome {
  const allowed = operation.allowed ?? 'OK';
  if (operation.needs === 'ANYONE') return allowed;
  if (caller.token === null) return 'UNAUTHENTICATED';
  if (operation.needs === 'SIGNED_IN') return allowed;
  if (operation.needs === 'INSTANCE_ADMIN') return caller.isAdmin ? allowed : 'FORBIDDEN';
  const role = caller.isAdmin ? 'ADMIN' : roleInTarget;
  if (role === null) return operation.unreadable ?? 'FORBIDDEN';
  return RANK[role] >= RANK[operation.needs] ? allowed : 'FORBIDDEN';
}

describe('who may call what: every operation × every role × own and foreign project', () => {
  let server: TestServer;
  let own: Target;
  let foreign: Target;
  let fixtures: Fixtures;
  const callers: Caller[] = [];

  beforeAll(async () => {
    // API only and no engine: runs stay where the fixtures put them.
    server = await startTestServer('sqlite', { config: { executes: false } });
    const services = server.app.services;
    const cli = commandLinePrincipal();
    const unique = () => randomBytes(5).toString('hex');
    const target = async (slug: string): Promise<Target> => {
      const project = await services.access.createProject(cli, { slug: `${slug}-${unique()}` });
      const workflow = await services.workflows.save(cli, project.id, 'name: build-it\nsteps:\n  - name: build\n    command: "true"\n');
      const finished = async (workflowId: string) => {
        const run = await services.control.triggerRun(cli, workflowId, {});
        await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
        await services.recorder.recordTransition({ runId: run.id, to: 'SUCCEEDED' });
        return run.id;
      };
      const finishedRunId = await finished(workflow.id);
      // A workflow whose runs leave the live store as soon as they end.
      const archiving = await services.workflows.save(cli, project.id, 'name: archive-it\nsteps:\n  - name: build\n    command: "true"\n');
      await services.retention.set(cli, { workflowId: archiving.id, hotDays: 0, keepLastRuns: 0 });
      const archivedRunId = await finished(archiving.id);
      await services.archive.archiveNow(cli, project.id, false);
      return { projectId: project.id, workflowId: workflow.id, finishedRunId, archivedRunId };
    };
    own = await target('own');
    foreign = await target('foreign');
    const newUser = async (role: Role | null, project: Target) => {
      const user = await services.access.createUser(cli, { username: `u-${unique()}`, password: PASSWORD });
      if (role) await services.access.addMember(cli, { projectId: project.projectId, username: user.username, role });
      return user;
    };
    fixtures = {
      services,
      unique,
      queuedRun: async (at) => (await services.control.triggerRun(cli, at.workflowId, {})).id,
      workflow: async (at) => (await services.workflows.save(cli, at.projectId, `name: doomed-${unique()}\nsteps:\n  - name: a\n    command: "true"\n`)).id,
      member: async (at, role) => (await newUser(role, at)).username,
      user: async () => (await newUser(null, own)).username,
      projectToken: async (at) => (await services.access.createToken(cli, (await newUser('ADMIN', at)).id, { name: 'robot', projectId: at.projectId, role: 'VIEWER' })).token.id,
      // fetch refuses port 9 (discard) at once: a test there fails fast, and the call still answers.
      contactPoint: async (at) => (await services.contactPoints.save(cli, { projectId: at.projectId, name: `chat-${unique()}`, kind: 'SLACK', url: 'http://127.0.0.1:9/hook' })).id,
      reportDefinition: async (at) => (await services.reportDefinitions.save(cli, { ...reportInput(at, unique()), periodKind: 'PREVIOUS_DAY', formats: ['JSON'] })).id,
      report: async (at) => {
        const definition = await services.reportDefinitions.save(cli, { ...reportInput(at, unique()), periodKind: 'PREVIOUS_DAY', formats: ['JSON'] });
        return (await services.reports.runNow(cli, definition.id, null)).id;
      },
    };
    // The foreign project has an admin of its own, so removing or demoting a member there never hits the last-admin rule.
    await newUser('ADMIN', foreign);
    await services.access.createUser(cli, { username: 'signs-in', password: PASSWORD });
    const tokenOf = async (userId: string) => (await services.access.createToken(cli, userId, { name: 'matrix' })).secret;
    callers.push({ name: 'anonymous', token: null, isAdmin: false, role: null });
    // Member of a third project only: signed in, but of neither target.
    const elsewhere = await target('elsewhere');
    callers.push({ name: 'no role', token: await tokenOf((await newUser('ADMIN', elsewhere)).id), isAdmin: false, role: null });
    for (const role of ['VIEWER', 'OPERATOR', 'ADMIN'] as const) {
      const user = await newUser(role, own);
      callers.push({ name: role, token: await tokenOf(user.id), isAdmin: false, role });
    }
    const admin = await services.access.createUser(cli, { username: `root-${unique()}`, password: PASSWORD, isAdmin: true });
    callers.push({ name: 'instance admin', token: await tokenOf(admin.id), isAdmin: true, role: null });
  });

  afterAll(async () => {
    await server.stop();
  });

  it('has a row for every root field of the schema', async () => {
    const schema = await buildRuntrailSchema();
    const rootFields = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
      type ? Object.keys(type.getFields()).map((name) => `${type.name}.${name}`) : [],
    );
    const covered = new Set(Object.values(CASES).map((operation) => operation.field));
    expect(rootFields.filter((field) => !covered.has(field))).toEqual([]);
    expect([...covered].filter((field) => !rootFields.includes(field))).toEqual([]);
  });

  async function outcomeOf(operation: OperationCase, fieldName: string, request: Request, token: string | null): Promise<Outcome> {
    if (operation.kind === 'subscription') return subscriptionOutcome(request, token);
    const { body } = await server.query<Record<string, unknown>>(request.query, request.variables, token);
    const code = body.errors?.[0]?.extensions?.code;
    if (code !== undefined) return code as Outcome;
    return body.data?.[fieldName] === null ? 'NULL' : 'OK';
  }

  async function subscriptionOutcome(request: Request, token: string | null): Promise<Outcome> {
    if (token === null) {
      // Without credentials the socket is closed before any operation: 4401.
      const closed = await new Promise<number>((resolve) => {
        const client = server.wsClient(null, { on: { closed: (event) => resolve((event as { code: number }).code) } });
        client.subscribe({ query: request.query, variables: request.variables }, { next: () => {}, error: () => {}, complete: () => {} });
      });
      return closed === 4401 ? 'UNAUTHENTICATED' : 'OK';
    }
    const client = server.wsClient(token);
    return new Promise<Outcome>((resolve) => {
      const stop = client.subscribe(
        { query: request.query, variables: request.variables },
        {
          next: (message) => {
            const code = message.errors?.[0]?.extensions?.code;
            resolve(typeof code === 'string' ? (code as Outcome) : 'OK');
            stop();
          },
          error: (error) => resolve(((Array.isArray(error) ? error[0]?.extensions?.code : null) ?? 'ERROR') as Outcome),
          complete: () => resolve('OK'),
        },
      );
    });
  }

  it('answers each caller exactly as the table says, in their own project and in a foreign one', async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const [name, operation] of Object.entries(CASES)) {
      const fieldName = operation.field.split('.')[1] ?? '';
      for (const caller of callers) {
        for (const [where, target] of [['own', own], ['foreign', foreign]] as const) {
          const request = await operation.build(target, fixtures);
          const expected = expectedOutcome(operation, caller, where === 'own' ? caller.role : null);
          const actual = await outcomeOf(operation, fieldName, request, caller.token);
          checked += 1;
          if (actual !== expected) mismatches.push(`${name} as ${caller.name} in the ${where} project: expected ${expected}, got ${actual}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(Object.keys(CASES).length * callers.length * 2);
  });
});
