import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { LogTransport, MAIL_TRANSPORT, MailTransport, SmtpTransport } from './mail-transport';
import { NotificationWorker } from './notification-worker';
import { MyNotificationsController, NotificationsController } from './notifications.controller';
import { NotificationPreferencesService } from './notification-preferences.service';
import { NotificationsService } from './notifications.service';
import { OutboxReadsService } from './outbox-reads.service';

/**
 * The outbox of messages (rendered from templates/emails/), its in-process worker and the
 * pooled SMTP transport (nodemailer). Other modules enqueue through NotificationsService inside their own
 * transactions; nothing is sent before that transaction commits.
 */
@Module({
  controllers: [NotificationsController, MyNotificationsController],
  providers: [
    NotificationsService,
    OutboxReadsService,
    NotificationPreferencesService,
    NotificationWorker,
    {
      provide: MAIL_TRANSPORT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): MailTransport =>
        config.smtpUrl
          ? new SmtpTransport({
              url: config.smtpUrl,
              timeoutMs: config.smtpTimeoutMs,
              from: config.smtpFrom,
              fromName: config.smtpFromName,
              poolSize: config.smtpPoolSize,
            })
          : new LogTransport(),
    },
  ],
  exports: [
    NotificationsService,
    OutboxReadsService,
    NotificationPreferencesService,
    NotificationWorker,
  ],
})
export class NotificationsModule {}
