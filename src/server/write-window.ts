import type { Writable } from 'node:stream';

/**
 * Decides when a socket's messages are written. Each write is a system call, and that call, not
 * our code, is most of what a delivery costs (on loopback the kernel's part of a small message
 * is about what all of ours is); at a thousand subscribers and a hundred events a second it is
 * what fills the machine. So a socket's messages go out together: those of one turn of the event
 * loop at its end, and once something was written, whatever comes in the next `windowMs` when
 * the window closes, in one write a socket, which opens the next window. A message that comes
 * when nothing was written for `windowMs` waits only for its turn to end, so a quiet stream pays
 * nothing for this; a busy one pays at most `windowMs` a message, and a process that fell
 * behind writes each socket's backlog in one call rather than one a message, so it catches up.
 */
export class WriteWindow {
  /** When the current window opened: a turn's writes after a quiet spell, or the close of the last window. */
  private openedAt = Number.NEGATIVE_INFINITY;
  /** Whether the turn that opened the window is still running: its messages go out at its end. */
  private inOpeningTurn = false;
  private corked: Writable[] = [];
  private closing: NodeJS.Timeout | null = null;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Call before each message written to the socket. */
  hold(socket: Writable): void {
    if (socket.destroyed) return;
    if (this.closing === null && !this.inOpeningTurn && this.now() - this.openedAt >= this.windowMs) this.open();
    else if (!this.inOpeningTurn) this.closing ??= setTimeout(() => this.close(), Math.max(0, this.openedAt + this.windowMs - this.now()));
    if (socket.writableCorked > 0) return;
    socket.cork();
    this.corked.push(socket);
  }

  private open(): void {
    this.openedAt = this.now();
    this.inOpeningTurn = true;
    process.nextTick(() => {
      this.inOpeningTurn = false;
      this.release();
    });
  }

  private close(): void {
    this.closing = null;
    // The held messages leave now, in one write a socket: the next window starts with them.
    this.openedAt = this.now();
    this.release();
  }

  private release(): void {
    const corked = this.corked;
    this.corked = [];
    for (const socket of corked) socket.uncork();
  }
}
