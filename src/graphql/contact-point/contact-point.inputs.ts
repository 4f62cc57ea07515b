import { Field, ID, InputType, Int } from 'type-graphql';
import type { ContactPointChange, ContactPointKind, EmailSettingsChange } from '../../domain/alerts/contact-point.ts';
import { ContactPointKindEnum } from './contact-point.enums.ts';

@InputType({ description: 'The SMTP server and addresses of an EMAIL contact point' })
export class EmailSettingsInput implements EmailSettingsChange {
  @Field()
  host!: string;

  @Field(() => Int, { description: '587 or 25 (STARTTLS when offered), 465 with secure: true' })
  port!: number;

  @Field({ description: 'TLS from the first byte (port 465)' })
  secure!: boolean;

  @Field(() => String, { nullable: true, description: 'The SMTP user; null: no authentication (its password is the contact point’s secret)' })
  user?: string | null;

  @Field()
  from!: string;

  @Field(() => [String], { description: '1 to 50 addresses' })
  to!: string[];

  @Field(() => String, { nullable: true, description: 'Put before every subject, e.g. "[runtrail]"; left out or null: none' })
  subjectPrefix?: string | null;
}

@InputType({ description: 'A contact point to create (no id) or replace (its id): WEBHOOK and SLACK take url, EMAIL takes email' })
export class ContactPointInput implements ContactPointChange {
  @Field(() => ID, { nullable: true, description: 'Replace this contact point; left out: create one' })
  id?: string | null;

  @Field(() => ID)
  projectId!: string;

  @Field({ description: '1 to 100 characters, unique in the project' })
  name!: string;

  @Field(() => ContactPointKindEnum)
  kind!: ContactPointKind;

  @Field(() => String, { nullable: true, description: 'WEBHOOK and SLACK: the http(s) URL to POST to' })
  url?: string | null;

  @Field(() => EmailSettingsInput, { nullable: true })
  email?: EmailSettingsInput | null;

  @Field(() => String, {
    nullable: true,
    description:
      'WEBHOOK: its signing key ("whsec_" and the base64 of 24 to 64 random bytes, required); EMAIL: the SMTP password. ' +
      'Left out or null: the secret stays as it was (unless the kind changes); an empty string removes it. Never returned',
  })
  secret?: string | null;
}
