import { contactPointInputOf, EMPTY_CONTACT_POINT_FORM } from './contact-point-form.ts';

describe('the contact point editor', () => {
  it('keeps the stored secret when none is typed, and sends only the fields of the kind', () => {
    expect(contactPointInputOf('p1', { ...EMPTY_CONTACT_POINT_FORM, id: 'c1', name: 'hook', url: 'https://example.com/h', host: 'ignored' })).toEqual({
      projectId: 'p1',
      id: 'c1',
      name: 'hook',
      kind: 'WEBHOOK',
      url: 'https://example.com/h',
    });
  });

  it('sends an email contact point with its recipients as a list and a typed password', () => {
    const form = { ...EMPTY_CONTACT_POINT_FORM, name: 'mail', kind: 'EMAIL' as const, host: 'smtp.example.com', port: '465', secure: true, from: 'a@example.com', to: 'b@example.com, c@example.com', secret: 'pw' };
    expect(contactPointInputOf('p1', form)).toEqual({
      projectId: 'p1',
      name: 'mail',
      kind: 'EMAIL',
      email: { host: 'smtp.example.com', port: 465, secure: true, user: null, from: 'a@example.com', to: ['b@example.com', 'c@example.com'] },
      secret: 'pw',
    });
  });
});
