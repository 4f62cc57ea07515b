import { formatProblems, parseWorkflow } from '../domain/workflow/parse-workflow.ts';
import type { WorkflowSpec } from '../domain/workflow/workflow-spec.ts';

/** A workflow file a test expects to be valid: its spec, or an error listing every problem. */
export function parseValid(yamlText: string, defaultName = 'wf'): WorkflowSpec {
  const result = parseWorkflow(yamlText, { defaultName });
  if (!result.ok) throw new Error(`expected a valid workflow, got:\n${formatProblems(result.problems)}`);
  return result.spec;
}

/** A workflow file a test expects to be refused: its problems as `runtrail validate` prints them for `<defaultName>.yaml`. */
export function problemsOf(yamlText: string, defaultName = 'wf'): string {
  const result = parseWorkflow(yamlText, { defaultName });
  if (result.ok) throw new Error('expected problems, but the workflow is valid');
  return formatProblems(result.problems, `${defaultName}.yaml`);
}
