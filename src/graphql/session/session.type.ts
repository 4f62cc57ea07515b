import { Field, ObjectType } from 'type-graphql';
import { Viewer } from '../viewer/viewer.type.ts';

@ObjectType()
export class LoginResult {
  @Field(() => Viewer)
  viewer!: Viewer;

  @Field({ description: 'When the session cookie set with this answer expires' })
  expiresAt!: Date;
}
