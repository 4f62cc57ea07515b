import { Field, ID, ObjectType } from 'type-graphql';
import { RoleEnum } from '../enums.ts';
import type { Role } from '../../domain/vocabulary.ts';

@ObjectType({ description: 'The caller’s role in one project' })
export class Membership {
  @Field(() => ID)
  projectId!: string;

  @Field(() => RoleEnum)
  role!: Role;
}

@ObjectType({ description: 'The authenticated caller' })
export class Viewer {
  @Field(() => ID)
  id!: string;

  @Field()
  username!: string;

  @Field()
  displayName!: string;

  @Field({ description: 'An instance admin reads every project and creates projects and users' })
  isAdmin!: boolean;

  @Field(() => [Membership])
  memberships!: Membership[];
}
