import type { SelectOption } from '../option-select.tsx';
import { toggled } from '../../_lib/run-filters.ts';

interface CheckboxGroupProps {
  legend: string;
  options: readonly SelectOption[];
  selected: readonly string[];
  /** Said when there is nothing to choose from. */
  emptyLabel: string;
  onChange(selected: string[]): void;
}

/** A choice of several named things. */
export function CheckboxGroup({ legend, options, selected, emptyLabel, onChange }: CheckboxGroupProps) {
  return (
    <fieldset className="run-filters__group checkbox-group">
      <legend className="run-filters__legend">{legend}</legend>
      {options.length === 0 && <p className="muted">{emptyLabel}</p>}
      {options.map((option) => (
        <label key={option.id} className="checkbox-group__item">
          <input type="checkbox" checked={selected.includes(option.id)} onChange={() => onChange(toggled(selected, option.id))} /> {option.name}
        </label>
      ))}
    </fieldset>
  );
}
