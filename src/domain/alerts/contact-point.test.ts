import { contactPointSettingsOf, readContactPointChange, settingsJson } from './contact-point.ts';

const SIGNING_KEY = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const EMAIL = { host: 'smtp.example.com', port: 587, secure: false, user: 'alerts', from: 'alerts@example.com', to: ['oncall@example.com'] };

describe('contact point changes', () => {
  it('read a webhook with its signing key, Slack without a secret, and email with or without a password', () => {
    expect(readContactPointChange({ projectId: 'prj_1', name: 'hook', kind: 'WEBHOOK', url: 'https://example.com/hook', secret: SIGNING_KEY }, false)).toEqual({
      ok: true,
      settings: { kind: 'WEBHOOK', url: 'https://example.com/hook' },
      secret: { keep: false, secret: SIGNING_KEY },
    });
    expect(readContactPointChange({ projectId: 'prj_1', name: 'chat', kind: 'SLACK', url: 'https://hooks.slack.com/services/T/B/x' }, false)).toMatchObject({ ok: true, secret: { keep: true } });
    expect(readContactPointChange({ projectId: 'prj_1', name: 'mail', kind: 'EMAIL', email: EMAIL, secret: '' }, true)).toEqual({
      ok: true,
      settings: { kind: 'EMAIL', ...EMAIL, subjectPrefix: null },
      secret: { keep: false, secret: null },
    });
  });

  it('read an email contact point that leaves its user out as one without authentication', () => {
    const { user: _user, ...withoutUser } = EMAIL;

    expect(readContactPointChange({ projectId: 'prj_1', name: 'mail', kind: 'EMAIL', email: { ...withoutUser, user: undefined } }, false)).toMatchObject({ ok: true, settings: { user: null } });
  });

  it('keep the stored signing key when the secret is left out, and refuse to remove it', () => {
    expect(readContactPointChange({ projectId: 'prj_1', name: 'hook', kind: 'WEBHOOK', url: 'https://example.com/hook' }, true)).toMatchObject({ ok: true, secret: { keep: true } });
    expect(readContactPointChange({ projectId: 'prj_1', name: 'hook', kind: 'WEBHOOK', url: 'https://example.com/hook', secret: '' }, true)).toEqual({
      ok: false,
      problems: ['input.secret is missing; a WEBHOOK signs every message (Standard Webhooks), so give its signing key: "whsec_" and the base64 of 24 to 64 random bytes'],
    });
  });

  it('name every problem: the URL, the signing key, the addresses, the port', () => {
    const webhook = readContactPointChange({ projectId: 'prj_1', name: ' ', kind: 'WEBHOOK', url: 'ftp://example.com', secret: 'whsec_c2hvcnQ=' }, false);
    const email = readContactPointChange({ projectId: 'prj_1', name: 'mail', kind: 'EMAIL', email: { ...EMAIL, port: 0, from: 'nobody', to: [] } }, false);

    expect(webhook).toEqual({
      ok: false,
      problems: [
        'input.name must be 1 to 100 characters',
        'input.url is "ftp://example.com"; only http:// and https:// URLs are posted to',
        'input.secret is not a Standard Webhooks signing key; give "whsec_" and the base64 of 24 to 64 random bytes (e.g. "whsec_" + `openssl rand -base64 32`)',
      ],
    });
    expect(email).toEqual({
      ok: false,
      problems: [
        'input.email.port is 0; it must be a port from 1 to 65535 (587 or 25 with STARTTLS, 465 with secure: true)',
        'input.email.from is "nobody"; it must be an address like alerts@example.com',
        'input.email.to has 0 addresses; give 1 to 50',
      ],
    });
  });

  it('store settings without the kind and read them back, refusing data of another shape', () => {
    const stored = settingsJson({ kind: 'EMAIL', ...EMAIL, subjectPrefix: null });

    expect(contactPointSettingsOf('EMAIL', stored, 'cpt_1')).toEqual({ kind: 'EMAIL', ...EMAIL, subjectPrefix: null });
    expect(() => contactPointSettingsOf('WEBHOOK', stored, 'cpt_1')).toThrow('Contact point settings of cpt_1 have no text "url"');
    expect(() => contactPointSettingsOf('PAGER', stored, 'cpt_1')).toThrow('Unknown contact point kind "PAGER" in cpt_1');
  });
});
