import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { alertSecretKeyOf } from './alert-secret-key-file.ts';
import { SecretBox } from './secret-box.ts';

const key = (fill: number) => ({ key: Buffer.alloc(32, fill), source: 'ALERT_SECRET_KEY' });

describe('contact point secrets at rest', () => {
  it('seal to something else than the secret, and open back to it', () => {
    const box = new SecretBox(key(1));

    const sealed = box.seal('whsec_c2VjcmV0', 'cpt_1');

    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('whsec_c2VjcmV0');
    expect(box.seal('whsec_c2VjcmV0', 'cpt_1')).not.toBe(sealed);
    expect(box.open(sealed, 'cpt_1')).toBe('whsec_c2VjcmV0');
  });

  it('do not open under another key, or on another contact point, and say which setting to fix', () => {
    const sealed = new SecretBox(key(1)).seal('hunter2', 'cpt_1');

    expect(() => new SecretBox(key(2)).open(sealed, 'cpt_1')).toThrow(
      'The secret of contact point cpt_1 does not decrypt with the key of ALERT_SECRET_KEY: it was sealed under another key. Every process must run with the same ALERT_SECRET_KEY',
    );
    expect(() => new SecretBox(key(1)).open(sealed, 'cpt_2')).toThrow('does not decrypt');
  });

  it('are refused without a key, naming ALERT_SECRET_KEY', () => {
    expect(() => new SecretBox(null).seal('hunter2', 'cpt_1')).toThrow('Contact point secrets need ALERT_SECRET_KEY, which this server was started without');
  });

  it('use a key kept in DATA_DIR (0600) by the embedded SQLite server, the same at every start, and none on PostgreSQL without ALERT_SECRET_KEY', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-alert-key-'));

    const first = alertSecretKeyOf({ configured: null, provider: 'sqlite', dataDir });
    const again = alertSecretKeyOf({ configured: null, provider: 'sqlite', dataDir });

    expect(first?.key.length).toBe(32);
    expect(again?.key).toEqual(first?.key);
    expect(statSync(path.join(dataDir, 'alert-secret-key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dataDir, 'alert-secret-key'), 'utf8').trim()).toBe(first?.key.toString('base64'));
    expect(alertSecretKeyOf({ configured: null, provider: 'postgresql', dataDir })).toBeNull();
    expect(alertSecretKeyOf({ configured: Buffer.alloc(32, 3), provider: 'postgresql', dataDir })?.source).toBe('ALERT_SECRET_KEY');
  });

  it('refuse a damaged key file rather than make a new key', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-alert-key-'));
    writeFileSync(path.join(dataDir, 'alert-secret-key'), 'short\n');

    expect(() => alertSecretKeyOf({ configured: null, provider: 'sqlite', dataDir })).toThrow(`${path.join(dataDir, 'alert-secret-key')} holds no alert secret key`);
  });
});
