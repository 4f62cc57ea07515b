// Ours: the history queries over HTTP as any client sends them (API.md), and their answers in
// the floor's canonical form (made after the clock stops).
import { BenchFailure } from '../shared/bench-failure.ts';
import { countsText, pageText, trendText, type PageAnswer, type StatusCount } from './answers.ts';

const RUNS_PAGE = `query BenchRunsPage($filter: RunFilter!, $first: Int!, $after: String) {
  runs(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id status createdAt } }
    pageInfo { hasNextPage endCursor }
    snapshot
  }
}`;

const STATUS_COUNTS = `query BenchStatusCounts($filter: RunFilter) {
  runStatusCounts(filter: $filter) { total byStatus { status count } snapshot }
}`;

const STATUS_TREND = `query BenchStatusTrend($from: DateTime!, $to: DateTime!) {
  runStatusTrend(bucket: HOUR, from: $from, to: $to) { start counts { status count } }
}`;

const PING = 'query BenchPing { __typename }';

interface RunsPageData {
  runs: {
    edges: { cursor: string; node: { id: string; status: string; createdAt: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    snapshot: string;
  };
}

interface StatusCountsData {
  runStatusCounts: { total: number; byStatus: StatusCount[]; snapshot: string };
}

interface StatusTrendData {
  runStatusTrend: { start: string; counts: StatusCount[] }[];
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export type ApiRunsPage = RunsPageData['runs'];
export type ApiCounts = StatusCountsData['runStatusCounts'];
export type ApiTrend = StatusTrendData['runStatusTrend'];

/** One request body and the answer's bytes, as they went over the wire. */
export interface Exchange {
  request: string;
  response: string;
}

export class ApiHistory {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  /** A query that touches no data: what every request pays for HTTP, auth and GraphQL. */
  async ping(): Promise<string> {
    return (await this.request<{ __typename: string }>('BenchPing', PING, {})).__typename;
  }

  async page(statuses: readonly string[], first: number, after: string | null): Promise<ApiRunsPage> {
    return (await this.request<RunsPageData>('BenchRunsPage', RUNS_PAGE, { filter: { statuses }, first, after })).runs;
  }

  /** The page's request body and the server's answer, byte for byte (checked to be an answer, not an error). */
  async pageExchange(statuses: readonly string[], first: number, after: string | null): Promise<Exchange> {
    return this.exchange('BenchRunsPage', RUNS_PAGE, { filter: { statuses }, first, after });
  }

  async counts(createdAfter: Date | null): Promise<ApiCounts> {
    return (await this.request<StatusCountsData>('BenchStatusCounts', STATUS_COUNTS, countsVariables(createdAfter))).runStatusCounts;
  }

  /** As `pageExchange`, for the status counts. */
  async countsExchange(createdAfter: Date | null): Promise<Exchange> {
    return this.exchange('BenchStatusCounts', STATUS_COUNTS, countsVariables(createdAfter));
  }

  async trend(from: Date, to: Date): Promise<ApiTrend> {
    return (await this.request<StatusTrendData>('BenchStatusTrend', STATUS_TREND, { from: from.toISOString(), to: to.toISOString() })).runStatusTrend;
  }

  private async exchange(operationName: string, query: string, variables: Record<string, unknown>): Promise<Exchange> {
    const request = requestBody(operationName, query, variables);
    const { status, text } = await this.post(request);
    answerData(operationName, status, text);
    return { request, response: text };
  }

  private async request<T>(operationName: string, query: string, variables: Record<string, unknown>): Promise<T> {
    const { status, text } = await this.post(requestBody(operationName, query, variables));
    return answerData<T>(operationName, status, text);
  }

  private async post(body: string): Promise<{ status: number; text: string }> {
    // Node's fetch keeps the connection alive between these sequential requests.
    const response = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body,
    });
    return { status: response.status, text: await response.text() };
  }
}

function countsVariables(createdAfter: Date | null): Record<string, unknown> {
  return { filter: createdAfter === null ? null : { createdAfter: createdAfter.toISOString() } };
}

function requestBody(operationName: string, query: string, variables: Record<string, unknown>): string {
  return JSON.stringify({ operationName, query, variables });
}

function answerData<T>(operationName: string, status: number, text: string): T {
  let body: GraphQLResponse<T>;
  try {
    body = JSON.parse(text) as GraphQLResponse<T>;
  } catch {
    throw new BenchFailure(`${operationName}: HTTP ${status} with a body that is not JSON: ${text.slice(0, 300)}`);
  }
  if (body.errors && body.errors.length > 0) {
    const messages = body.errors.map((error) => `${error.message}${error.extensions?.code ? ` [${error.extensions.code}]` : ''}`);
    throw new BenchFailure(`${operationName} answered HTTP ${status} with GraphQL errors:\n  ${messages.join('\n  ')}`);
  }
  if (!body.data) throw new BenchFailure(`${operationName}: HTTP ${status} without data: ${text.slice(0, 300)}`);
  return body.data;
}

export function apiPage(runs: ApiRunsPage): PageAnswer {
  return { ids: runs.edges.map((edge) => edge.node.id), hasNextPage: runs.pageInfo.hasNextPage };
}

export function apiPageText(runs: ApiRunsPage): string {
  return pageText(apiPage(runs));
}

export function apiCountsText(counts: ApiCounts): string {
  return countsText(counts.total, counts.byStatus);
}

export function apiTrendText(trend: ApiTrend): string {
  return trendText(trend.map((point) => ({ startMs: Date.parse(point.start), counts: point.counts })));
}
