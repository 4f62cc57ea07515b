import Link from 'next/link';
import type { RunStatus } from '../../_gql/graphql.ts';
import { RunStatusBadge } from '../status-badge.tsx';

/** A run linked to this one through a `call` step: a child it started, or the parent that started it. */
export interface LinkedRun {
  id: string;
  status: RunStatus;
  workflow: { name: string };
}

/**
 * The sub-workflow runs of a run (Run.childRuns, each with the step that started it) and the run
 * that started it (Run.parentRun, Run.parentStep). Takes plain rows so the query that selects
 * those fields owns their shape.
 */
export function SubWorkflowRuns({ parent, parentStep, children }: { parent: LinkedRun | null; parentStep: string | null; children: readonly (LinkedRun & { parentStep: string | null })[] }) {
  if (!parent && children.length === 0) return null;
  return (
    <section className="card" aria-labelledby="sub-workflows-title">
      <h2 id="sub-workflows-title" className="card__title">
        Sub-workflows
      </h2>
      {parent && (
        <p>
          Started by step <strong>{parentStep ?? '—'}</strong> of <Link href={`/runs/${parent.id}`}>{parent.workflow.name}</Link> <RunStatusBadge status={parent.status} />
        </p>
      )}
      {children.length > 0 && (
        <ul className="sub-runs">
          {children.map((child) => (
            <li key={child.id} className="sub-runs__item">
              <span className="muted">{child.parentStep ?? '—'} →</span> <Link href={`/runs/${child.id}`}>{child.workflow.name}</Link> <RunStatusBadge status={child.status} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
