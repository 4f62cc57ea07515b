import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { ServerProcess } from './server-process.ts';

export interface StreamedEvent {
  seq: string;
  kind: string;
  to: string;
  run: { id: string };
}

const WORKFLOW = 'name: two-steps\nsteps:\n  - name: a\n    command: "true"\n  - name: b\n    command: "true"\n    depends: [a]\n';

/** GraphQL over HTTP and WebSocket to a server process, as one token. */
export function processClient(token: () => string) {
  async function graphql<T>(server: ServerProcess, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token()}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    if (!body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
    return body.data;
  }

  return {
    graphql,

    /** Streams `runEvents` from `afterSeq` until `enough` holds, then unsubscribes. */
    streamFrom(server: ServerProcess, afterSeq: string, enough: (events: StreamedEvent[]) => boolean): Promise<StreamedEvent[]> {
      const client = createClient({ url: `${server.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${token()}` } });
      const events: StreamedEvent[] = [];
      return new Promise<StreamedEvent[]>((resolve, reject) => {
        const stop = client.subscribe<{ runEvents: StreamedEvent }>(
          { query: 'subscription ($afterSeq: String) { runEvents(afterSeq: $afterSeq) { seq kind to run { id } } }', variables: { afterSeq } },
          {
            next: (value) => {
              const event = value.data?.runEvents;
              if (!event) return reject(new Error(JSON.stringify(value.errors)));
              events.push(event);
              if (enough(events)) {
                stop();
                resolve(events);
              }
            },
            error: reject,
            complete: () => resolve(events),
          },
        );
      }).finally(() => client.dispose());
    },

    /** Saves a two-step workflow in the first project and triggers it; returns the run id. */
    async triggerTwoSteps(server: ServerProcess): Promise<string> {
      const { projects } = await graphql<{ projects: { id: string }[] }>(server, '{ projects { id } }');
      const { saveWorkflow } = await graphql<{ saveWorkflow: { id: string } }>(server, 'mutation ($p: ID!, $y: String!) { saveWorkflow(projectId: $p, yaml: $y) { id } }', {
        p: projects[0]?.id,
        y: WORKFLOW,
      });
      const { triggerRun } = await graphql<{ triggerRun: { id: string } }>(server, 'mutation ($w: ID!) { triggerRun(workflowId: $w) { id } }', { w: saveWorkflow.id });
      return triggerRun.id;
    },

    /** The seqs of these runs' events, in order. */
    async eventSeqs(server: ServerProcess, runIds: readonly string[]): Promise<string[]> {
      const seqs: string[] = [];
      for (const id of runIds) {
        const { run } = await graphql<{ run: { events: { seq: string }[] } }>(server, 'query ($id: ID!) { run(id: $id) { events { seq } } }', { id });
        seqs.push(...run.events.map((event) => event.seq));
      }
      return seqs.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    },
  };
}

export function runEnded(runId?: string) {
  return (events: StreamedEvent[]) => events.some((event) => (runId === undefined || event.run.id === runId) && event.kind === 'RUN' && event.to === 'SUCCEEDED');
}
