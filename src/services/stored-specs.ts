import { parseWorkflow } from '../domain/workflow/parse-workflow.ts';
import type { WorkflowSpec } from '../domain/workflow/workflow-spec.ts';

const MAX_ENTRIES = 1_000;

/**
 * The specs of stored definitions (validated when they were saved), parsed once per content:
 * the engine, the scheduler, run control and `nextFireAt` all read the same few versions.
 */
export class StoredSpecs {
  private readonly specs = new Map<string, WorkflowSpec | null>();

  /** Null only for a stored definition that no longer parses (the format got stricter). */
  of(stored: { definition: string; hash: string }, workflowName: string): WorkflowSpec | null {
    const key = `${stored.hash}\0${workflowName}`;
    const cached = this.specs.get(key);
    if (cached !== undefined) return cached;
    const parsed = parseWorkflow(stored.definition, { defaultName: workflowName });
    const spec = parsed.ok ? parsed.spec : null;
    if (this.specs.size >= MAX_ENTRIES) {
      const oldest = this.specs.keys().next();
      if (!oldest.done) this.specs.delete(oldest.value);
    }
    this.specs.set(key, spec);
    return spec;
  }
}
