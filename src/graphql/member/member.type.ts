import { Field, ObjectType } from 'type-graphql';
import type { Role } from '../../domain/vocabulary.ts';
import { RoleEnum } from '../enums.ts';
import { User } from '../user/user.type.ts';

@ObjectType({ description: 'A user’s role in one project' })
export class Member {
  @Field(() => User)
  user!: User;

  @Field(() => RoleEnum)
  role!: Role;

  @Field({ description: 'When the user joined the project' })
  createdAt!: Date;
}
