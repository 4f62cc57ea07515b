import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import next from 'next';

export interface NextUi {
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
  close(): Promise<void>;
}

/**
 * Where the pages rendered on the server send their GraphQL operations: this process, at the
 * address the request came in on (app/_apollo/server-query.ts reads it).
 */
export const OWN_GRAPHQL_HEADER = 'x-runtrail-own-graphql';
/** The path and query the browser asked for, so a page sent to the login page comes back to it after. */
export const REQUESTED_PATH_HEADER = 'x-runtrail-requested-path';

const projectRoot = path.resolve(__dirname, '..', '..');

/** Where `next build` writes the production build the server serves. */
export const NEXT_DIST_DIR = path.join(projectRoot, '.next');

/**
 * The socket's own address reaches this server whatever it listens on (a port chosen at start,
 * 0.0.0.0, one interface); the Host header would let a caller point the server elsewhere.
 */
function ownGraphqlUrl(request: IncomingMessage): string | null {
  const { localAddress, localPort } = request.socket;
  if (!localAddress || !localPort) return null;
  const host = localAddress.includes(':') ? `[${localAddress}]` : localAddress;
  return `http://${host}:${localPort}/graphql`;
}

/** The Next.js app in `app/`, served by this process (production build unless dev). */
export async function prepareNextUi(options: { dev: boolean; hostname: string; port: number }): Promise<NextUi> {
  const app = next({ dev: options.dev, dir: projectRoot, hostname: options.hostname, port: options.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const upgrade = app.getUpgradeHandler();
  return {
    handle: (request, response) => {
      // Set on every request, so a value the caller sent is never the one the page uses.
      const own = ownGraphqlUrl(request);
      if (own) request.headers[OWN_GRAPHQL_HEADER] = own;
      else delete request.headers[OWN_GRAPHQL_HEADER];
      request.headers[REQUESTED_PATH_HEADER] = request.url ?? '/';
      return handle(request, response);
    },
    handleUpgrade: (request, socket, head) => upgrade(request, socket, head),
    close: () => app.close(),
  };
}
