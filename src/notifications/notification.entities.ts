import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Relation,
  UpdateDateColumn,
} from 'typeorm';
import { PersonEntity } from '../people/person.entity';
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_EVENTS,
  NOTIFICATION_LOCALES,
  NOTIFICATION_STATUSES,
  NotificationChannel,
  NotificationEvent,
  NotificationLocale,
  NotificationPayload,
  NotificationStatus,
} from './notification.types';

/**
 * The outbox: every message a person is sent. A row is queued with its facts only (payload,
 * language, day); the worker renders it when it claims it for sending and stores the texts, so
 * the outbox keeps what was actually sent. Until then a reader renders it on the fly.
 * One message per person, event, day and topic while it waits: what comes later that day
 * (another assignment, another course) joins the pending message — the partial unique index
 * below. Once that message is claimed or sent, what comes later goes in a second message
 * instead of being lost, and nothing a message of the day already named is named again.
 * Programme and course messages have no topic; each change of a certificate is a topic of its
 * own, told in a message of its own.
 */
@Entity('notification_outbox')
@Index('uq_notification_outbox_pending', ['personId', 'event', 'eventDay', 'topic'], {
  unique: true,
  where: `status = 'pending'`,
})
@Index('ix_notification_outbox_claim', ['status', 'nextAttemptAt'])
@Index('ix_notification_outbox_person', ['personId', 'createdAt', 'id'])
export class NotificationOutboxEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<PersonEntity>;

  @Column({ type: 'enum', enum: NOTIFICATION_EVENTS, enumName: 'notification_event' })
  event: NotificationEvent;

  /** The calendar day (Vietnam time) the message is about. */
  @Column({ name: 'event_day', type: 'date' })
  eventDay: string;

  /**
   * What, beyond its event and day, the message is about: '' for programme messages (one a day,
   * merged); `certificate:<id>:<change>` for a certificate's (one per change, never merged).
   */
  @Column({ type: 'varchar', length: 120, default: '' })
  topic: string;

  @Column({ type: 'enum', enum: NOTIFICATION_LOCALES, enumName: 'notification_locale' })
  locale: NotificationLocale;

  @Column({
    type: 'enum',
    enum: NOTIFICATION_CHANNELS,
    enumName: 'notification_channel',
    default: 'email',
  })
  channel: NotificationChannel;

  /** Null when the person has no e-mail address: the message stays readable in the app. */
  @Column({ name: 'to_address', type: 'varchar', length: 254, nullable: true })
  toAddress: string | null;

  /** Null until the worker claims the message for sending (rendered from the payload then). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  subject: string | null;

  @Column({ name: 'body_text', type: 'text', nullable: true })
  bodyText: string | null;

  @Column({ name: 'body_html', type: 'text', nullable: true })
  bodyHtml: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  payload: NotificationPayload;

  @Column({
    type: 'enum',
    enum: NOTIFICATION_STATUSES,
    enumName: 'notification_status',
    default: 'pending',
  })
  status: NotificationStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  /** While 'sending': until when the claiming worker owns the row (crash recovery after it). */
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A person's choice of language for messages and of reminder e-mails; without a row, Vietnamese and on. */
@Entity('notification_preferences')
export class NotificationPreferenceEntity {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<PersonEntity>;

  @Column({ type: 'enum', enum: NOTIFICATION_LOCALES, enumName: 'notification_preference_locale' })
  locale: NotificationLocale;

  /** False: no reminder e-mails (assigned, due soon, overdue, recertification window). */
  @Column({ name: 'email_notifications', type: 'boolean', default: true })
  emailNotifications: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
