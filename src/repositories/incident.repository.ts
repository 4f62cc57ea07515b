import type { Db, Tx } from '../db/client.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { IncidentAttributeTally, IncidentMemberRecord, IncidentProjectTally, IncidentRecord } from '../domain/insight/incident-view.ts';
import { INCIDENT_ATTRIBUTE_KINDS, type IncidentAttributeKind } from '../domain/insight/incidents.ts';
import type { Prisma } from '../generated/sqlite/client.ts';

const INCIDENT_COUNTER = 'incident';
// The one open incident's openKey: unique, so two leaders cannot both open one.
const OPEN = 'open';

/** An incident as the detection job writes it: its members and its per-project tallies as they stand. */
export interface IncidentWrite {
  members: readonly IncidentMemberRecord[];
  projects: readonly IncidentProjectTally[];
  attributes: readonly IncidentAttributeTally[];
}

/** Which incidents a reader asks for: touching these projects, open or closed, opened in a range. */
export interface IncidentSelection {
  projectIds: readonly string[];
  open: boolean | null;
  from: Date | null;
  to: Date | null;
}

const withParts = { members: true, projects: true, attributes: true } as const;
type IncidentRow = Prisma.IncidentGetPayload<{ include: typeof withParts }>;

/** Stored incidents: opened, grown and closed by the detection job, read by the API, its feed and INCIDENT alert rules. */
export class IncidentRepository {
  constructor(private readonly deps: { db: Db }) {}

  /** Stores a newly opened incident; null when one is open already (another leader opened it first). */
  async open(id: string, openedAt: Date, parts: IncidentWrite): Promise<IncidentRecord | null> {
    try {
      return await this.deps.db.$transaction(async (tx) => {
        await tx.incident.create({ data: { id, seq: await nextSeq(tx), openKey: OPEN, openedAt } });
        await writeParts(tx, id, parts);
        return recordOf(await tx.incident.findUniqueOrThrow({ where: { id }, include: withParts }));
      });
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /** Replaces the open incident's members and tallies (it grew), or closes it at `closedAt`; null when it is not open. */
  async update(id: string, parts: IncidentWrite, closedAt: Date | null): Promise<IncidentRecord | null> {
    return this.deps.db.$transaction(async (tx) => {
      const changed = await tx.incident.updateMany({ where: { id, openKey: OPEN }, data: { seq: await nextSeq(tx), ...(closedAt === null ? {} : { openKey: null, closedAt }) } });
      if (changed.count === 0) return null;
      // Members only join: the stored ones stay, the tallies are replaced whole.
      const stored = new Set((await tx.incidentMember.findMany({ where: { incidentId: id }, select: { runId: true } })).map((member) => member.runId));
      await tx.incidentProject.deleteMany({ where: { incidentId: id } });
      await tx.incidentAttribute.deleteMany({ where: { incidentId: id } });
      await writeParts(tx, id, { ...parts, members: parts.members.filter((member) => !stored.has(member.runId)) });
      return recordOf(await tx.incident.findUniqueOrThrow({ where: { id }, include: withParts }));
    });
  }

  /** The open incident, if any: what a new leader's detector goes on with. */
  async findOpen(): Promise<IncidentRecord | null> {
    const row = await this.deps.db.incident.findUnique({ where: { openKey: OPEN }, include: withParts });
    return row === null ? null : recordOf(row);
  }

  async findById(id: string): Promise<IncidentRecord | null> {
    const row = await this.deps.db.incident.findUnique({ where: { id }, include: withParts });
    return row === null ? null : recordOf(row);
  }

  /** Newest opened first, at most `limit`, touching any of the projects. */
  async list(selection: IncidentSelection, limit: number): Promise<IncidentRecord[]> {
    const rows = await this.deps.db.incident.findMany({
      where: {
        projects: { some: { projectId: { in: [...selection.projectIds] } } },
        ...(selection.open === null ? {} : { openKey: selection.open ? OPEN : null }),
        ...(selection.from === null && selection.to === null ? {} : { openedAt: { ...(selection.from ? { gte: selection.from } : {}), ...(selection.to ? { lt: selection.to } : {}) } }),
      },
      orderBy: [{ openedAt: 'desc' }, { id: 'desc' }],
      take: limit,
      include: withParts,
    });
    return rows.map(recordOf);
  }

  /** The open incidents touching these projects: what INCIDENT alert rules look at on each tick. */
  async openIn(projectIds: readonly string[]): Promise<IncidentRecord[]> {
    return this.list({ projectIds, open: true, from: null, to: null }, 1);
  }

  /** Incidents changed after `afterSeq` touching these projects (any when null), in seq order: at most `limit`. */
  async changedAfter(afterSeq: bigint, projectIds: readonly string[] | null, limit: number): Promise<IncidentRecord[]> {
    const rows = await this.deps.db.incident.findMany({
      where: { seq: { gt: afterSeq }, ...(projectIds ? { projects: { some: { projectId: { in: [...projectIds] } } } } : {}) },
      orderBy: { seq: 'asc' },
      take: limit,
      include: withParts,
    });
    return rows.map(recordOf);
  }

  /** The latest change's seq; 0 before the first. */
  async headSeq(): Promise<bigint> {
    return (await this.deps.db.eventCounter.findUnique({ where: { name: INCIDENT_COUNTER } }))?.value ?? 0n;
  }
}

async function writeParts(tx: Tx, incidentId: string, parts: IncidentWrite): Promise<void> {
  await tx.incidentMember.createMany({ data: parts.members.map((member) => ({ ...member, incidentId, tags: JSON.stringify(member.tags) })) });
  await tx.incidentProject.createMany({ data: parts.projects.map((project) => ({ ...project, incidentId })) });
  await tx.incidentAttribute.createMany({ data: parts.attributes.map((attribute) => ({ ...attribute, incidentId })) });
}

/** The next seq of the incident feed, allocated in the transaction: changes become visible in seq order. */
async function nextSeq(tx: Tx): Promise<bigint> {
  const counter = await tx.eventCounter.upsert({ where: { name: INCIDENT_COUNTER }, create: { name: INCIDENT_COUNTER, value: 1n }, update: { value: { increment: 1n } } });
  return counter.value;
}

function recordOf(row: IncidentRow): IncidentRecord {
  return {
    id: row.id,
    seq: row.seq,
    openedAt: row.openedAt,
    closedAt: row.closedAt,
    projects: row.projects.map((project) => ({ projectId: project.projectId, members: project.members, others: project.others })),
    members: row.members.map((member) => ({
      runId: member.runId,
      projectId: member.projectId,
      workflowId: member.workflowId,
      at: member.at,
      error: member.error,
      failedStep: member.failedStep,
      trigger: member.trigger,
      worker: member.worker,
      tags: tagsOf(member.tags, `incident ${row.id} member ${member.runId}`),
    })),
    attributes: row.attributes.map((attribute) => ({
      projectId: attribute.projectId,
      kind: attributeKindOf(attribute.kind, row.id),
      value: attribute.value,
      members: attribute.members,
      others: attribute.others,
    })),
  };
}

function attributeKindOf(text: string, incidentId: string): IncidentAttributeKind {
  const kind = INCIDENT_ATTRIBUTE_KINDS.find((candidate) => candidate === text);
  if (kind === undefined) throw new Error(`Incident ${incidentId} has an attribute of unknown kind "${text}"`);
  return kind;
}

function tagsOf(text: string, where: string): string[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || !parsed.every((tag): tag is string => typeof tag === 'string')) throw new Error(`The tags of ${where} are not a JSON array of strings`);
  return parsed;
}
