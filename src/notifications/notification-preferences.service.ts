import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { NotificationPreferenceDto } from './dto/notification.dto';
import { NotificationLocale } from './notification.types';

/** A person's choices about messages. */
export interface NotificationSettings {
  locale: NotificationLocale;
  /** Reminder e-mails (the programme messages) are written only while this is true. */
  emailNotifications: boolean;
}

interface PreferenceRow {
  locale: NotificationLocale;
  email_notifications: boolean;
}

/**
 * A person's message preferences (language, reminder e-mails): read by the enqueue statements
 * in SQL, changed here — by the person through /notification-preferences or their profile.
 */
@Injectable()
export class NotificationPreferencesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A person's preferences (without a row: Vietnamese, reminder e-mails on). */
  async preferencesOf(
    personId: string,
    em: EntityManager = this.dataSource.manager,
  ): Promise<NotificationSettings> {
    const [row] = await em.query<PreferenceRow[]>(
      'SELECT locale, email_notifications FROM notification_preferences WHERE person_id = $1',
      [personId],
    );
    return { locale: row?.locale ?? 'vi', emailNotifications: row?.email_notifications ?? true };
  }

  /**
   * Changes some of a person's preferences in the caller's transaction; a preference not given
   * keeps its value, or its default on a first row.
   */
  async setPreferences(
    em: EntityManager,
    personId: string,
    changes: Partial<NotificationSettings>,
  ): Promise<NotificationSettings> {
    const [row] = await em.query<PreferenceRow[]>(
      `INSERT INTO notification_preferences AS np (person_id, locale, email_notifications)
       VALUES ($1, COALESCE($2::text, 'vi')::notification_preference_locale, COALESCE($3::boolean, true))
       ON CONFLICT (person_id) DO UPDATE
          SET locale = COALESCE($2::text::notification_preference_locale, np.locale),
              email_notifications = COALESCE($3::boolean, np.email_notifications),
              updated_at = now()
       RETURNING locale, email_notifications`,
      [personId, changes.locale ?? null, changes.emailNotifications ?? null],
    );
    return { locale: row.locale, emailNotifications: row.email_notifications };
  }

  async myLocale(actor: Actor): Promise<NotificationPreferenceDto> {
    return { locale: (await this.preferencesOf(actor.personId)).locale };
  }

  /** The caller's language for messages from now on (messages already written keep theirs). */
  async setMyLocale(actor: Actor, locale: NotificationLocale): Promise<NotificationPreferenceDto> {
    await this.setPreferences(this.dataSource.manager, actor.personId, { locale });
    return { locale };
  }
}
