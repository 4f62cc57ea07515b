import type { OwnedApiToken } from '../../domain/records.ts';
import { toApiToken } from './token.mappers.ts';

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
    user: { username: 'alice' },
  };
}

describe('token mappers', () => {
  it('gives a personal token no role, and refuses a project token whose stored role it does not know', () => {
    expect(toApiToken(token(null)).role).toBeNull();
    expect(toApiToken(token('OPERATOR')).role).toBe('OPERATOR');
    expect(() => toApiToken(token('ROOT'))).toThrow('Unknown role "ROOT" in token tok_1');
  });
});
