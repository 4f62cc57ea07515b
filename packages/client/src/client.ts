import { resolveOptions, type ClientOptions } from './client-options.ts';
import { convertDateTimes, type DateMode, type Dated } from './dates.ts';
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
  type ClientProjectsQuery,
  type ClientRunFragment,
  type ClientRunSummaryFragment,
  type ClientRunEventsSubscription,
  type ClientRunQuery,
  type ClientStatusCountsFeedSubscription,
  type ClientViewerQuery,
  type RunFilter,
  type TypedDocumentString,
} from './generated/graphql.ts';
import { documentText, executeHttp, type StringDocument } from './http-transport.ts';
import { resumingFeed, type FeedOptions } from './live-feed.ts';
import { mutations, type Mutations, type Runner } from './mutations.ts';
import { pageRuns, type RunPages, type RunsOptions } from './runs-pager.ts';
import { WsTransport } from './ws-transport.ts';

/** Variables as a parameter: optional when the operation has no required variable. */
type VariablesArgument<TVariables> = Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

export type Run<M extends DateMode = 'string'> = Dated<ClientRunFragment, M>;
/** A run as pages of `runs()` show it: without its steps. */
export type RunSummary<M extends DateMode = 'string'> = Dated<ClientRunSummaryFragment, M>;
export type RunEvent<M extends DateMode = 'string'> = Dated<ClientRunEventsSubscription['runEvents'], M>;
export type AlertEvent<M extends DateMode = 'string'> = Dated<ClientAlertEventsSubscription['alertEvents'], M>;
export type StatusCounts = ClientStatusCountsFeedSubscription['statusCounts'];

export interface RunEventsOptions extends FeedOptions {
  filter?: RunFilter;
}

export interface AlertEventsOptions extends FeedOptions {
  projectIds?: string[];
}

export type StatusCountsOptions = Omit<FeedOptions, 'afterSeq' | 'onResync'> & { filter?: RunFilter };

export type RuntrailClient<M extends DateMode = 'string'> = Mutations<M> & {
  /** Any operation, such as one you generated with `documentMode: 'string'` (docs/client.md); its DateTimes stay strings. */
  request<TResult, TVariables>(document: StringDocument<TResult, TVariables>, ...variables: VariablesArgument<TVariables>): Promise<TResult>;
  /** One subscription as it comes, without resuming (runEvents/alertEvents/statusCounts resume by themselves). */
  subscribe<TResult, TVariables extends Record<string, unknown>>(document: StringDocument<TResult, TVariables>, variables: TVariables, signal?: AbortSignal): AsyncIterable<TResult>;
  viewer(): Promise<ClientViewerQuery['viewer']>;
  projects(): Promise<Dated<ClientProjectsQuery['projects'], M>>;
  /** The newest event seq: an `afterSeq` to follow from now. */
  headSnapshot(): Promise<string>;
  /** The run, or null when it does not exist or you may not read it. */
  run(id: string): Promise<Dated<ClientRunQuery['run'], M>>;
  runStatusCounts(filter?: RunFilter, snapshot?: string): Promise<StatusCounts>;
  /** Every run the filter selects, page by page at one snapshot (see RunPages). */
  runs(filter?: RunFilter, options?: RunsOptions): RunPages<RunSummary<M>>;
  /** Run and step status changes in seq order, reconnecting and resuming by itself. */
  runEvents(options?: RunEventsOptions): AsyncIterable<RunEvent<M>>;
  /** Alert transitions in seq order, reconnecting and resuming by itself. */
  alertEvents(options?: AlertEventsOptions): AsyncIterable<AlertEvent<M>>;
  /** The filter's counts now, then on each change; a reconnection pushes the counts anew. */
  statusCounts(options?: StatusCountsOptions): AsyncIterable<StatusCounts>;
  /** Ends every feed and closes the WebSocket, if one is open. */
  dispose(): Promise<void>;
};

export type CreateClientOptions<M extends DateMode> = ClientOptions & {
  /** DateTime values as ISO strings (`'string'`, the default) or as Date objects (`'date'`). */
  dates?: M;
};

