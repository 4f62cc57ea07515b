import type { Writable } from 'node:stream';

/**
 * Lets a socket's first message of a turn of the event loop go at once, and holds the ones
 * after it until the work of the turn is done, then lets them go in one write (one writev
 * system call) per socket. Each event a subscriber receives is otherwise one system call of
 * its own, and that call, not our code, is most of what a delivery costs; a server that fell
 * behind reads several events from the bus in one turn and then pays for two calls per socket
 * instead of one per event, so it catches up instead of falling further behind. The first
 * goes at once because a server that keeps up has one message per socket in a turn: held, it
 * would wait for every other subscriber's message to be made, while the client could already
 * be reading it.
 */
export class TurnCork {
  /** The sockets given a message in this turn: the next ones they are given are held. */
  private written = new Set<Writable>();
  private corked: Writable[] = [];

  /** Call before each message written to the socket: the turn's first goes at once, the rest at the end of the turn. */
  hold(socket: Writable): void {
    if (socket.writableCorked > 0 || socket.destroyed) return;
    if (this.written.size === 0) process.nextTick(() => this.release());
    if (!this.written.has(socket)) {
      this.written.add(socket);
      return;
    }
    socket.cork();
    this.corked.push(socket);
  }

  private release(): void {
    this.written.clear();
    const corked = this.corked;
    this.corked = [];
    for (const socket of corked) socket.uncork();
  }
}
