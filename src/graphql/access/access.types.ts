import { Field, ID, InputType, ObjectType } from 'type-graphql';
import type { Role } from '../../domain/vocabulary.ts';
import { RoleEnum } from '../enums.ts';
import { Person, Viewer } from '../viewer/viewer.type.ts';

@ObjectType({ description: 'A person (or robot) who signs in', implements: Person })
export class User extends Person {
  @Field()
  createdAt!: Date;
}

@ObjectType({ description: 'A user’s role in one project' })
export class Member {
  @Field(() => User)
  user!: User;

  @Field(() => RoleEnum)
  role!: Role;

  @Field({ description: 'When the user joined the project' })
  createdAt!: Date;
}

@ObjectType({ description: 'An API token: the secret itself is shown only once, by createToken' })
export class ApiToken {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'The user who created it; a personal token acts as this user' })
  owner!: string;

  @Field(() => ID, { nullable: true, description: 'A project token acts in this project only, with `role`' })
  projectId!: string | null;

  @Field(() => RoleEnum, { nullable: true })
  role!: Role | null;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Last request made with it, to the minute' })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType()
export class CreatedToken {
  @Field(() => ApiToken)
  token!: ApiToken;

  @Field({ description: 'Send it as "Authorization: Bearer <secret>". Shown this once: it is stored only as a hash' })
  secret!: string;
}

@ObjectType()
export class LoginResult {
  @Field(() => Viewer)
  viewer!: Viewer;

  @Field({ description: 'When the session cookie set with this answer expires' })
  expiresAt!: Date;
}

@InputType()
export class CreateUserInput {
  @Field({ description: 'Lowercase letters, digits, ".", "-" or "_"' })
  username!: string;

  @Field(() => String, { nullable: true, description: 'Default: the username' })
  displayName?: string | null;

  @Field(() => String, { nullable: true, description: 'At least 10 characters; without one, the user signs in with tokens or a sign-in link only' })
  password?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  isAdmin?: boolean | null;
}

@InputType()
export class CreateTokenInput {
  @Field({ description: 'What it is for, e.g. "CI deploys"' })
  name!: string;

  @Field(() => Date, { nullable: true, description: 'Default: never expires' })
  expiresAt?: Date | null;

  @Field(() => ID, { nullable: true, description: 'Make a project token: it acts only in this project (you need ADMIN there)' })
  projectId?: string | null;

  @Field(() => RoleEnum, { nullable: true, description: 'A project token’s role; default VIEWER' })
  role?: Role | null;
}
