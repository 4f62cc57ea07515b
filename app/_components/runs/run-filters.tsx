'use client';

import { useEffect, useId, useState, type FormEvent } from 'react';
import type { RunStatus } from '../../_gql/graphql.ts';
import { toggled, withFilter, type RunsView } from '../../_lib/run-filters.ts';
import { RUN_STATUS_ORDER, RUN_STATUSES } from '../../_lib/statuses.ts';
import { RANGE_PRESETS, type RangePreset } from '../../_lib/time-range.ts';
import { RUN_TRIGGER_ORDER, triggerLabel } from '../../_lib/triggers.ts';
import { workflowChoices, type WorkflowChoice } from '../../_lib/workflow-choices.ts';
import { OptionSelect, type SelectOption } from '../option-select.tsx';

interface RunFiltersProps {
  view: RunsView;
  /** Runs per status under the other filters, at the page's snapshot; null while loading. */
  counts: Record<RunStatus, number> | null;
  projects: readonly SelectOption[];
  workflows: readonly WorkflowChoice[];
  onChange(view: RunsView): void;
}

/** datetime-local wants local time without a zone. */
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** A moment typed in local time, reported as an ISO instant (null when cleared). */
function LocalTimeField({ label, value, onChange }: { label: string; value: string | null; onChange(iso: string | null): void }) {
  return (
    <label className="field">
      <span className="field__label">{label}</span>
      <input type="datetime-local" className="field__input" value={toLocalInput(value)} onChange={(event) => onChange(event.target.value ? new Date(event.target.value).toISOString() : null)} />
    </label>
  );
}

/** Every filter of the runs page; each change becomes a new URL (see run-filters.ts). */
export function RunFilters({ view, counts, projects, workflows, onChange }: RunFiltersProps) {
  const searchId = useId();
  const [search, setSearch] = useState(view.search);
  useEffect(() => setSearch(view.search), [view.search]);
  const submitSearch = (event: FormEvent) => {
    event.preventDefault();
    onChange(withFilter(view, { search }));
  };

  return (
    <div className="run-filters">
      <fieldset className="run-filters__group">
        <legend className="run-filters__legend">Status</legend>
        <div className="chips">
          {RUN_STATUS_ORDER.map((status) => (
            <button
              key={status}
              type="button"
              className="chip"
              data-status={status}
              aria-pressed={view.statuses.includes(status)}
              onClick={() => onChange(withFilter(view, { statuses: toggled(view.statuses, status) }))}
            >
              <span className="status-badge__dot" style={{ background: RUN_STATUSES[status].color }} aria-hidden="true" />
              {RUN_STATUSES[status].label}
              <span className="chip__count">{counts ? counts[status].toLocaleString('en-US') : '…'}</span>
            </button>
          ))}
          {view.statuses.length > 0 && (
            <button type="button" className="chip chip--clear" onClick={() => onChange(withFilter(view, { statuses: [] }))}>
              Any status
            </button>
          )}
        </div>
      </fieldset>

      <div className="run-filters__row">
        <fieldset className="run-filters__group">
          <legend className="run-filters__legend">Created</legend>
          <div className="segmented" role="group" aria-label="Time range">
            <button type="button" className="segmented__option" aria-pressed={view.range === 'all'} onClick={() => onChange(withFilter(view, { range: 'all' }))}>
              Any time
            </button>
            {(Object.keys(RANGE_PRESETS) as RangePreset[]).map((preset) => (
              <button key={preset} type="button" className="segmented__option" aria-pressed={view.range === preset} onClick={() => onChange(withFilter(view, { range: preset }))}>
                {preset}
              </button>
            ))}
            <button
              type="button"
              className="segmented__option"
              aria-pressed={view.range === 'custom'}
              onClick={() => onChange(withFilter(view, { range: 'custom', from: view.from ?? new Date(Date.now() - 86_400_000).toISOString(), to: view.to }))}
            >
              Custom
            </button>
          </div>
          {view.range === 'custom' && (
            <div className="run-filters__custom">
              <LocalTimeField label="From" value={view.from} onChange={(from) => onChange(withFilter(view, { from }))} />
              <LocalTimeField label="Until" value={view.to} onChange={(to) => onChange(withFilter(view, { to }))} />
            </div>
          )}
        </fieldset>

        <OptionSelect
          label="Project"
          className="field run-filters__picker"
          value={view.projectId}
          options={projects}
          noneLabel="All my projects"
          onChange={(projectId) => onChange(withFilter(view, { projectId, workflowId: null }))}
        />

        <OptionSelect
          label="Workflow"
          className="field run-filters__picker"
          value={view.workflowId}
          options={workflowChoices(workflows)}
          noneLabel="All workflows"
          onChange={(workflowId) => onChange(withFilter(view, { workflowId }))}
        />

        <form className="field run-filters__search" role="search" onSubmit={submitSearch}>
          <label htmlFor={searchId} className="field__label">
            Search
          </label>
          <input
            id={searchId}
            type="search"
            className="field__input"
            placeholder="Workflow name or run id"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            onBlur={() => search !== view.search && onChange(withFilter(view, { search }))}
          />
        </form>
      </div>

      <fieldset className="run-filters__group">
        <legend className="run-filters__legend">Trigger</legend>
        <div className="chips">
          {RUN_TRIGGER_ORDER.map((trigger) => (
            <button
              key={trigger}
              type="button"
              className="chip"
              aria-pressed={view.triggers.includes(trigger)}
              onClick={() => onChange(withFilter(view, { triggers: toggled(view.triggers, trigger) }))}
            >
              {triggerLabel(trigger)}
            </button>
          ))}
        </div>
      </fieldset>
    </div>
  );
}
