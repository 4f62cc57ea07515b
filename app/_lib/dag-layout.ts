import dagre from '@dagrejs/dagre';

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
const MARGIN = 12;

/** Left to right, as Dagu draws it: a step's dependencies stand to its left. */
export function layoutDag(steps: readonly DagStep[]): DagLayout {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 48, marginx: MARGIN, marginy: MARGIN });
  graph.setDefaultEdgeLabel(() => ({}));
  const names = new Set(steps.map((step) => step.name));
  for (const step of steps) graph.setNode(step.name, { width: DAG_NODE_WIDTH, height: DAG_NODE_HEIGHT });
  // Depends come resolved from a validated definition; this guard keeps dagre from inventing a node for a name it does not know.
  for (const step of steps) for (const dependency of step.depends) if (names.has(dependency)) graph.setEdge(dependency, step.name);
  dagre.layout(graph);
  const nodes = steps.map((step) => {
    const placed = graph.node(step.name);
    return { name: step.name, x: placed.x - DAG_NODE_WIDTH / 2, y: placed.y - DAG_NODE_HEIGHT / 2 };
  });
  const edges = graph.edges().map((edge) => ({ from: edge.v, to: edge.w, points: graph.edge(edge).points ?? [] }));
  const size = graph.graph();
  return { nodes, edges, width: size.width ?? 0, height: size.height ?? 0 };
}
