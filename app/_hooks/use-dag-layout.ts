'use client';

import { useEffect, useMemo, useState } from 'react';
import { layoutDag, type DagLayout, type DagStep } from '../_lib/dag-layout.ts';

/** Up to this many steps the layout takes a few milliseconds: done in the render, with no flash of "laying out". */
export const DAG_SYNC_LAYOUT_MAX_STEPS = 60;
/** How long a worker may lay out a larger graph before the page gives up on drawing it. */
export const DAG_LAYOUT_BUDGET_MS = 10_000;

export type DagLayoutState = { kind: 'ready'; layout: DagLayout } | { kind: 'laying-out' } | { kind: 'too-slow' } | { kind: 'failed'; message: string };

/** The layout of these steps; recomputed only when a name or an edge changes, never for a status. */
export function useDagLayout(steps: readonly DagStep[]): DagLayoutState {
  const shapeKey = JSON.stringify(steps.map((step) => [step.name, step.depends]));
  // The key stands for the steps' shape: a new array with the same names and edges is the same graph.
  const shape = useMemo(() => steps.map((step) => ({ name: step.name, depends: [...step.depends] })), [shapeKey]);
  const small = shape.length <= DAG_SYNC_LAYOUT_MAX_STEPS;
  const syncLayout = useMemo(() => (small ? layoutDag(shape) : null), [small, shape]);
  const [workerState, setWorkerState] = useState<{ shape: DagStep[]; state: DagLayoutState } | null>(null);

  useEffect(() => {
    if (small) return;
    const worker = new Worker(new URL('../_lib/dag-layout.worker.ts', import.meta.url));
    const giveUp = window.setTimeout(() => {
      worker.terminate();
      setWorkerState({ shape, state: { kind: 'too-slow' } });
    }, DAG_LAYOUT_BUDGET_MS);
    worker.onmessage = (event: MessageEvent<DagLayout>) => {
      window.clearTimeout(giveUp);
      worker.terminate();
      setWorkerState({ shape, state: { kind: 'ready', layout: event.data } });
    };
    worker.onerror = (event) => {
      window.clearTimeout(giveUp);
      worker.terminate();
      setWorkerState({ shape, state: { kind: 'failed', message: event.message } });
    };
    worker.postMessage(shape);
    return () => {
      window.clearTimeout(giveUp);
      worker.terminate();
    };
  }, [small, shape]);

  if (syncLayout) return { kind: 'ready', layout: syncLayout };
  return workerState?.shape === shape ? workerState.state : { kind: 'laying-out' };
}
