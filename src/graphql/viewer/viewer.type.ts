import { Field, ID, InterfaceType, ObjectType } from 'type-graphql';
import { RoleEnum } from '../enums.ts';
import type { Role } from '../../domain/vocabulary.ts';

@ObjectType({ description: 'The caller’s role in one project' })
export class Membership {
  @Field(() => ID)
  projectId!: string;

  @Field(() => RoleEnum)
  role!: Role;
}

@InterfaceType({ description: 'Who signs in: a user, or the viewer (the signed-in user)' })
export abstract class Person {
  @Field(() => ID)
  id!: string;

  @Field()
  username!: string;

  @Field()
  displayName!: string;

  @Field({ description: 'An instance admin reads every project and creates projects and users' })
  isAdmin!: boolean;
}

@ObjectType({ description: 'The authenticated caller', implements: Person })
export class Viewer extends Person {
  @Field(() => [Membership])
  memberships!: Membership[];
}
