import ELK from 'elkjs/lib/elk.bundled.js';
import { layoutDag, type DagStep } from './dag-layout.ts';

// Laying out a large graph takes seconds (crossing reduction grows fast with long edges): here it never blocks the page.
const elk = new ELK();

self.onmessage = (event: MessageEvent<DagStep[]>) => {
  layoutDag(elk, event.data).then(
    (layout) => self.postMessage({ ok: true, layout }),
    (error: unknown) => self.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
};
