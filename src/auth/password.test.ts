import { hashPassword, verifyPassword } from './password.ts';

describe('passwords', () => {
  it('stores a salted scrypt hash with its parameters, never the password', async () => {
    const first = await hashPassword('correct horse battery');
    const second = await hashPassword('correct horse battery');

    expect(first).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(first).not.toContain('correct');
    expect(first).not.toBe(second);
  });

  it('accepts the password and nothing else, and no password for a user without one', async () => {
    const stored = await hashPassword('correct horse battery');

    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('', null)).toBe(false);
    expect(await verifyPassword('correct horse battery', 'md5$whatever')).toBe(false);
  });
});
