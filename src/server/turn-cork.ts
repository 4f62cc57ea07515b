import type { Writable } from 'node:stream';

/**
 * Decides when a socket's messages are written: at once while the process keeps up, together
 * at the end of the turn of the event loop while it catches up. Each event a subscriber
 * receives is otherwise one system call of its own, and that call, not our code, is most of
 * what a delivery costs; a server that fell behind reads several events from the bus in one
 * turn, and by writing each socket's messages of a turn in one call (one writev) it catches up
 * instead of falling further behind. A server that keeps up has one message per socket in a
 * turn: held to the end of the turn, it would wait for every other subscriber's message to be
 * made while the client could already be reading it. So a turn's first message to a socket is
 * written at once, the ones after it in the turn together at its end; and once a turn gave
 * some socket more than one message, the next turn holds every message, the first too, until
 * a turn gives each socket one at most.
 */
export class TurnCork {
  /** The sockets given a message in this turn. */
  private written = new Set<Writable>();
  private corked: Writable[] = [];
  /** Whether some socket was given more than one message in this turn. */
  private coalescing = false;
  /** Whether the last turn with messages gave some socket more than one: every message is held. */
  private catchingUp = false;

  /** Call before each message written to the socket. */
  hold(socket: Writable): void {
    if (socket.destroyed) return;
    if (this.written.size === 0) process.nextTick(() => this.release());
    if (this.written.has(socket)) this.coalescing = true;
    else {
      this.written.add(socket);
      if (!this.catchingUp) return;
    }
    if (socket.writableCorked > 0) return;
    socket.cork();
    this.corked.push(socket);
  }

  private release(): void {
    this.catchingUp = this.coalescing;
    this.coalescing = false;
    this.written.clear();
    const corked = this.corked;
    this.corked = [];
    for (const socket of corked) socket.uncork();
  }
}
