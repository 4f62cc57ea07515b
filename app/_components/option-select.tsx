export interface SelectOption {
  id: string;
  name: string;
}

interface OptionSelectProps {
  label: string;
  value: string | null;
  options: readonly SelectOption[];
  /** The first choice, meaning "no restriction". */
  noneLabel: string;
  onChange(id: string | null): void;
  className?: string;
  /** Keep the label for screen readers only. */
  hideLabel?: boolean;
}

/** A labelled choice among named things, or none of them. */
export function OptionSelect({ label, value, options, noneLabel, onChange, className = 'field', hideLabel = false }: OptionSelectProps) {
  return (
    <label className={className}>
      <span className={hideLabel ? 'visually-hidden' : 'field__label'}>{label}</span>
      <select className="field__input" value={value ?? ''} onChange={(event) => onChange(event.target.value || null)}>
        <option value="">{noneLabel}</option>
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.name}
          </option>
        ))}
      </select>
    </label>
  );
}
