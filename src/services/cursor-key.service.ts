import { randomBytes } from 'node:crypto';
import type { Clock } from '../domain/clock.ts';
import type { CursorKey } from '../domain/cursor.ts';
import type { InstanceSecretRepository } from '../repositories/instance-secret.repository.ts';

const CURSOR_SECRET = 'cursor';
const SECRET_BYTES = 32;

/** The key of this instance's cursors, read (or made, at first start) once per process. */
export class CursorKeyService {
  private key: Promise<CursorKey> | null = null;

  constructor(private readonly deps: { secrets: InstanceSecretRepository; clock: Clock }) {}

  get(): Promise<CursorKey> {
    this.key ??= this.deps.secrets
      .findOrCreate(CURSOR_SECRET, randomBytes(SECRET_BYTES).toString('base64url'), this.deps.clock.now())
      .then((secret) => Buffer.from(secret, 'base64url'))
      .catch((error: unknown) => {
        // A failed read is tried again by the next request rather than remembered.
        this.key = null;
        throw error;
      });
    return this.key;
  }
}
