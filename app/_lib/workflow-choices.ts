import type { SelectOption } from '../_components/option-select.tsx';

export interface WorkflowChoice {
  id: string;
  name: string;
  project: { name: string };
}

/**
 * Workflows as options of a picker. Names are unique within a project only, so when the
 * workflows come from more than one project each reads "project / workflow", ordered that way.
 */
export function workflowChoices(workflows: readonly WorkflowChoice[]): SelectOption[] {
  const projects = new Set(workflows.map((workflow) => workflow.project.name));
  if (projects.size <= 1) return workflows.map((workflow) => ({ id: workflow.id, name: workflow.name }));
  return workflows.map((workflow) => ({ id: workflow.id, name: `${workflow.project.name} / ${workflow.name}` })).sort((a, b) => a.name.localeCompare(b.name));
}
