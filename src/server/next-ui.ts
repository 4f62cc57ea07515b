import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import next from 'next';

export interface NextUi {
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
  close(): Promise<void>;
}

const projectRoot = path.resolve(__dirname, '..', '..');

/** The Next.js app in `app/`, served by this process (production build unless dev). */
export async function prepareNextUi(options: { dev: boolean; hostname: string; port: number }): Promise<NextUi> {
  const app = next({ dev: options.dev, dir: projectRoot, hostname: options.hostname, port: options.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const upgrade = app.getUpgradeHandler();
  return {
    handle: (request, response) => handle(request, response),
    handleUpgrade: (request, socket, head) => upgrade(request, socket, head),
    close: () => app.close(),
  };
}
