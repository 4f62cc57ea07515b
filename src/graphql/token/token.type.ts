import { Field, ID, ObjectType } from 'type-graphql';
import type { Role } from '../../domain/vocabulary.ts';
import { RoleEnum } from '../enums.ts';

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
