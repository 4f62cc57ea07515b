'use client';

import { useEffect, useMemo, useState } from 'react';
import type { DagLayout, DagStep } from '../_lib/dag-layout.ts';

/** How long the worker may lay out a graph before the page gives up on drawing it. */
export const DAG_LAYOUT_BUDGET_MS = 10_000;

export type DagLayoutState = { kind: 'ready'; layout: DagLayout } | { kind: 'laying-out' } | { kind: 'too-slow' } | { kind: 'failed'; message: string };

type WorkerAnswer = { ok: true; layout: DagLayout } | { ok: false; message: string };

/**
 * The layout of these steps, made in a web worker (see dag-layout.worker.ts); made again only
 * when a name or an edge changes, never for a status.
 */
export function useDagLayout(steps: readonly DagStep[]): DagLayoutState {
  const shapeKey = JSON.stringify(steps.map((step) => [step.name, step.depends]));
  // The key stands for the steps' shape: a new array with the same names and edges is the same graph.
  const shape = useMemo(() => steps.map((step) => ({ name: step.name, depends: [...step.depends] })), [shapeKey]);
  const [answer, setAnswer] = useState<{ shape: DagStep[]; state: DagLayoutState } | null>(null);

  useEffect(() => {
    if (shape.length === 0) return;
    const worker = new Worker(new URL('../_lib/dag-layout.worker.ts', import.meta.url));
    const settle = (state: DagLayoutState) => {
      window.clearTimeout(giveUp);
      worker.terminate();
      setAnswer({ shape, state });
    };
    const giveUp = window.setTimeout(() => settle({ kind: 'too-slow' }), DAG_LAYOUT_BUDGET_MS);
    worker.onmessage = (event: MessageEvent<WorkerAnswer>) => settle(event.data.ok ? { kind: 'ready', layout: event.data.layout } : { kind: 'failed', message: event.data.message });
    worker.onerror = (event) => settle({ kind: 'failed', message: event.message });
    worker.postMessage(shape);
    return () => {
      window.clearTimeout(giveUp);
      worker.terminate();
    };
  }, [shape]);

  return answer?.shape === shape ? answer.state : { kind: 'laying-out' };
}
