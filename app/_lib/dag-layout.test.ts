import ELK from 'elkjs/lib/elk.bundled.js';
import { DAG_NODE_WIDTH, layoutDag } from './dag-layout.ts';

const elk = new ELK();

describe('layoutDag', () => {
  it('places every step right of the steps it depends on, with one edge per dependency', async () => {
    const layout = await layoutDag(elk, [
      { name: 'extract', depends: [] },
      { name: 'transform', depends: ['extract'] },
      { name: 'check', depends: ['extract'] },
      { name: 'load', depends: ['transform', 'check'] },
    ]);
    const x = new Map(layout.nodes.map((node) => [node.name, node.x]));

    expect(layout.nodes.map((node) => node.name)).toEqual(['extract', 'transform', 'check', 'load']);
    expect(x.get('transform')).toBeGreaterThanOrEqual((x.get('extract') ?? 0) + DAG_NODE_WIDTH);
    expect(x.get('load')).toBeGreaterThanOrEqual((x.get('check') ?? 0) + DAG_NODE_WIDTH);
    expect(layout.edges.map((edge) => `${edge.from}>${edge.to}`).sort()).toEqual(['check>load', 'extract>check', 'extract>transform', 'transform>load']);
    expect(layout.edges.every((edge) => edge.points.length >= 2)).toBe(true);
  });

  it('keeps every node inside the drawing it reports', async () => {
    const layout = await layoutDag(elk, [
      { name: 'a', depends: [] },
      { name: 'b', depends: [] },
      { name: 'c', depends: ['a', 'b'] },
    ]);

    for (const node of layout.nodes) {
      expect(node.x).toBeGreaterThanOrEqual(0);
      expect(node.y).toBeGreaterThanOrEqual(0);
      expect(node.x + DAG_NODE_WIDTH).toBeLessThanOrEqual(layout.width);
    }
  });

  it('lays out a chain of 1,000 steps, the longest a workflow may have, one after the other', async () => {
    const steps = Array.from({ length: 1_000 }, (_, index) => ({ name: `s${index}`, depends: index === 0 ? [] : [`s${index - 1}`] }));

    const layout = await layoutDag(elk, steps);

    expect(layout.nodes).toHaveLength(1_000);
    expect(layout.nodes.every((node, index) => index === 0 || node.x > (layout.nodes[index - 1]?.x ?? Infinity))).toBe(true);
  });

  it('draws no edge to a step it was not given', async () => {
    const layout = await layoutDag(elk, [{ name: 'only', depends: ['gone'] }]);

    expect(layout.nodes.map((node) => node.name)).toEqual(['only']);
    expect(layout.edges).toEqual([]);
  });
});
