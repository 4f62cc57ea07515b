import { errorFingerprint } from './error-fingerprint.ts';

describe('errorFingerprint', () => {
  it('takes numbers, ids, paths, hex and times out, so the same cause counts once', () => {
    expect(errorFingerprint('exit status 2: file /data/in/part-0093.csv not found')).toBe(errorFingerprint('exit status 2: file /data/in/part-0107.csv not found'));
    expect(errorFingerprint('exit status 2: file /data/in/part-0093.csv not found')).toBe('exit status <n>: file <path> not found');
    expect(errorFingerprint('run run_0mxcc8ki2abcdefgh failed at 2026-12-07T10:11:12Z (request 3f2a9c1e-0b4d-4e5f-9a8b-7c6d5e4f3a2b)')).toBe('run <id> failed at <time> (request <uuid>)');
    expect(errorFingerprint('segfault at 0x7ffd1a2b in deadbeefcafe')).toBe('segfault at <hex> in <hex>');
  });

  it('keeps different causes apart and keeps what a person needs to read', () => {
    expect(errorFingerprint('connection refused: db-main.internal:5432')).toBe('connection refused: db-main.internal:<n>');
    expect(errorFingerprint('connection refused: db-main.internal:5432')).not.toBe(errorFingerprint('TLS handshake timeout: registry.internal:443'));
  });

  it('bounds the fingerprint of a long trace', () => {
    expect(errorFingerprint('x'.repeat(5_000))).toHaveLength(200);
  });
});
