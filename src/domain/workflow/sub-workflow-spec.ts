import type { NamedValue } from './executor-spec.ts';

/**
 * A step that runs another workflow (Dagu's `call`, formerly `run`): each child is a run of its
 * own, triggered SUBDAG and linked to the step that started it.
 */
export interface SubWorkflowCall {
  /** A workflow of the same project, or a local one defined in the same file after `---`. */
  workflow: string;
  /** Given to each child; values keep their references (`${ITEM}` among them) until the step starts. */
  params: NamedValue[];
  /** Null: one child. */
  parallel: ParallelSpec | null;
}

export interface ParallelSpec {
  /** The items as written (objects as JSON), or a `${VAR}` reference read when the step starts. */
  items: { kind: 'list'; values: string[] } | { kind: 'reference'; text: string };
  maxConcurrent: number;
}

/** Dagu's default and the most children one parallel step may run at once. */
export const DEFAULT_MAX_CONCURRENT = 10;
export const MAX_CONCURRENT_LIMIT = 100;
/** The most items one parallel step may start: each is a run of its own. */
export const MAX_PARALLEL_ITEMS = 1_000;
/** How deep calls may nest (a workflow calling itself would otherwise never end). */
export const MAX_CALL_DEPTH = 10;

/** The items of a `parallel: ${VAR}` reference once expanded: a JSON array, or else one item a non-empty line. */
export function parallelItems(expanded: string): string[] {
  const text = expanded.trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
    } catch {
      // Not JSON after all: read as lines below, as Dagu does.
    }
  }
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
