// Two floors in one bare node:http server (no routing, authentication, database or Apollo):
// - without a schema it answers each POST with the bytes our server answered for the same
//   request body: what any HTTP round trip of that size costs on this machine right now;
// - with our schema's SDL it executes each request with graphql-js (parse and validation cached
//   per query text, as Apollo caches them) over the data our server answered, so the answer is
//   built, checked against the schema and serialized as ours is: the ceiling of the stack itself.
// Compiled and run by plain node (bench/shared/children.ts): only type imports may leave node_modules.
import http from 'node:http';
import { buildSchema, execute, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Listening } from '../shared/children.ts';
import type { Exchange } from './api-history.ts';

/** The first and only message the bench sends: the answers, before the server listens. */
export interface BareHttpSetup {
  exchanges: Exchange[];
  /** Our schema's SDL: execute each request over the recorded data rather than replay its bytes. */
  schemaSdl?: string;
}

interface GraphQLRequest {
  query: string;
  operationName?: string;
  variables?: Record<string, unknown>;
}

type Answer = (body: string) => string | undefined;

function replaying(exchanges: Exchange[]): Answer {
  const answers = new Map(exchanges.map((exchange) => [exchange.request, exchange.response]));
  return (body) => answers.get(body);
}

function executing(exchanges: Exchange[], schema: GraphQLSchema): Answer {
  const data = new Map(exchanges.map((exchange) => [exchange.request, (JSON.parse(exchange.response) as { data: unknown }).data]));
  const documents = new Map<string, DocumentNode>();
  return (body) => {
    const rootValue = data.get(body);
    if (rootValue === undefined) return undefined;
    const request = JSON.parse(body) as GraphQLRequest;
    let document = documents.get(request.query);
    if (document === undefined) {
      document = parse(request.query);
      const errors = validate(schema, document);
      if (errors.length > 0) throw new Error(`the bench's query does not validate: ${errors.map((error) => error.message).join('; ')}`);
      documents.set(request.query, document);
    }
    // Every resolver is the default one reading the recorded data, so execution completes synchronously.
    const result = execute({ schema, document, rootValue, variableValues: request.variables, operationName: request.operationName });
    if ('then' in result) throw new Error('execution over recorded data went asynchronous');
    return JSON.stringify(result);
  };
}

function serve(setup: BareHttpSetup): void {
  const answer = setup.schemaSdl === undefined ? replaying(setup.exchanges) : executing(setup.exchanges, buildSchema(setup.schemaSdl));
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = request.method === 'POST' ? answer(Buffer.concat(chunks).toString('utf8')) : undefined;
      if (text === undefined) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('no answer for this request');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error(`unexpected address ${String(address)}`);
    process.send?.({ type: 'listening', port: address.port } satisfies Listening);
  });
}

process.once('message', serve);
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
// Ctrl-C reaches the whole process group: the bench stops this process in its own clean-up.
process.on('SIGINT', () => {});
