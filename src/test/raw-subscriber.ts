import WebSocket from 'ws';

export interface WireMessage {
  type: string;
  id?: string;
  payload?: unknown;
}

/** How a subscription ended: its `complete` or `error` message, or the socket closing first. */
export type SubscriptionEnd = WireMessage | { type: 'closed'; code: number };

export interface RawSubscription {
  /** The payloads of the `next` messages read so far. */
  readonly nexts: unknown[];
  ended: Promise<SubscriptionEnd>;
  /** Resolves once this many `next` messages were read. */
  received(count: number): Promise<void>;
  /** Stops reading the socket, as a stalled client does: what the server sends piles up in the kernel's buffers. */
  pause(): void;
  resume(): void;
  close(): void;
}

/**
 * One subscription over a bare `ws` socket speaking graphql-transport-ws: the official client
 * reads whatever arrives, but a test of a slow reader needs to stop reading the socket itself.
 * Resolves once the server acknowledged the connection and the subscribe message is sent.
 */
export async function openRawSubscription(url: string, token: string, request: { query: string; variables?: Record<string, unknown> }): Promise<RawSubscription> {
  const connection = await openRawConnection(url, token);
  connection.send({ id: '1', type: 'subscribe', payload: request });
  const nexts = () => connection.messages.filter((message) => message.type === 'next').map((message) => message.payload);
  const endOf = (messages: WireMessage[]) => messages.find((message) => message.type === 'complete' || message.type === 'error');
  const ended = Promise.race<SubscriptionEnd>([
    connection.until((messages) => endOf(messages) !== undefined).then(() => endOf(connection.messages) ?? { type: 'closed', code: 0 }),
    connection.closed.then((code) => ({ type: 'closed', code })),
  ]);
  return {
    get nexts() {
      return nexts();
    },
    ended,
    received: (count) => connection.until(() => nexts().length >= count),
    pause: () => connection.pause(),
    resume: () => connection.resume(),
    close: () => connection.close(),
  };
}

export interface RawConnection {
  /** Every message read so far. */
  messages: WireMessage[];
  /** Resolves once `enough` holds for the messages read so far. */
  until(enough: (messages: WireMessage[]) => boolean): Promise<void>;
  send(message: WireMessage): void;
  pause(): void;
  resume(): void;
  closed: Promise<number>;
  close(): void;
}

/** A graphql-transport-ws connection over a bare `ws` socket, acknowledged, for sending operations by hand and reading (or not) what comes back. */
export function openRawConnection(url: string, token: string): Promise<RawConnection> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const messages: WireMessage[] = [];
  const waiting = new Set<{ enough: (messages: WireMessage[]) => boolean; resolve: () => void }>();
  const closed = new Promise<number>((resolve) => socket.once('close', (code: number) => resolve(code)));
  const connection: RawConnection = {
    messages,
    until: (enough) =>
      enough(messages)
        ? Promise.resolve()
        : new Promise((resolve) => {
            waiting.add({ enough, resolve });
          }),
    send: (message) => socket.send(JSON.stringify(message)),
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    closed,
    close: () => socket.close(),
  };
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as WireMessage;
      if (message.type === 'connection_ack') resolve(connection);
      messages.push(message);
      for (const waiter of waiting) {
        if (!waiter.enough(messages)) continue;
        waiting.delete(waiter);
        waiter.resolve();
      }
    });
  });
}
