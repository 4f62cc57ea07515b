export const ALERT_SECRET_KEY_BYTES = 32;

/**
 * ALERT_SECRET_KEY read: 32 bytes written as 64 hex digits or as base64, or what is wrong with
 * it (never a key made of something else).
 */
export function parseAlertSecretKey(text: string): { ok: true; key: Buffer } | { ok: false; problem: string } {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return { ok: true, key: Buffer.from(trimmed, 'hex') };
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || /^[A-Za-z0-9_-]+={0,2}$/.test(trimmed)) {
    const key = Buffer.from(trimmed, trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64');
    if (key.length === ALERT_SECRET_KEY_BYTES) return { ok: true, key };
    return { ok: false, problem: `decodes to ${key.length} bytes; it must be ${ALERT_SECRET_KEY_BYTES} bytes, as 64 hex digits or base64 (make one with \`openssl rand -base64 32\`)` };
  }
  return { ok: false, problem: `must be ${ALERT_SECRET_KEY_BYTES} bytes as 64 hex digits or base64 (make one with \`openssl rand -base64 32\`)` };
}
