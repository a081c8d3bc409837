/**
 * The bytes of one e-mail, built so that Vietnamese survives any 7-bit relay: header words in
 * RFC 2047 encoded-words (UTF-8, base64), the body in base64 with lines of 76 characters, CRLF
 * line ends throughout. No 8BITMIME or SMTPUTF8 is needed from the server.
 */

export interface MailMessage {
  from: string;
  fromName?: string;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  /** A stable id (the outbox row's): a receiver that deduplicates by Message-ID drops a resend. */
  messageId: string;
  date?: Date;
}

const ASCII_PRINTABLE = /^[\x20-\x7e]*$/;
/** An encoded-word is at most 75 characters: `=?UTF-8?B?` + payload + `?=` leaves 63 for base64. */
const MAX_WORD_BYTES = 45;

/**
 * RFC 2047 encoded-words for a header value, split on whole code points so that no word ends
 * inside a multi-byte character; words are folded onto continuation lines (CRLF + space).
 * Plain ASCII is returned as it is.
 */
export function encodeHeaderWords(value: string): string {
  const text = value.normalize('NFC').replace(/[\r\n]+/g, ' ');
  if (ASCII_PRINTABLE.test(text) && text.length <= 900) return text;
  const words: string[] = [];
  let chunk = '';
  let bytes = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > MAX_WORD_BYTES) {
      words.push(chunk);
      chunk = '';
      bytes = 0;
    }
    chunk += ch;
    bytes += size;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/** Base64 of UTF-8 text in lines of 76 characters (RFC 2045). */
export function base64Lines(text: string): string {
  const b64 = Buffer.from(text.normalize('NFC').replace(/\r?\n/g, '\r\n'), 'utf8').toString(
    'base64',
  );
  return (b64.match(/.{1,76}/g) ?? []).join('\r\n');
}

/** Wed, 02 Dec 2026 08:00:00 +0000 (RFC 5322). */
export function rfc5322Date(at: Date): string {
  return at.toUTCString().replace(/GMT$/, '+0000');
}

function mailbox(address: string, name?: string): string {
  if (/[\r\n<>]/.test(address)) throw new Error('address holds forbidden characters');
  return name ? `${encodeHeaderWords(name)} <${address}>` : `<${address}>`;
}

function part(contentType: string, body: string): string {
  return [
    `Content-Type: ${contentType}; charset=UTF-8`,
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(body),
  ].join('\r\n');
}

/** The whole message (headers, blank line, body), CRLF-terminated, before dot-stuffing. */
export function buildMessage(m: MailMessage): string {
  const domain = m.from.includes('@') ? m.from.slice(m.from.indexOf('@') + 1) : 'localhost';
  const headers = [
    `From: ${mailbox(m.from, m.fromName)}`,
    `To: ${mailbox(m.to)}`,
    `Subject: ${encodeHeaderWords(m.subject)}`,
    `Date: ${rfc5322Date(m.date ?? new Date())}`,
    `Message-ID: <${m.messageId}@${domain}>`,
    'MIME-Version: 1.0',
  ];
  let body: string;
  if (m.html) {
    const boundary = `=_lms_${m.messageId.replace(/[^A-Za-z0-9]/g, '')}`;
    headers.push(`Content-Type: multipart/alternative; boundary="${boundary}"`);
    body = [
      `--${boundary}`,
      part('text/plain', m.text),
      `--${boundary}`,
      part('text/html', m.html),
      `--${boundary}--`,
    ].join('\r\n');
  } else {
    headers.push('Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: base64');
    body = base64Lines(m.text);
  }
  return `${headers.join('\r\n')}\r\n\r\n${body}\r\n`;
}

/** SMTP transparency (RFC 5321 4.5.2): a line that starts with a dot gets one more. */
export function dotStuff(message: string): string {
  return message.replace(/(^|\r\n)\./g, '$1..');
}
