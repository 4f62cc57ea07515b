import { layoutDag, type DagStep } from './dag-layout.ts';

// Laying out a large graph takes seconds (crossing reduction grows fast with long edges): here it never blocks the page.
self.onmessage = (event: MessageEvent<DagStep[]>) => {
  self.postMessage(layoutDag(event.data));
};
