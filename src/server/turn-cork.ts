import type { Writable } from 'node:stream';

/**
 * Holds a socket's writes until the work of the current turn of the event loop is done, then
 * lets them go in one write (one writev system call) per socket. Each event a subscriber
 * receives is otherwise one system call of its own, and that call, not our code, is most of
 * what a delivery costs; a server that fell behind reads several events from the bus in one
 * turn and then pays for one call per socket instead of one per event, so it catches up
 * instead of falling further behind. An event that arrives alone goes out at the end of its
 * turn, as before.
 */
export class TurnCork {
  private corked: Writable[] = [];

  /** Corks the socket until the end of this turn, unless this turn corked it already. */
  hold(socket: Writable): void {
    if (socket.writableCorked > 0 || socket.destroyed) return;
    socket.cork();
    if (this.corked.push(socket) === 1) process.nextTick(() => this.release());
  }

  private release(): void {
    const corked = this.corked;
    this.corked = [];
    for (const socket of corked) socket.uncork();
  }
}