export function createClient<M extends DateMode = 'string'>(options: CreateClientOptions<M>): RuntrailClient<M> {
  const resolved = resolveOptions(options);
  const dateMode: DateMode = options.dates ?? 'string';
  if (dateMode !== 'string' && dateMode !== 'date') throw new TypeError(`createClient: dates must be "string" or "date", not ${JSON.stringify(dateMode)}`);
  const ws = new WsTransport(resolved);
  // dispose() ends every feed, which would otherwise reconnect.
  const disposing = new AbortController();
  const feedOptions = <T extends FeedOptions>(feed: T): T => ({ ...feed, signal: eitherSignal(disposing.signal, feed.signal) });
  const convert = <T>(document: TypedDocumentString<T, never>, data: T): T => {
    if (dateMode === 'date') convertDateTimes(documentText(document).operationName, data);
    return data;
  };
  const runner: Runner<M> = {
    execute: async (document, variables) => convert(document, await executeHttp(resolved, document, variables)),
    // convert() turned exactly the fields codegen found to be DateTimes into Dates when the mode is 'date'.
    dated: (value) => value as Dated<typeof value, M>,
  };
  const { execute, dated } = runner;
  async function* live<TResult, TVariables extends Record<string, unknown>, TItem>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables, pick: (data: TResult) => TItem, signal: AbortSignal | undefined) {
    for await (const data of ws.subscribe(document, variables, signal)) yield pick(data);
  }
  /** A feed's items in the date mode; `field` is the subscription's root field, where the operation's paths start. */
  async function* datedFeed<TItem>(feed: AsyncIterable<TItem>, operation: string, field: string) {
    for await (const item of feed) {
      if (dateMode === 'date') convertDateTimes(operation, { [field]: item });
      yield dated(item);
    }
  }

  return {
    ...mutations(runner),
    request: (document, ...variables) => executeHttp(resolved, document, variables[0]),
    subscribe: (document, variables, signal) => ws.subscribe(document, variables, signal),
    viewer: async () => (await execute(ClientViewerDocument, {})).viewer,
    projects: async () => dated((await execute(ClientProjectsDocument, {})).projects),
    headSnapshot: async () => (await execute(ClientHeadSnapshotDocument, {})).headSnapshot,
    run: async (id) => dated((await execute(ClientRunDocument, { id })).run),
    runStatusCounts: async (filter, snapshot) => (await execute(ClientRunStatusCountsDocument, { filter, snapshot })).runStatusCounts,
    runs: (filter, runsOptions = {}) =>
      pageRuns(
        async (variables, signal) => convert(ClientRunsPageDocument, await executeHttp(resolved, ClientRunsPageDocument, variables, signal)),
        (node) => dated(node),
        filter ?? null,
        runsOptions,
      ),
    runEvents: ({ filter, ...options } = {}) => {
      const feed = feedOptions(options);
      const events = resumingFeed('ClientRunEvents', (afterSeq) => live(ClientRunEventsDocument, { filter, afterSeq }, (data) => data.runEvents, feed.signal), (event) => event.seq, feed);
      return datedFeed(events, 'ClientRunEvents', 'runEvents');
    },
    alertEvents: ({ projectIds, ...options } = {}) => {
      const feed = feedOptions(options);
      const events = resumingFeed('ClientAlertEvents', (afterSeq) => live(ClientAlertEventsDocument, { projectIds, afterSeq }, (data) => data.alertEvents, feed.signal), (event) => event.seq, feed);
      return datedFeed(events, 'ClientAlertEvents', 'alertEvents');
    },
    // Each (re)subscription pushes the counts at once, so it resumes by subscribing again.
    statusCounts: ({ filter, ...options } = {}) => {
      const feed = feedOptions(options);
      return resumingFeed('ClientStatusCountsFeed', () => live(ClientStatusCountsFeedDocument, { filter }, (data) => data.statusCounts, feed.signal), () => null, feed);
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
