import { Field, ObjectType } from 'type-graphql';
import { Person } from '../viewer/viewer.type.ts';

@ObjectType({ description: 'A person (or robot) who signs in', implements: Person })
export class User extends Person {
  @Field()
  createdAt!: Date;
}
