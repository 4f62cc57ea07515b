import type { ELK, ElkNode } from 'elkjs/lib/elk-api';

/** A step as the graph needs it: a node and the edges into it. */
export interface DagStep {
  name: string;
  depends: readonly string[];
}

export interface DagNode {
  name: string;
  /** Top-left corner, in SVG units. */
  x: number;
  y: number;
}

export interface DagEdge {
  from: string;
  to: string;
  points: { x: number; y: number }[];
}

export interface DagLayout {
  nodes: DagNode[];
  edges: DagEdge[];
  width: number;
  height: number;
}

export const DAG_NODE_WIDTH = 176;
export const DAG_NODE_HEIGHT = 36;

/** ELK's layered algorithm, left to right as Dagu draws it: a step's dependencies stand to its left. */
const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.padding': '[top=12,left=12,bottom=12,right=12]',
  'elk.spacing.nodeNode': '14',
  'elk.layered.spacing.nodeNodeBetweenLayers': '48',
  'elk.edgeRouting': 'POLYLINE',
};

/** The graph ELK is given: one node per step, one edge per dependency. */
export function elkGraphOf(steps: readonly DagStep[]): ElkNode {
  const names = new Set(steps.map((step) => step.name));
  return {
    id: 'workflow',
    layoutOptions: LAYOUT_OPTIONS,
    children: steps.map((step) => ({ id: step.name, width: DAG_NODE_WIDTH, height: DAG_NODE_HEIGHT })),
    // Depends come resolved from a validated definition; the guard keeps an edge from pointing at a node ELK was not given.
    edges: steps.flatMap((step) => step.depends.filter((dependency) => names.has(dependency)).map((dependency) => ({ id: `${dependency}>${step.name}`, sources: [dependency], targets: [step.name] }))),
  };
}

/** Where ELK put each step and how each edge runs. */
export async function layoutDag(elk: ELK, steps: readonly DagStep[]): Promise<DagLayout> {
  const laidOut = await elk.layout(elkGraphOf(steps));
  const nodes = (laidOut.children ?? []).map((node) => ({ name: node.id, x: node.x ?? 0, y: node.y ?? 0 }));
  const edges = (laidOut.edges ?? []).flatMap((edge) => {
    const [from] = edge.sources;
    const [to] = edge.targets;
    if (from === undefined || to === undefined) return [];
    const points = (edge.sections ?? []).flatMap((section) => [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]);
    return [{ from, to, points }];
  });
  return { nodes, edges, width: laidOut.width ?? 0, height: laidOut.height ?? 0 };
}
