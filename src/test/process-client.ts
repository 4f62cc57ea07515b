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

export interface Follower {
  /** Resolves with the events so far once `enough` holds; rejects when the stream ends first. */
  until(enough: (events: StreamedEvent[]) => boolean): Promise<StreamedEvent[]>;
  stop(): void;
}

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

  /** Subscribes to `runEvents` from `afterSeq` and keeps every event until stopped. */
  function follow(server: ServerProcess, afterSeq: string): Follower {
    const client = createClient({ url: `${server.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${token()}` } });
    const events: StreamedEvent[] = [];
    const waiting = new Set<{ enough: (events: StreamedEvent[]) => boolean; resolve: (events: StreamedEvent[]) => void; reject: (error: unknown) => void }>();
    let ended: { error: unknown } | null = null;
    const settle = () => {
      for (const waiter of waiting) {
        if (waiter.enough(events)) waiter.resolve(events);
        else if (ended) waiter.reject(ended.error ?? new Error(`The stream ended after ${events.length} events`));
        else continue;
        waiting.delete(waiter);
      }
    };
    const unsubscribe = client.subscribe<{ runEvents: StreamedEvent }>(
      { query: 'subscription ($afterSeq: String) { runEvents(afterSeq: $afterSeq) { seq kind to run { id } } }', variables: { afterSeq } },
      {
        next: (value) => {
          const event = value.data?.runEvents;
          if (event) events.push(event);
          else ended = { error: new Error(JSON.stringify(value.errors)) };
          settle();
        },
        error: (error: unknown) => {
          ended = { error };
          settle();
        },
        complete: () => {
          ended = { error: null };
          settle();
        },
      },
    );
    return {
      until: (enough) =>
        new Promise((resolve, reject) => {
          waiting.add({ enough, resolve, reject });
          settle();
        }),
      stop: () => {
        unsubscribe();
        void client.dispose();
      },
    };
  }

  return {
    graphql,

    /** Streams `runEvents` from `afterSeq` until `enough` holds, then unsubscribes. */
    async streamFrom(server: ServerProcess, afterSeq: string, enough: (events: StreamedEvent[]) => boolean): Promise<StreamedEvent[]> {
      const follower = follow(server, afterSeq);
      try {
        return await follower.until(enough);
      } finally {
        follower.stop();
      }
    },

    follow,

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
