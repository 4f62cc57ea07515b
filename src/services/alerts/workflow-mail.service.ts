import { parseAlertRule, type AlertRuleKind } from '../../domain/alerts/alert-rule.ts';
import { readContactPointChange, type ContactPointRecord } from '../../domain/alerts/contact-point.ts';
import type { Clock } from '../../domain/clock.ts';
import { AppError } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import type { MailAddressing, WorkflowMail } from '../../domain/workflow/workflow-spec.ts';
import type { AlertRuleRepository } from '../../repositories/alert-rule.repository.ts';
import type { ContactPointRepository } from '../../repositories/contact-point.repository.ts';
import type { SecretBox } from './secret-box.ts';

/** Each kind of Dagu mail and the rule kind that sends it. */
const MAIL_KINDS: readonly { on: 'failure' | 'success'; rule: AlertRuleKind }[] = [
  { on: 'failure', rule: 'RUN_FAILED' },
  { on: 'success', rule: 'RUN_SUCCEEDED' },
];

/** The SMTP submission port over TLS from the first byte; any other port is plain, upgraded by STARTTLS. */
const SMTPS_PORT = 465;

/**
 * Dagu's `mailOn` as alerting: each kind of mail a workflow file turns on is an EMAIL contact
 * point (its `smtp` and `errorMail`/`infoMail`) and a rule of the workflow (RUN_FAILED,
 * RUN_SUCCEEDED) notifying it at once, both owned by the workflow: made, changed and removed
 * with the file, and refused to the API.
 */
export class WorkflowMailService {
  constructor(
    private readonly deps: {
      alertRules: AlertRuleRepository;
      contactPoints: ContactPointRepository;
      secrets: SecretBox;
      clock: Clock;
      /** A contact point that changed starts its circuit afresh. */
      forgetCircuit: (contactPointId: string) => void;
    },
  ) {}

  /** Brings the workflow's rules and contact points in line with what its file says now. */
  async sync(workflow: { id: string; projectId: string; name: string }, mail: WorkflowMail | null): Promise<void> {
    const rules = await this.deps.alertRules.listByOwner(workflow.id);
    const points = await this.deps.contactPoints.listByOwner(workflow.id);
    for (const kind of MAIL_KINDS) {
      const name = `${workflow.name}: mailOn.${kind.on}`;
      const rule = rules.find((candidate) => candidate.spec.condition.kind === kind.rule);
      const point = points.find((candidate) => candidate.name === name);
      const addressing = mail?.[kind.on] ?? null;
      if (!mail || !addressing) {
        if (rule) await this.deps.alertRules.delete(rule.id);
        if (point) {
          await this.deps.contactPoints.delete(point.id);
          this.deps.forgetCircuit(point.id);
        }
        continue;
      }
      const saved = await this.savePoint(workflow, name, mail.smtp, addressing, point ?? null);
      const spec = parseAlertRule({ name, kind: kind.rule, workflowIds: [workflow.id], groupWaitSeconds: 0, repeatIntervalSeconds: 0 });
      const now = this.deps.clock.now();
      await this.deps.alertRules.save({ id: rule?.id ?? newId('rule', now), projectId: workflow.projectId, spec, contactPointIds: [saved.id], actor: null, now, ownerWorkflowId: workflow.id });
    }
  }

  private async savePoint(workflow: { id: string; projectId: string }, name: string, smtp: WorkflowMail['smtp'], addressing: MailAddressing, existing: ContactPointRecord | null): Promise<ContactPointRecord> {
    const read = readContactPointChange(
      {
        projectId: workflow.projectId,
        name,
        kind: 'EMAIL',
        email: { host: smtp.host, port: smtp.port, secure: smtp.port === SMTPS_PORT, user: smtp.username, from: addressing.from, to: addressing.to, subjectPrefix: addressing.prefix },
        secret: smtp.password ?? '',
      },
      false,
    );
    if (!read.ok) throw new AppError('BAD_USER_INPUT', `The workflow's mail settings are invalid:\n${read.problems.join('\n')}`, { problems: read.problems });
    const id = existing?.id ?? newId('cpt', this.deps.clock.now());
    const secret = read.secret.keep || read.secret.secret === null ? null : this.deps.secrets.seal(read.secret.secret, id);
    const now = this.deps.clock.now();
    if (!existing) return this.deps.contactPoints.create({ id, projectId: workflow.projectId, name, settings: read.settings, secret, now, ownerWorkflowId: workflow.id });
    const updated = await this.deps.contactPoints.update(id, { name, settings: read.settings, secret, now });
    this.deps.forgetCircuit(id);
    return updated;
  }
}
