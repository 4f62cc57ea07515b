import { attributeKey, countAttributes, rankAttributeCounts, type Incident, type IncidentAttributeKind, type IncidentRun, type RankedAttribute } from './incidents.ts';

/** A member run as stored. */
export interface IncidentMemberRecord {
  runId: string;
  projectId: string;
  workflowId: string;
  at: Date;
  error: string | null;
  failedStep: string | null;
  trigger: string;
  worker: string | null;
  tags: string[];
}

/** A project an incident touches: its members and its other runs of the window. */
export interface IncidentProjectTally {
  projectId: string;
  members: number;
  others: number;
}

/** An attribute's carriers among one project's members and among its other runs of the window. */
export interface IncidentAttributeTally {
  projectId: string;
  kind: IncidentAttributeKind;
  value: string;
  members: number;
  others: number;
}

/** An incident as stored: every project's share of it, which no viewer sees whole unless they read every project. */
export interface IncidentRecord {
  id: string;
  /** Its latest change in the incident feed. */
  seq: bigint;
  openedAt: Date;
  closedAt: Date | null;
  projects: IncidentProjectTally[];
  members: IncidentMemberRecord[];
  attributes: IncidentAttributeTally[];
}

/** What a viewer sees of an incident: only the members, counts and attributes of the projects they may read. */
export interface IncidentView {
  id: string;
  seq: bigint;
  openedAt: Date;
  closedAt: Date | null;
  /** The first and the latest failure among the members shown. */
  start: Date;
  lastFailureAt: Date;
  projectIds: string[];
  workflowIds: string[];
  members: IncidentMemberRecord[];
  /** Ranked by lift among the members shown against the other runs of the same projects. */
  attributes: RankedAttribute[];
}

export interface IncidentRanking {
  attributesMax: number;
  minSupport: number;
}

/**
 * An incident of the detector, split by project for storage; `others` are the runs of its window
 * that are not members. Lift is judged against the other runs of the projects the incident touches
 * (a project with no member adds nothing), so each viewer's lift can be recomputed from the
 * projects they read.
 */
export function tallyIncident(incident: Incident, others: readonly IncidentRun[]): { projects: IncidentProjectTally[]; attributes: IncidentAttributeTally[] } {
  const projectIds = [...new Set(incident.members.map((member) => member.projectId))].sort();
  // Every attribute some member carries is counted in every project: a viewer's lift needs the others of their projects, whichever member carried it.
  const carried = countAttributes(incident.members);
  const projects: IncidentProjectTally[] = [];
  const attributes: IncidentAttributeTally[] = [];
  for (const projectId of projectIds) {
    const theirMembers = incident.members.filter((member) => member.projectId === projectId);
    const inMembers = countAttributes(theirMembers);
    const theirOthers = others.filter((other) => other.projectId === projectId);
    const inOthers = countAttributes(theirOthers);
    projects.push({ projectId, members: theirMembers.length, others: theirOthers.length });
    for (const [key, { attribute }] of carried) {
      const members = inMembers.get(key)?.runs ?? 0;
      const otherRuns = inOthers.get(key)?.runs ?? 0;
      if (members > 0 || otherRuns > 0) attributes.push({ projectId, kind: attribute.kind, value: attribute.value, members, others: otherRuns });
    }
  }
  return { projects, attributes };
}

/** The incident as a viewer who may read `readable` projects sees it; null when none of its members is theirs. */
export function viewIncident(record: IncidentRecord, readable: (projectId: string) => boolean, ranking: IncidentRanking): IncidentView | null {
  const members = record.members.filter((member) => readable(member.projectId)).sort((a, b) => a.at.getTime() - b.at.getTime() || a.runId.localeCompare(b.runId));
  const first = members[0];
  const last = members.at(-1);
  if (first === undefined || last === undefined) return null;
  const projects = record.projects.filter((project) => readable(project.projectId));
  const counts = new Map<string, { kind: IncidentAttributeKind; value: string; members: number; others: number }>();
  for (const tally of record.attributes) {
    if (!readable(tally.projectId)) continue;
    const key = attributeKey(tally);
    const count = counts.get(key) ?? { kind: tally.kind, value: tally.value, members: 0, others: 0 };
    count.members += tally.members;
    count.others += tally.others;
    counts.set(key, count);
  }
  const memberTotal = projects.reduce((sum, project) => sum + project.members, 0);
  const otherTotal = projects.reduce((sum, project) => sum + project.others, 0);
  return {
    id: record.id,
    seq: record.seq,
    openedAt: record.openedAt,
    closedAt: record.closedAt,
    start: first.at,
    lastFailureAt: last.at,
    projectIds: projects.map((project) => project.projectId),
    workflowIds: [...new Set(members.map((member) => member.workflowId))],
    members,
    attributes: rankAttributeCounts([...counts.values()], memberTotal, otherTotal, ranking.attributesMax, ranking.minSupport),
  };
}
