import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import {
  classifySmtpFailure,
  DeliveryError,
  describeSmtpFailure,
  SmtpFailure,
} from './delivery-failure';
import { NotificationChannel } from './notification.types';
import { parseSmtpUrl, smtpPoolOptions } from './smtp-settings';

export { DeliveryError } from './delivery-failure';
export type { FailureKind } from './delivery-failure';

/** A message as the worker hands it over. */
export interface OutgoingMail {
  id: string;
  to: string | null;
  subject: string;
  text: string;
  html: string | null;
}

export interface MailTransport {
  readonly channel: NotificationChannel;
  /** How many messages the worker may hand over at once. */
  readonly concurrency: number;
  /**
   * Resolves once the message is delivered (for SMTP: the server accepted the end of DATA);
   * otherwise throws a DeliveryError that says what the failure means.
   */
  send(mail: OutgoingMail): Promise<void>;
  close(): Promise<void>;
}

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

export interface SmtpTransportOptions {
  /** SMTP_URL (see smtp-settings.ts). */
  url: string;
  timeoutMs: number;
  from: string;
  fromName: string;
  /** Connections kept open and messages sent at once. */
  poolSize?: number;
}

/** An address we hand to the server as it is: one mailbox, nothing that could add another. */
const SINGLE_ADDRESS = /^[^\s<>(),;:"\\[\]@]+@[^\s<>(),;:"\\[\]@]+$/;

/**
 * SMTP through nodemailer's pooled transport: connections stay open between runs of the
 * worker (up to `poolSize`, closed after a few idle minutes), nodemailer writes the MIME
 * (RFC 2047 headers, UTF-8 bodies) and speaks SMTP. What a failure means is decided here —
 * see delivery-failure.ts.
 */
export class SmtpTransport implements MailTransport, OnApplicationShutdown {
  readonly channel = 'email' as const;
  readonly concurrency: number;
  private readonly transporter: Transporter;
  private readonly domain: string;

  constructor(private readonly options: SmtpTransportOptions) {
    this.concurrency = options.poolSize ?? 1;
    this.transporter = createTransport(
      smtpPoolOptions(parseSmtpUrl(options.url), options.timeoutMs, this.concurrency),
    );
    const at = options.from.lastIndexOf('@');
    this.domain = at >= 0 ? options.from.slice(at + 1) : 'localhost';
  }

  async send(mail: OutgoingMail): Promise<void> {
    if (!mail.to) throw new DeliveryError('the person has no e-mail address', 'permanent');
    if (!SINGLE_ADDRESS.test(mail.to)) {
      throw new DeliveryError(`invalid address ${JSON.stringify(mail.to)}`, 'permanent');
    }
    try {
      await this.transporter.sendMail({
        from: { name: this.options.fromName.normalize('NFC'), address: this.options.from },
        to: { name: '', address: mail.to },
        envelope: { from: this.options.from, to: [mail.to] },
        subject: mail.subject.normalize('NFC'),
        text: mail.text.normalize('NFC'),
        html: mail.html ? mail.html.normalize('NFC') : undefined,
        // base64 keeps the text to the last byte (a final line break included) over any relay.
        textEncoding: 'base64',
        // The outbox id: a resend after a crash carries the same Message-ID, so a receiving
        // system that deduplicates drops it.
        messageId: `<${mail.id}@${this.domain}>`,
      });
    } catch (e) {
      throw await this.explain(e as SmtpFailure);
    }
  }

  private async explain(err: SmtpFailure): Promise<DeliveryError> {
    const kind = classifySmtpFailure(err);
    if (kind !== 'uncertain') return new DeliveryError(describeSmtpFailure(err), kind);
    // The connection broke and the error does not say at which step: ask the server.
    try {
      await this.transporter.verify();
    } catch (probe) {
      return new DeliveryError(describeSmtpFailure(probe as SmtpFailure), 'unavailable');
    }
    return new DeliveryError(describeSmtpFailure(err), 'transient');
  }

  async close(): Promise<void> {
    this.transporter.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}

/** No SMTP_URL: the message goes to the log, and the outbox keeps it readable. */
export class LogTransport implements MailTransport {
  readonly channel = 'log' as const;
  readonly concurrency = 1;
  private readonly logger = new Logger('Notifications');

  async send(mail: OutgoingMail): Promise<void> {
    this.logger.log(
      { notificationId: mail.id, to: mail.to, subject: mail.subject },
      'notification (no SMTP_URL: logged, not e-mailed)',
    );
  }

  async close(): Promise<void> {}
}
