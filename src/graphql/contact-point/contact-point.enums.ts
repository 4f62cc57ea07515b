import { registerEnumType } from 'type-graphql';
import { CONTACT_POINT_KINDS, type ContactPointKind } from '../../domain/alerts/contact-point.ts';
import { enumObject } from '../enums.ts';
import { NOTIFICATION_STATES, type NotificationState } from '../../domain/alerts/notification-state.ts';

export const ContactPointKindEnum: { [K in ContactPointKind]: K } = enumObject(CONTACT_POINT_KINDS);
export const NotificationStateEnum: { [K in NotificationState]: K } = enumObject(NOTIFICATION_STATES);

registerEnumType(ContactPointKindEnum, {
  name: 'ContactPointKind',
  description: 'How a contact point delivers',
  valuesConfig: {
    WEBHOOK: { description: 'A JSON POST signed per the Standard Webhooks specification (webhook-id, webhook-timestamp, webhook-signature)' },
    SLACK: { description: 'A Slack-compatible incoming webhook message (text and blocks)' },
    EMAIL: { description: 'An email over SMTP' },
  },
});
registerEnumType(NotificationStateEnum, {
  name: 'NotificationState',
  description: 'Where a notification of the outbox stands',
  valuesConfig: {
    PENDING: { description: 'To be delivered: not yet tried, or tried again after a backoff' },
    DELIVERED: { description: 'The endpoint took it' },
    FAILED: { description: 'Given up: not delivered within 24 hours of its creation (or a failed test)' },
  },
});
