import type { Db } from '../db/client.ts';
import { contactPointSettingsOf, settingsJson, type ContactPointRecord, type ContactPointSettings } from '../domain/alerts/contact-point.ts';
import type { StoredCircuit } from '../domain/alerts/circuit-breakers.ts';
import type { ContactPoint as ContactPointRow } from '../generated/sqlite/client.ts';

/** Contact points per project; their settings as JSON beside the kind, their secret sealed. */
export class ContactPointRepository {
  constructor(private readonly deps: { db: Db }) {}

  async listOf(projectId: string): Promise<ContactPointRecord[]> {
    const rows = await this.deps.db.contactPoint.findMany({ where: { projectId }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
    return rows.map(contactPointOf);
  }

  async findById(id: string): Promise<ContactPointRecord | null> {
    const row = await this.deps.db.contactPoint.findUnique({ where: { id } });
    return row ? contactPointOf(row) : null;
  }

  /** These contact points (those that are gone are left out), for the dispatcher's batch. */
  async listByIds(ids: readonly string[]): Promise<ContactPointRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.deps.db.contactPoint.findMany({ where: { id: { in: [...ids] } } });
    return rows.map(contactPointOf);
  }

  /** The contact points a workflow's file made. */
  async listByOwner(workflowId: string): Promise<ContactPointRecord[]> {
    const rows = await this.deps.db.contactPoint.findMany({ where: { ownerWorkflowId: workflowId }, orderBy: { id: 'asc' } });
    return rows.map(contactPointOf);
  }

  async create(record: { id: string; projectId: string; name: string; settings: ContactPointSettings; secret: string | null; now: Date; ownerWorkflowId?: string }): Promise<ContactPointRecord> {
    const row = await this.deps.db.contactPoint.create({
      data: {
        id: record.id,
        projectId: record.projectId,
        name: record.name,
        kind: record.settings.kind,
        settings: settingsJson(record.settings),
        secret: record.secret,
        ownerWorkflowId: record.ownerWorkflowId ?? null,
        createdAt: record.now,
        updatedAt: record.now,
      },
    });
    return contactPointOf(row);
  }

  /** Replaces its name, settings and secret (undefined: the secret stays). */
  async update(id: string, change: { name: string; settings: ContactPointSettings; secret: string | null | undefined; now: Date }): Promise<ContactPointRecord> {
    const row = await this.deps.db.contactPoint.update({
      where: { id },
      // A changed contact point starts with its circuit closed.
      data: {
        name: change.name,
        kind: change.settings.kind,
        settings: settingsJson(change.settings),
        ...(change.secret === undefined ? {} : { secret: change.secret }),
        circuitFailures: 0,
        circuitOpenUntil: null,
        updatedAt: change.now,
      },
    });
    return contactPointOf(row);
  }

  /** The circuits that are not closed and clean: those with failures counted or held open. */
  async circuits(): Promise<Map<string, StoredCircuit>> {
    const rows = await this.deps.db.contactPoint.findMany({ where: { OR: [{ circuitFailures: { gt: 0 } }, { circuitOpenUntil: { not: null } }] }, select: { id: true, circuitFailures: true, circuitOpenUntil: true } });
    return new Map(rows.map((row) => [row.id, { failures: row.circuitFailures, openUntil: row.circuitOpenUntil }]));
  }

  /** Stores a contact point's circuit (closed: no failures, not open). */
  async saveCircuit(id: string, circuit: StoredCircuit): Promise<void> {
    await this.deps.db.contactPoint.updateMany({ where: { id }, data: { circuitFailures: circuit.failures, circuitOpenUntil: circuit.openUntil } });
  }

  /** Removes it with its outbox and delivery log; false when there was none. */
  async delete(id: string): Promise<boolean> {
    return (await this.deps.db.contactPoint.deleteMany({ where: { id } })).count === 1;
  }
}

function contactPointOf(row: ContactPointRow): ContactPointRecord {
  return {
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    settings: contactPointSettingsOf(row.kind, row.settings, `contact point ${row.id}`),
    secret: row.secret,
    ownerWorkflowId: row.ownerWorkflowId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
