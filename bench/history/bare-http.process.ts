// The HTTP part of a page's floor: a bare node:http server that answers each POST with the
// bytes our server answered for the same request body. No routing, authentication or GraphQL:
// what it costs is what any HTTP round trip of that size costs on this machine right now.
// Compiled and run by plain node (bench/shared/children.ts): only type imports may leave node_modules.
import http from 'node:http';
import type { Listening } from '../shared/children.ts';
import type { Exchange } from './api-history.ts';

/** The first and only message the bench sends: the answers, before the server listens. */
export interface BareHttpSetup {
  exchanges: Exchange[];
}

function serve(setup: BareHttpSetup): void {
  const answers = new Map(setup.exchanges.map((exchange) => [exchange.request, Buffer.from(exchange.response)]));
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = request.method === 'POST' ? answers.get(Buffer.concat(chunks).toString('utf8')) : undefined;
      if (answer === undefined) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('no answer for this request');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': answer.length }).end(answer);
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
