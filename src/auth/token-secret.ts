import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'rt_';

/** A new API token secret: shown once, stored only as its hash. */
export function generateTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * Tokens carry 256 random bits, so a fast hash is enough: there is nothing to brute-force
 * that a slow hash would protect (unlike passwords).
 */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function bearerTokenFrom(header: string | undefined | null): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1] ?? null;
}
