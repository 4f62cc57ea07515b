'use client';

import type { AlertsView } from '../../_lib/alert-filters.ts';
import { ALERT_STATE_LABELS, ALERT_STATE_ORDER } from '../../_lib/alert-filters.ts';
import { toggled } from '../../_lib/run-filters.ts';
import { OptionSelect, type SelectOption } from '../option-select.tsx';

interface AlertFiltersProps {
  view: AlertsView;
  projects: readonly SelectOption[];
  /** The rules of the chosen project; empty when no project is chosen. */
  rules: readonly SelectOption[];
  onChange(view: AlertsView): void;
}

/** The filters of the alerts page; each change becomes a new URL (see alert-filters.ts). */
export function AlertFilters({ view, projects, rules, onChange }: AlertFiltersProps) {
  return (
    <div className="run-filters">
      <fieldset className="run-filters__group">
        <legend className="run-filters__legend">State</legend>
        <div className="chips">
          {ALERT_STATE_ORDER.map((state) => (
            <button key={state} type="button" className="chip" aria-pressed={view.states.includes(state)} onClick={() => onChange({ ...view, states: toggled(view.states, state) })}>
              {ALERT_STATE_LABELS[state]}
            </button>
          ))}
          {view.states.length > 0 && (
            <button type="button" className="chip chip--clear" onClick={() => onChange({ ...view, states: [] })}>
              Any state
            </button>
          )}
        </div>
      </fieldset>
      <div className="run-filters__row">
        <OptionSelect
          label="Project"
          className="field run-filters__picker"
          value={view.projectId}
          options={projects}
          noneLabel="All my projects"
          onChange={(projectId) => onChange({ ...view, projectId, ruleId: null })}
        />
        {view.projectId && (
          <OptionSelect label="Rule" className="field run-filters__picker" value={view.ruleId} options={rules} noneLabel="Every rule" onChange={(ruleId) => onChange({ ...view, ruleId })} />
        )}
      </div>
    </div>
  );
}
