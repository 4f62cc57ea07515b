import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ALERT_SECRET_KEY_BYTES, parseAlertSecretKey } from '../../domain/alerts/alert-secret-key.ts';
import type { SecretKey } from './secret-box.ts';

export const ALERT_SECRET_KEY_FILE = 'alert-secret-key';

/**
 * The key of contact point secrets: ALERT_SECRET_KEY when set. Without it the one process of an
 * embedded SQLite server keeps its own in DATA_DIR/alert-secret-key (0600, made at the first start,
 * like the admin token); PostgreSQL gets none, since its processes would each make a different
 * one: saving a secret there then says to set ALERT_SECRET_KEY.
 */
export function alertSecretKeyOf(options: { configured: Buffer | null; provider: 'sqlite' | 'postgresql'; dataDir: string }): SecretKey | null {
  if (options.configured !== null) return { key: options.configured, source: 'ALERT_SECRET_KEY' };
  if (options.provider !== 'sqlite') return null;
  const file = path.join(options.dataDir, ALERT_SECRET_KEY_FILE);
  return { key: readOrCreate(file), source: `ALERT_SECRET_KEY (unset: the key in ${file})` };
}

function readOrCreate(file: string): Buffer {
  try {
    return readKey(file);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${randomBytes(ALERT_SECRET_KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process of the same DATA_DIR made it first: its key is the one.
    if (!isCode(error, 'EEXIST')) throw error;
  }
  return readKey(file);
}

function readKey(file: string): Buffer {
  const parsed = parseAlertSecretKey(readFileSync(file, 'utf8'));
  if (!parsed.ok) throw new Error(`${file} holds no alert secret key: it ${parsed.problem}; restore it, or set ALERT_SECRET_KEY to the key the contact points were saved with`);
  return parsed.key;
}

function isMissing(error: unknown): boolean {
  return isCode(error, 'ENOENT');
}

// By shape: a Node error of another module realm is not this realm's Error.
function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
