import type { StepSpec, WorkflowSpec } from './workflow-spec.ts';

/** What a step is, as the pages draw it: its executor, or `call` for a sub-workflow. */
export type WorkflowStepKind = 'command' | 'approval' | 'http' | 'jq' | 'mail' | 'ssh' | 'call';

/** A step of a workflow as its graph shows it: a node, its edges, and what it runs. */
export interface WorkflowStepView {
  name: string;
  depends: string[];
  kind: WorkflowStepKind;
  description: string | null;
  /** The sub-workflow a `call` step runs; null for every other kind. */
  call: string | null;
}

/** A declared param and the default a run gets when it does not set it. */
export interface WorkflowParamView {
  name: string;
  default: string | null;
}

/** The steps of a workflow in file order (handlers are not part of its graph). */
export function workflowStepsOf(spec: WorkflowSpec): WorkflowStepView[] {
  return spec.steps.map((step) => ({ name: step.name, depends: [...step.depends], kind: kindOf(step), description: step.description, call: step.call?.workflow ?? null }));
}

function kindOf(step: StepSpec): WorkflowStepKind {
  if (step.call) return 'call';
  if (step.type === 'approval') return 'approval';
  return step.executor.kind === 'shell' ? 'command' : step.executor.kind;
}

/** The params a workflow declares, in file order, with their defaults as written. */
export function workflowParamsOf(spec: WorkflowSpec): WorkflowParamView[] {
  return spec.params.map((param) => ({ name: param.name, default: param.value }));
}

/**
 * The outputs of a run: for each step of the spec with `output`, the value its StepRun captured,
 * listed under the output's `key` when the file gives one (Dagu's `output: {name, key, omit}`),
 * else its name; an output with `omit` is left out. A step that has not produced its output yet
 * (not run, failed before) is left out, so the answer only ever holds values a later step could
 * really read.
 */
export function runOutputsOf(spec: WorkflowSpec, steps: readonly { name: string; output: string | null }[]): Record<string, string> {
  const captured = new Map(steps.map((step) => [step.name, step.output]));
  const outputs: Record<string, string> = {};
  for (const step of spec.steps) {
    if (step.output === null || step.outputOptions.omit) continue;
    const value = captured.get(step.name);
    if (value !== undefined && value !== null) outputs[step.outputOptions.key ?? step.output] = value;
  }
  return outputs;
}
