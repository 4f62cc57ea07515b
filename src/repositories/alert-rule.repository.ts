import type { Db } from '../db/client.ts';
import type { AlertRuleKind, AlertRuleRecord, AlertRuleSpec } from '../domain/alerts/alert-rule.ts';
import { ruleColumns, specOfStoredRule } from '../domain/alerts/stored-rule.ts';
import type { AlertRule as AlertRuleRow, AlertRuleContact } from '../generated/sqlite/client.ts';

/** Alert rules and where their notifications go. */
export class AlertRuleRepository {
  constructor(private readonly deps: { db: Db }) {}

  async listOf(projectIds: readonly string[], enabledOnly = false): Promise<AlertRuleRecord[]> {
    const rows = await this.deps.db.alertRule.findMany({
      where: { projectId: { in: [...projectIds] }, ...(enabledOnly ? { enabled: true } : {}) },
      include: { contacts: true },
      orderBy: [{ projectId: 'asc' }, { name: 'asc' }],
    });
    return rows.map(recordOf);
  }

  /** Every rule of one kind, over all projects: what the evaluator's tick looks at beside live alerts. */
  async listOfKind(kind: AlertRuleKind): Promise<AlertRuleRecord[]> {
    const rows = await this.deps.db.alertRule.findMany({ where: { kind, enabled: true }, include: { contacts: true }, orderBy: { id: 'asc' } });
    return rows.map(recordOf);
  }

  /** These rules (those that exist), with their contact points. */
  async listByIds(ids: readonly string[]): Promise<AlertRuleRecord[]> {
    const rows = await this.deps.db.alertRule.findMany({ where: { id: { in: [...ids] } }, include: { contacts: true } });
    return rows.map(recordOf);
  }

  async findById(id: string): Promise<AlertRuleRecord | null> {
    const row = await this.deps.db.alertRule.findUnique({ where: { id }, include: { contacts: true } });
    return row ? recordOf(row) : null;
  }

  async findByName(projectId: string, name: string): Promise<AlertRuleRecord | null> {
    const row = await this.deps.db.alertRule.findUnique({ where: { projectId_name: { projectId, name } }, include: { contacts: true } });
    return row ? recordOf(row) : null;
  }

  /** The rules a workflow's file made. */
  async listByOwner(workflowId: string): Promise<AlertRuleRecord[]> {
    const rows = await this.deps.db.alertRule.findMany({ where: { ownerWorkflowId: workflowId }, include: { contacts: true }, orderBy: { id: 'asc' } });
    return rows.map(recordOf);
  }

  /** Creates the rule, or replaces it and its contact points when it exists; `ownerWorkflowId` is set when it is created. */
  async save(rule: { id: string; projectId: string; spec: AlertRuleSpec; contactPointIds: readonly string[]; actor: string | null; now: Date; ownerWorkflowId?: string }): Promise<AlertRuleRecord> {
    const columns = ruleColumns(rule.spec);
    const contacts = rule.contactPointIds.map((contactPointId) => ({ contactPointId }));
    const row = await this.deps.db.$transaction(async (tx) => {
      await tx.alertRuleContact.deleteMany({ where: { ruleId: rule.id } });
      return tx.alertRule.upsert({
        where: { id: rule.id },
        create: { id: rule.id, projectId: rule.projectId, ...columns, ownerWorkflowId: rule.ownerWorkflowId ?? null, createdBy: rule.actor, createdAt: rule.now, updatedAt: rule.now, contacts: { create: contacts } },
        update: { ...columns, updatedAt: rule.now, contacts: { create: contacts } },
        include: { contacts: true },
      });
    });
    return recordOf(row);
  }

  /** Which of these contact points exist in the project. */
  async contactPointsOf(projectId: string, ids: readonly string[]): Promise<Set<string>> {
    const rows = await this.deps.db.contactPoint.findMany({ where: { projectId, id: { in: [...ids] } }, select: { id: true } });
    return new Set(rows.map(({ id }) => id));
  }

  /** Deletes the rule with its alerts; false when it did not exist. */
  async delete(id: string): Promise<boolean> {
    return (await this.deps.db.alertRule.deleteMany({ where: { id } })).count > 0;
  }
}

function recordOf(row: AlertRuleRow & { contacts: AlertRuleContact[] }): AlertRuleRecord {
  return {
    id: row.id,
    projectId: row.projectId,
    spec: specOfStoredRule(row, row.id),
    contactPointIds: row.contacts.map(({ contactPointId }) => contactPointId),
    ownerWorkflowId: row.ownerWorkflowId,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
