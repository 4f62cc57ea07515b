import type { AccountUser, ProjectMember } from '../../domain/records.ts';
import { toMember } from './member.mappers.ts';

const USER: AccountUser = { id: 'usr_1', username: 'alice', displayName: 'Alice', isAdmin: false, createdAt: new Date('2026-11-01T00:00:00Z') };

function member(role: string): ProjectMember {
  return { userId: USER.id, projectId: 'prj_1', role, createdAt: new Date('2026-11-02T00:00:00Z'), user: USER };
}

describe('member mappers', () => {
  it.each(['VIEWER', 'OPERATOR', 'ADMIN'])('gives a member their stored role %s', (role) => {
    expect(toMember(member(role)).role).toBe(role);
  });

  it('refuses a stored role it does not know instead of answering VIEWER', () => {
    expect(() => toMember(member('SUPERUSER'))).toThrow('Unknown role "SUPERUSER" in the membership of alice');
  });
});
