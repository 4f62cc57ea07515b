'use client';

import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { graphql } from '../../_gql/index.ts';
import type { AlertRuleKind, RunStatus } from '../../_gql/graphql.ts';
import { ALERT_RULE_KINDS, countsStatuses, FAILURE_STATUSES, kindFields, LIFECYCLE_FIELDS, numberLabel, ruleInputOf, type AlertRuleForm } from '../../_lib/alert-rule-form.ts';
import { RUN_STATUSES } from '../../_lib/statuses.ts';
import { isRunTrigger, RUN_TRIGGER_ORDER, triggerLabel } from '../../_lib/triggers.ts';
import type { SelectOption } from '../option-select.tsx';
import { CheckboxGroup } from './checkbox-group.tsx';
import { RulePreview } from './rule-preview.tsx';

/** What the rule list shows and the editor starts from. */
export const ALERT_RULE_FIELDS = graphql(`
  fragment AlertRuleFields on AlertRule {
    id
    name
    kind
    enabled
    workflowIds
    statuses
    triggers
    count
    windowMinutes
    threshold
    minRuns
    resolveThreshold
    factor
    limitSeconds
    baselineRuns
    graceMinutes
    minDelta
    forSeconds
    keepFiringForSeconds
    groupWaitSeconds
    repeatIntervalSeconds
    contactPointIds
    ownerWorkflowId
  }
`);

const SAVE_RULE = graphql(`
  mutation SaveAlertRule($input: AlertRuleInput!) {
    saveAlertRule(input: $input) {
      ...AlertRuleFields
    }
  }
`);

const KINDS = Object.keys(ALERT_RULE_KINDS) as AlertRuleKind[];
const STATUS_OPTIONS = FAILURE_STATUSES.map((status) => ({ id: status, name: RUN_STATUSES[status].label }));
const TRIGGER_OPTIONS = RUN_TRIGGER_ORDER.map((trigger) => ({ id: trigger, name: triggerLabel(trigger) }));

function isFailureStatus(value: string): value is RunStatus {
  return FAILURE_STATUSES.some((status) => status === value);
}

function isKind(value: string): value is AlertRuleKind {
  return KINDS.some((kind) => kind === value);
}

interface RuleEditorProps {
  projectId: string;
  initial: AlertRuleForm;
  workflows: readonly SelectOption[];
  contactPoints: readonly SelectOption[];
  onDone(): void;
}

/** Creates or replaces a rule; the fields shown follow its kind, and the server's error is shown whole. */
export function RuleEditor({ projectId, initial, workflows, contactPoints, onDone }: RuleEditorProps) {
  const [form, setForm] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const [save, saving] = useMutation(SAVE_RULE, { onError: (error) => setProblem(error.message), onCompleted: onDone, refetchQueries: ['AlertRulesPage'] });
  const change = (part: Partial<AlertRuleForm>) => setForm((previous) => ({ ...previous, ...part }));
  const preview = ruleInputOf(projectId, form);

  return (
    <form
      className="form alert-form"
      aria-label={form.id ? 'Edit rule' : 'New rule'}
      onSubmit={(event) => {
        event.preventDefault();
        const result = ruleInputOf(projectId, form);
        setProblem(result.ok ? null : result.message);
        if (result.ok) void save({ variables: { input: result.input } });
      }}
    >
      <label className="field">
        <span className="field__label">Name</span>
        <input className="field__input" value={form.name} onChange={(event) => change({ name: event.target.value })} />
      </label>
      <label className="field">
        <span className="field__label">Kind</span>
        <select className="field__input" value={form.kind} onChange={(event) => isKind(event.target.value) && change({ kind: event.target.value })}>
          {KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {ALERT_RULE_KINDS[kind]}
            </option>
          ))}
        </select>
      </label>
      {[...kindFields(form.kind), ...LIFECYCLE_FIELDS].map((field) => (
        <label key={field} className="field">
          <span className="field__label">{numberLabel(field)}</span>
          <input className="field__input" inputMode="decimal" value={form[field]} placeholder="default" onChange={(event) => change({ [field]: event.target.value })} />
        </label>
      ))}
      <CheckboxGroup legend="Workflows (every workflow when none is chosen)" options={workflows} selected={form.workflowIds} emptyLabel="The project has no workflows yet." onChange={(workflowIds) => change({ workflowIds })} />
      {countsStatuses(form.kind) && (
        <CheckboxGroup
          legend="Counted as failures"
          options={STATUS_OPTIONS}
          selected={form.statuses}
          emptyLabel=""
          onChange={(statuses) => change({ statuses: statuses.filter(isFailureStatus) })}
        />
      )}
      <CheckboxGroup
        legend="Runs started by (every trigger when none is chosen)"
        options={TRIGGER_OPTIONS}
        selected={form.triggers}
        emptyLabel=""
        onChange={(triggers) => change({ triggers: triggers.filter(isRunTrigger) })}
      />
      <CheckboxGroup legend="Contact points" options={contactPoints} selected={form.contactPointIds} emptyLabel="No contact points yet: alerts are recorded but not sent." onChange={(contactPointIds) => change({ contactPointIds })} />
      <label className="checkbox-group__item">
        <input type="checkbox" checked={form.enabled} onChange={(event) => change({ enabled: event.target.checked })} /> Enabled
      </label>
      <RulePreview input={preview.ok ? preview.input : null} />
      {problem && (
        <p className="field__error" role="alert">
          {problem}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="button" disabled={saving.loading}>
          {saving.loading ? 'Saving…' : 'Save rule'}
        </button>
        <button type="button" className="button button--secondary" onClick={onDone}>
          Close
        </button>
      </div>
    </form>
  );
}
