import { tallyIncident, viewIncident, type IncidentRecord } from './incident-view.ts';
import { DEFAULT_INCIDENT_SETTINGS, rankAttributes, type Incident, type IncidentRun } from './incidents.ts';

const run = (runId: string, projectId: string, failed: boolean, error: string | null, worker: string | null): IncidentRun => ({
  runId,
  projectId,
  workflowId: `${projectId}-wf-${runId.length % 2}`,
  at: Number(runId.replace(/\D/g, '')) * 60_000,
  failed,
  error,
  failedStep: failed ? 'load' : null,
  trigger: 'SCHEDULER',
  worker,
  tags: [projectId],
});

const members = [
  run('r1', 'a', true, 'timeout', 'w1'),
  run('r2', 'a', true, 'timeout', 'w1'),
  run('r3', 'b', true, 'timeout', 'w2'),
  run('r4', 'b', true, 'oom', 'w2'),
  run('r5', 'c', true, 'oom', 'w2'),
  run('r6', 'c', true, 'oom', 'w2'),
];
const others = [run('r7', 'a', false, null, 'w1'), run('r8', 'b', false, null, 'w2'), run('r9', 'c', false, null, 'w1'), run('r10', 'c', true, 'oom', 'w1')];
const incident: Incident = { start: 60_000, openedAt: 360_000, end: null, members, attributes: [] };

function recordOf(): IncidentRecord {
  const { projects, attributes } = tallyIncident(incident, others);
  return { id: 'inc_1', seq: 1n, openedAt: new Date(360_000), closedAt: null, projects, attributes, members: members.map((member) => ({ ...member, at: new Date(member.at), tags: [...member.tags] })) };
}

describe('viewIncident', () => {
  it('ranks attributes for a viewer of every project exactly as the detector ranks them', () => {
    const view = viewIncident(recordOf(), () => true, DEFAULT_INCIDENT_SETTINGS);
    expect(view?.attributes).toEqual(rankAttributes(members, others, DEFAULT_INCIDENT_SETTINGS.attributesMax, DEFAULT_INCIDENT_SETTINGS.minSupport));
    expect(view?.members).toHaveLength(6);
  });

  it('ranks a viewer of some projects as if the others did not exist: their members, counts and attribute values leave no trace', () => {
    const readable = new Set(['a', 'b']);
    const view = viewIncident(recordOf(), (projectId) => readable.has(projectId), DEFAULT_INCIDENT_SETTINGS);
    const theirs = (runs: readonly IncidentRun[]) => runs.filter((candidate) => readable.has(candidate.projectId));
    expect(view?.attributes).toEqual(rankAttributes(theirs(members), theirs(others), DEFAULT_INCIDENT_SETTINGS.attributesMax, DEFAULT_INCIDENT_SETTINGS.minSupport));
    expect(view?.projectIds).toEqual(['a', 'b']);
    expect(view?.members.map((member) => member.runId)).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(view?.attributes.some((attribute) => attribute.value === 'c')).toBe(false);
    expect(view?.start).toEqual(new Date(60_000));
    expect(view?.lastFailureAt).toEqual(new Date(240_000));
  });

  it('shows nothing to a viewer of none of its projects', () => {
    expect(viewIncident(recordOf(), (projectId) => projectId === 'z', DEFAULT_INCIDENT_SETTINGS)).toBeNull();
  });
});
