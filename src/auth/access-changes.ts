import { EventEmitter } from 'node:events';

/**
 * "Tokens were revoked or memberships changed": every process that holds open WebSockets
 * checks them again at once, rather than at its next periodic recheck.
 */
export interface AccessChanges {
  announce(): void;
  onChange(listener: () => void): () => void;
  close(): Promise<void>;
}

/** One process: the announcement reaches its own connections only. */
export class InProcessAccessChanges implements AccessChanges {
  private readonly emitter = new EventEmitter();

  announce(): void {
    this.emitter.emit('changed');
  }

  onChange(listener: () => void): () => void {
    this.emitter.on('changed', listener);
    return () => this.emitter.off('changed', listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
