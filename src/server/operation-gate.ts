import type WebSocket from 'ws';
import { SLOW_SOCKET_BYTES } from './direct-next-messages.ts';

/** Queries and mutations of one connection that may run, or have their answer still in user space, at once. */
export const OPERATIONS_IN_FLIGHT = 4;

// How often a waiting gate looks again whether a slow socket has taken its bytes: ws announces no drain.
const DRAIN_CHECK_MS = 20;

/**
 * Bounds what the answers to one connection's queries and mutations can hold in memory, as
 * direct-next-messages does for subscription events: an operation starts only while fewer than
 * OPERATIONS_IN_FLIGHT others are running or still being written, and while the socket holds
 * no more than SLOW_SOCKET_BYTES not yet taken by the kernel. The others wait, and meanwhile
 * the socket is not read, so a client that sends without reading fills its own buffers rather
 * than the server's memory.
 */
export class OperationGate {
  private inFlight = 0;
  private waiting: ((admitted: boolean) => void)[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly socket: WebSocket) {}

  /** Resolves true once the operation may run (it must `leave` when its answer is written), or false when the socket closed first. */
  enter(): Promise<boolean> {
    if (this.waiting.length === 0 && this.canAdmit()) {
      this.inFlight += 1;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.socket.pause();
      this.admit();
    });
  }

  leave(): void {
    this.inFlight -= 1;
    this.admit();
  }

  /** The socket closed: nothing waiting will run. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve(false);
  }

  private canAdmit(): boolean {
    return this.inFlight < OPERATIONS_IN_FLIGHT && this.socket.bufferedAmount <= SLOW_SOCKET_BYTES;
  }

  private admit(): void {
    while (this.waiting.length > 0 && this.canAdmit()) {
      this.inFlight += 1;
      this.waiting.shift()?.(true);
    }
    if (this.waiting.length === 0) {
      if (this.socket.isPaused && this.socket.readyState === this.socket.OPEN) this.socket.resume();
    } else if (this.inFlight < OPERATIONS_IN_FLIGHT && !this.timer) {
      // Waiting for the socket, not for an operation to leave.
      this.timer = setTimeout(() => {
        this.timer = null;
        this.admit();
      }, DRAIN_CHECK_MS);
      this.timer.unref();
    }
  }
}
