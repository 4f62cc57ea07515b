'use client';

import { useId, type KeyboardEvent } from 'react';
import type { StepStatus } from '../../_gql/graphql.ts';
import { useDagLayout } from '../../_hooks/use-dag-layout.ts';
import { DAG_NODE_HEIGHT, DAG_NODE_WIDTH, type DagEdge } from '../../_lib/dag-layout.ts';
import { countOf } from '../../_lib/plural.ts';
import { STEP_STATUSES } from '../../_lib/statuses.ts';

export interface GraphStep {
  name: string;
  depends: readonly string[];
  kind: string;
}

/** Characters of a step name that fit in a node; the whole name is in its tooltip. */
const NAME_FIT = 20;

function shortName(name: string): string {
  return name.length > NAME_FIT ? `${name.slice(0, NAME_FIT - 1)}…` : name;
}

function edgePath(edge: DagEdge): string {
  return edge.points.map((point, index) => `${index === 0 ? 'M' : 'L'}${point.x.toFixed(1)},${point.y.toFixed(1)}`).join(' ');
}

/** The steps in file order with what each waits for: what stands in for a graph that cannot be drawn. */
function StepList({ steps, selected, onSelect }: { steps: readonly GraphStep[]; selected: string | null; onSelect?: (name: string) => void }) {
  return (
    <ol className="dag__list" aria-label="Steps">
      {steps.map((step) => (
        <li key={step.name}>
          {onSelect ? (
            <button type="button" className="timeline__name" aria-pressed={selected === step.name} onClick={() => onSelect(step.name)}>
              {step.name}
            </button>
          ) : (
            step.name
          )}{' '}
          <span className="muted">{step.depends.length > 0 ? `after ${step.depends.join(', ')}` : 'first'}</span>
        </li>
      ))}
    </ol>
  );
}

/**
 * The steps of a workflow as a graph, left to right. With `statuses` (a run's), each node is
 * coloured by its step's status as it changes; without, it is the workflow's shape alone.
 */
export function DagGraph({
  steps,
  statuses,
  selected,
  onSelect,
  listInstead = false,
}: {
  steps: readonly GraphStep[];
  statuses?: ReadonlyMap<string, StepStatus>;
  selected?: string | null;
  onSelect?: (name: string) => void;
  /** Where the page lists the steps nowhere else: list them when the graph cannot be drawn. */
  listInstead?: boolean;
}) {
  const state = useDagLayout(steps);
  const arrowId = `${useId()}-arrow`;
  const count = countOf(steps.length, 'step', 'steps');
  if (steps.length === 0) return null;
  if (state.kind === 'laying-out') return <p className="muted dag__message">Laying out the graph of {count}…</p>;
  if (state.kind === 'too-slow' || state.kind === 'failed') {
    return (
      <>
        <p className="muted dag__message">
          {state.kind === 'too-slow' ? `The graph of ${count} takes too long to lay out in the browser` : `The graph could not be drawn (${state.message})`}; the steps are listed
          {listInstead ? ' here' : ' below'}.
        </p>
        {listInstead && <StepList steps={steps} selected={selected ?? null} onSelect={onSelect} />}
      </>
    );
  }
  const { layout } = state;
  const kinds = new Map(steps.map((step) => [step.name, step.kind]));
  const onKey = (name: string) => (event: KeyboardEvent) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    onSelect?.(name);
  };
  return (
    <div className="dag" role="group" aria-label={`Graph of ${count}`}>
      <svg width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`} className="dag__svg">
        <defs>
          <marker id={arrowId} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="dag__arrow" />
          </marker>
        </defs>
        {layout.edges.map((edge) => (
          <path key={`${edge.from}>${edge.to}`} d={edgePath(edge)} className="dag__edge" markerEnd={`url(#${arrowId})`} />
        ))}
        {layout.nodes.map((node) => {
          const status = statuses?.get(node.name);
          const look = status ? STEP_STATUSES[status] : null;
          const kind = kinds.get(node.name);
          const isSelected = selected === node.name;
          return (
            <g
              key={node.name}
              transform={`translate(${node.x},${node.y})`}
              className="dag__node"
              data-step={node.name}
              data-status={status}
              role={onSelect ? 'button' : undefined}
              tabIndex={onSelect ? 0 : undefined}
              aria-pressed={onSelect ? isSelected : undefined}
              aria-label={`${node.name}${look ? `: ${look.label}` : ''}${kind && kind !== 'command' ? ` (${kind})` : ''}`}
              onClick={onSelect ? () => onSelect(node.name) : undefined}
              onKeyDown={onSelect ? onKey(node.name) : undefined}
            >
              <title>{`${node.name}${look ? ` — ${look.label}` : ''}${kind && kind !== 'command' ? ` (${kind})` : ''}`}</title>
              <rect
                width={DAG_NODE_WIDTH}
                height={DAG_NODE_HEIGHT}
                rx={6}
                className={isSelected ? 'dag__box dag__box--selected' : 'dag__box'}
                style={look ? { stroke: look.color, fill: `color-mix(in srgb, ${look.color} 14%, var(--color-surface))` } : undefined}
              />
              <circle cx={14} cy={DAG_NODE_HEIGHT / 2} r={5} style={{ fill: look ? look.color : 'var(--color-border)' }} />
              <text x={26} y={DAG_NODE_HEIGHT / 2} dominantBaseline="central" className="dag__label">
                {shortName(node.name)}
              </text>
              {kind && kind !== 'command' && (
                <text x={DAG_NODE_WIDTH - 8} y={DAG_NODE_HEIGHT / 2} dominantBaseline="central" textAnchor="end" className="dag__kind">
                  {kind}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
