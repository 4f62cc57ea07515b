import { Field, ID, InputType } from 'type-graphql';
import type { Role } from '../../domain/vocabulary.ts';
import { RoleEnum } from '../enums.ts';

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
