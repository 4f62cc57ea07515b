import { resolveOptions, type ClientOptions } from './client-options.ts';
import {
  ClientAlertEventsDocument,
  ClientHeadSnapshotDocument,
  ClientProjectsDocument,
  ClientRunDocument,
  ClientRunEventsDocument,
  ClientRunsPageDocument,
  ClientRunStatusCountsDocument,
  ClientStatusCountsFeedDocument,
  ClientViewerDocument,
  type ClientAlertEventsSubscription,
  type ClientRunEventsSubscription,
  type ClientStatusCountsFeedSubscription,
  type RunFilter,
} from './generated/graphql.ts';
import { executeHttp, type StringDocument } from './http-transport.ts';
import { resumingFeed, type FeedOptions } from './live-feed.ts';
import { mutations, type Execute, type Mutations } from './mutations.ts';
import { pageRuns, type RunPages, type RunsOptions } from './runs-pager.ts';
import { WsTransport } from './ws-transport.ts';

/** Variables as a parameter: optional when the operation has no required variable. */
type VariablesArgument<TVariables> = Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

export type RunEvent = ClientRunEventsSubscription['runEvents'];
export type AlertEvent = ClientAlertEventsSubscription['alertEvents'];
export type StatusCounts = ClientStatusCountsFeedSubscription['statusCounts'];

export interface RunEventsOptions extends FeedOptions {
  filter?: RunFilter;
}

export interface AlertEventsOptions extends FeedOptions {
  projectIds?: string[];
}

export type StatusCountsOptions = Omit<FeedOptions, 'afterSeq' | 'onResync'> & { filter?: RunFilter };

export interface RuntrailClient extends Mutations {
  /** Any operation, such as one you generated with `documentMode: 'string'` (docs/client.md). */
  request<TResult, TVariables>(document: StringDocument<TResult, TVariables>, ...variables: VariablesArgument<TVariables>): Promise<TResult>;
  /** One subscription as it comes, without resuming (runEvents/alertEvents/statusCounts resume by themselves). */
  subscribe<TResult, TVariables extends Record<string, unknown>>(document: StringDocument<TResult, TVariables>, variables: TVariables, signal?: AbortSignal): AsyncIterable<TResult>;
  viewer(): Promise<import('./generated/graphql.ts').ClientViewerQuery['viewer']>;
  projects(): Promise<import('./generated/graphql.ts').ClientProjectsQuery['projects']>;
  headSnapshot(): Promise<string>;
  run(id: string): Promise<import('./generated/graphql.ts').ClientRunQuery['run']>;
  runStatusCounts(filter?: RunFilter, snapshot?: string): Promise<StatusCounts>;
  runs(filter?: RunFilter, options?: RunsOptions): RunPages;
  runEvents(options?: RunEventsOptions): AsyncIterable<RunEvent>;
  alertEvents(options?: AlertEventsOptions): AsyncIterable<AlertEvent>;
  statusCounts(options?: StatusCountsOptions): AsyncIterable<StatusCounts>;
  /** Closes the WebSocket, if one is open. */
  dispose(): Promise<void>;
}

export function createClient(options: ClientOptions): RuntrailClient {
  const resolved = resolveOptions(options);
  const ws = new WsTransport(resolved);
  // dispose() ends every feed, which would otherwise reconnect.
  const disposing = new AbortController();
  const feedOptions = <T extends FeedOptions>(options: T): T => ({ ...options, signal: eitherSignal(disposing.signal, options.signal) });
  const execute: Execute = (document, variables) => executeHttp(resolved, document, variables);

  return {
    ...mutations(execute),
    request: (document, ...variables) => executeHttp(resolved, document, variables[0]),
    subscribe: (document, variables, signal) => ws.subscribe(document, variables, signal),
    viewer: async () => (await execute(ClientViewerDocument, {})).viewer,
    projects: async () => (await execute(ClientProjectsDocument, {})).projects,
    headSnapshot: async () => (await execute(ClientHeadSnapshotDocument, {})).headSnapshot,
    run: async (id) => (await execute(ClientRunDocument, { id })).run,
    runStatusCounts: async (filter, snapshot) => (await execute(ClientRunStatusCountsDocument, { filter, snapshot })).runStatusCounts,
    runs: (filter, runsOptions = {}) => pageRuns((variables, signal) => executeHttp(resolved, ClientRunsPageDocument, variables, signal), filter ?? null, runsOptions),
    runEvents: ({ filter, ...options } = {}) => {
      const feed = feedOptions(options);
      return resumingFeed(
        (afterSeq) => mapped(ws.subscribe(ClientRunEventsDocument, { filter, afterSeq }, feed.signal), (data) => data.runEvents),
        (event) => event.seq,
        feed,
      );
    },
    alertEvents: ({ projectIds, ...options } = {}) => {
      const feed = feedOptions(options);
      return resumingFeed(
        (afterSeq) => mapped(ws.subscribe(ClientAlertEventsDocument, { projectIds, afterSeq }, feed.signal), (data) => data.alertEvents),
        (event) => event.seq,
        feed,
      );
    },
    // Each (re)subscription pushes the counts at once, so it resumes by subscribing again.
    statusCounts: ({ filter, ...options } = {}) => {
      const feed = feedOptions(options);
      return resumingFeed(
        () => mapped(ws.subscribe(ClientStatusCountsFeedDocument, { filter }, feed.signal), (data) => data.statusCounts),
        () => null,
        feed,
      );
    },
    dispose: () => {
      disposing.abort();
      return ws.dispose();
    },
  };
}

/** Aborted when either is (AbortSignal.any needs Node 20.3). */
function eitherSignal(first: AbortSignal, second: AbortSignal | undefined): AbortSignal {
  if (!second) return first;
  const both = new AbortController();
  const abort = () => both.abort();
  if (first.aborted || second.aborted) abort();
  first.addEventListener('abort', abort, { once: true });
  second.addEventListener('abort', abort, { once: true });
  return both.signal;
}

async function* mapped<TIn, TOut>(source: AsyncIterable<TIn>, map: (item: TIn) => TOut): AsyncGenerator<TOut, void, undefined> {
  for await (const item of source) yield map(item);
}
