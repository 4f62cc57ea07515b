import type { AccountUser, OwnedApiToken, ProjectMember } from '../../domain/records.ts';
import { toApiToken, toMember } from './access.mappers.ts';

const USER: AccountUser = { id: 'usr_1', username: 'alice', displayName: 'Alice', isAdmin: false, createdAt: new Date('2026-11-01T00:00:00Z') };

function member(role: string): ProjectMember {
  return { userId: USER.id, projectId: 'prj_1', role, createdAt: new Date('2026-11-02T00:00:00Z'), user: USER };
}

function token(role: string | null): OwnedApiToken {
  return {
    id: 'tok_1',
    name: 'deployer',
    kind: 'API',
    projectId: 'prj_1',
    role,
    createdAt: new Date('2026-11-02T00:00:00Z'),
    expiresAt: null,
    lastUsedAt: null,
    revokedAt: null,
    user: { username: USER.username },
  };
}

describe('access mappers', () => {
  it.each(['VIEWER', 'OPERATOR', 'ADMIN'])('gives a member their stored role %s', (role) => {
    expect(toMember(member(role)).role).toBe(role);
  });

  it('refuses a stored role it does not know instead of answering VIEWER', () => {
    expect(() => toMember(member('SUPERUSER'))).toThrow('Unknown role "SUPERUSER" in the membership of alice');
  });

  it('gives a personal token no role, and refuses a project token whose stored role it does not know', () => {
    expect(toApiToken(token(null)).role).toBeNull();
    expect(toApiToken(token('OPERATOR')).role).toBe('OPERATOR');
    expect(() => toApiToken(token('ROOT'))).toThrow('Unknown role "ROOT" in token tok_1');
  });
});
