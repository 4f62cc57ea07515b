import { Field, InputType } from 'type-graphql';

@InputType()
export class CreateUserInput {
  @Field({ description: 'Lowercase letters, digits, ".", "-" or "_"' })
  username!: string;

  @Field(() => String, { nullable: true, description: 'Default: the username' })
  displayName?: string | null;

  @Field(() => String, { nullable: true, description: 'At least 10 characters; without one, the user signs in with tokens or a sign-in link only' })
  password?: string | null;

  @Field(() => String, { nullable: true, description: 'Where reports the user is a recipient of are mailed; without one, their deliveries record that none was sent' })
  email?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  isAdmin?: boolean | null;
}
