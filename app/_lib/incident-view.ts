import type { IncidentAttributeKind } from '../_gql/graphql.ts';

export const ATTRIBUTE_KIND_LABELS: Record<IncidentAttributeKind, string> = {
  ERROR: 'Error',
  STEP: 'Failed step',
  WORKER: 'Worker',
  TRIGGER: 'Trigger',
  TAG: 'Tag',
};

/** "12.5×": how many times more often the members carry it than the window's other runs; below 1 it is rarer among them. */
export function formatLift(lift: number): string {
  if (!Number.isFinite(lift) || lift < 0) throw new Error(`A lift is a positive number (got ${lift})`);
  return `${lift >= 10 ? Math.round(lift) : lift.toFixed(1)}×`;
}

export function formatShare(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** "7 failures of 3 workflows in 2 projects": what the viewer sees of an incident, in a line. */
export function incidentSummary(incident: { memberCount: number; workflowIds: readonly string[]; projectIds: readonly string[] }): string {
  const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  return `${plural(incident.memberCount, 'failure', 'failures')} of ${plural(incident.workflowIds.length, 'workflow', 'workflows')} in ${plural(incident.projectIds.length, 'project', 'projects')}`;
}

/** The most telling shared attribute, as a headline: the first ranked one that the members carry more than usual. */
export function likelyCause(attributes: readonly { kind: IncidentAttributeKind; value: string; lift: number }[]): string | null {
  const top = attributes.find((attribute) => attribute.lift > 1);
  return top === undefined ? null : `${ATTRIBUTE_KIND_LABELS[top.kind]}: ${top.value}`;
}
