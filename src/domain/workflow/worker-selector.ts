/**
 * Labels an executor carries (`runtrail worker --labels region=eu,gpu=yes`) and the
 * `workerSelector` of a workflow (Dagu's field): a run of the workflow goes only to an executor
 * that has every label of the selector, with the same value.
 */
export type Labels = Readonly<Record<string, string>>;

/** Labels one selector (or one executor) may name; matching costs one comparison per label. */
export const MAX_LABELS = 32;
/** Letters, digits, "_", ".", "-" and "/", starting with a letter or digit, up to 63 characters. */
export const LABEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_./-]{0,62}$/;
/**
 * Up to 128 letters, digits and "_", ".", "-", "/", ":", "@", "+": no "," or "=", so every value
 * can be written as `--labels name=value,...` too.
 */
export const LABEL_VALUE_PATTERN = /^[A-Za-z0-9_./:@+-]{1,128}$/;
export const LABEL_NAME_RULE = 'use up to 63 letters, digits, "_", ".", "-" and "/", starting with a letter or digit';
export const LABEL_VALUE_RULE = 'use 1 to 128 letters, digits, "_", ".", "-", "/", ":", "@" and "+"';

/** Whether an executor with these labels may run a workflow with this selector: every selector pair is one of its labels. */
export function matchesSelector(labels: Labels, selector: Labels): boolean {
  return Object.entries(selector).every(([name, value]) => Object.hasOwn(labels, name) && labels[name] === value);
}

/** `region=eu, gpu=yes`, in the order written. */
export function formatLabels(labels: Labels): string {
  return Object.entries(labels)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
}
