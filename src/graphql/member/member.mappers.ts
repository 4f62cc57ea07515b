import { roleOf } from '../../domain/vocabulary.ts';
import type { ProjectMember } from '../../domain/records.ts';
import type { Member } from './member.type.ts';

export function toMember(member: ProjectMember): Member {
  return { user: member.user, role: roleOf(member.role, `the membership of ${member.user.username}`), createdAt: member.createdAt };
}
