import { Logger } from '@nestjs/common';
import { buildMessage } from './mime';
import { parseSmtpUrl, SmtpConnection, SmtpError, SmtpSettings } from './smtp-client';
import { NotificationChannel } from './notification.types';

/** A message as the worker hands it over. */
export interface OutgoingMail {
  id: string;
  to: string | null;
  subject: string;
  text: string;
  html: string | null;
}

/** Why a send failed, and whether sending the same message again could ever succeed. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** One worker batch: send messages one by one, then close. */
export interface MailSession {
  send(mail: OutgoingMail): Promise<void>;
  close(): Promise<void>;
}

export interface MailTransport {
  readonly channel: NotificationChannel;
  open(): MailSession;
}

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

/**
 * SMTP: one connection per batch, opened on the first message and reopened after a broken
 * one. `send` resolves only when the server has accepted the end of DATA.
 */
export class SmtpTransport implements MailTransport {
  readonly channel = 'email' as const;
  private readonly settings: SmtpSettings;

  constructor(
    url: string,
    timeoutMs: number,
    private readonly from: string,
    private readonly fromName: string,
  ) {
    this.settings = parseSmtpUrl(url, timeoutMs);
  }

  open(): MailSession {
    let conn: SmtpConnection | null = null;
    return {
      send: async (mail) => {
        if (!mail.to) throw new DeliveryError('the person has no e-mail address', true);
        try {
          if (!conn?.usable) {
            conn?.destroy();
            conn = await SmtpConnection.open(this.settings);
          }
          const data = buildMessage({
            from: this.from,
            fromName: this.fromName,
            to: mail.to,
            subject: mail.subject,
            text: mail.text,
            html: mail.html,
            messageId: mail.id,
          });
          await conn.send({ from: this.from, to: mail.to }, data);
        } catch (e) {
          if (e instanceof SmtpError) throw new DeliveryError(e.message, e.permanent);
          throw new DeliveryError((e as Error).message, false);
        }
      },
      close: async () => {
        await conn?.close();
      },
    };
  }
}

/** No SMTP_URL: the message goes to the log, and the outbox keeps it readable. */
export class LogTransport implements MailTransport {
  readonly channel = 'log' as const;
  private readonly logger = new Logger('Notifications');

  open(): MailSession {
    return {
      send: async (mail) => {
        this.logger.log(
          { notificationId: mail.id, to: mail.to, subject: mail.subject },
          'notification (no SMTP_URL: logged, not e-mailed)',
        );
      },
      close: async () => undefined,
    };
  }
}
