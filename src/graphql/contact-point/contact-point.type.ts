import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { AlertNoticeType } from '../../domain/alerts/alert-notice.ts';
import type { ContactPointKind } from '../../domain/alerts/contact-point.ts';
import type { NotificationState } from '../../domain/alerts/notification-state.ts';
import { ContactPointKindEnum, NotificationStateEnum } from './contact-point.enums.ts';

@ObjectType({ description: 'The SMTP server and addresses of an EMAIL contact point (its password is its secret, never shown)' })
export class EmailSettings {
  @Field()
  host!: string;

  @Field(() => Int)
  port!: number;

  @Field({ description: 'TLS from the first byte (port 465); false: plain, upgraded by STARTTLS when the server offers it' })
  secure!: boolean;

  @Field(() => String, { nullable: true, description: 'The SMTP user; null: no authentication' })
  user!: string | null;

  @Field()
  from!: string;

  @Field(() => [String])
  to!: string[];

  @Field(() => String, { nullable: true, description: 'Put before every subject; null: none' })
  subjectPrefix!: string | null;
}

@ObjectType({ description: 'Where a project’s alert notifications go. Its secret (a webhook’s signing key, an SMTP password) is stored encrypted and never returned' })
export class ContactPoint {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  projectId!: string;

  @Field()
  name!: string;

  @Field(() => ContactPointKindEnum)
  kind!: ContactPointKind;

  @Field(() => String, {
    nullable: true,
    description: 'WEBHOOK and SLACK: the URL posted to. Only the project’s ADMINs see all of it; others see its origin, since an incoming webhook’s URL is a credential too',
  })
  url!: string | null;

  @Field(() => EmailSettings, { nullable: true, description: 'EMAIL: the SMTP server and addresses' })
  email!: EmailSettings | null;

  @Field({ description: 'Whether it keeps a secret (a webhook’s signing key, an SMTP password)' })
  hasSecret!: boolean;

  @Field(() => ID, { nullable: true, description: 'The workflow whose file made it (its mailOn, smtp and errorMail/infoMail): change it in that file; null: made through the API' })
  ownerWorkflowId!: string | null;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

@ObjectType({ description: 'One attempt to deliver a notification to a contact point' })
export class ContactPointDelivery {
  @Field(() => ID, { description: 'The notification: its webhook-id (the same on every attempt), or its email’s Message-ID' })
  notificationId!: string;

  @Field(() => String, { description: 'alert.firing, alert.resolved or alert.test' })
  type!: AlertNoticeType;

  @Field(() => Int, { description: 'The attempt’s number, from 1' })
  attempt!: number;

  @Field()
  at!: Date;

  @Field(() => Int, { nullable: true, description: 'The HTTP status, or the SMTP reply code; null when none came (no connection, a timeout)' })
  statusCode!: number | null;

  @Field(() => String, { nullable: true, description: 'What went wrong; null when it was delivered' })
  error!: string | null;

  @Field(() => Int)
  durationMs!: number;

  @Field(() => NotificationStateEnum, { description: 'Where the notification stands now' })
  state!: NotificationState;
}

@ObjectType({ description: 'What a contact point made of a test notice' })
export class ContactPointTestResult {
  @Field(() => ID, { description: 'The test notification, in the delivery log' })
  notificationId!: string;

  @Field({ description: 'Whether it was delivered' })
  ok!: boolean;

  @Field(() => Int, { nullable: true })
  statusCode!: number | null;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => Int)
  durationMs!: number;
}
