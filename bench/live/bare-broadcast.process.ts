// The floor: a bare `ws` server that sends each message it is handed over IPC to every
// connected client, as ws's own broadcast example does (one Buffer, one send per client).
import { WebSocketServer } from 'ws';
import type { Listening } from '../shared/children.ts';

/** A message to send to every connected client. */
export interface ToBroadcast {
  text: string;
}

const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });

server.on('listening', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`unexpected address ${String(address)}`);
  process.send?.({ type: 'listening', port: address.port } satisfies Listening);
});

process.on('message', (message: ToBroadcast) => {
  const data = Buffer.from(message.text);
  for (const client of server.clients) client.send(data, { binary: false });
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
// Ctrl-C reaches the whole process group: the bench stops this process in its own clean-up.
process.on('SIGINT', () => {});
