import { randomBytes } from 'node:crypto';

/** Calendar facts on certificates are read in Vietnam time, whatever the server's zone. */
export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const DATE_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: VIETNAM_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

function vietnamDateParts(at: Date): { year: string; month: string; day: string } {
  const parts = Object.fromEntries(DATE_PARTS.formatToParts(at).map((p) => [p.type, p.value]));
  return { year: parts.year, month: parts.month, day: parts.day };
}

/** 31/12/2026: the date people read. */
export function formatDateVi(at: Date): string {
  const { year, month, day } = vietnamDateParts(at);
  return `${day}/${month}/${year}`;
}

/** 2026-12-31: the same calendar date for the JSON API. */
export function isoDateVi(at: Date): string {
  const { year, month, day } = vietnamDateParts(at);
  return `${year}-${month}-${day}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 2029-12-01 → 01/12/2029: a calendar date (no time, no zone) as people read it. */
export function isoToVi(iso: string): string {
  const m = ISO_DATE.exec(iso);
  if (!m) throw new RangeError(`not an ISO date: ${iso}`);
  return `${m[3]}/${m[2]}/${m[1]}`;
}

/** The calendar day after an ISO date: 2029-12-31 → 2030-01-01. */
export function dayAfter(iso: string): string {
  const m = ISO_DATE.exec(iso);
  if (!m) throw new RangeError(`not an ISO date: ${iso}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1))
    .toISOString()
    .slice(0, 10);
}

/** The year a serial belongs to: the issue year in Vietnam time. */
export function serialYear(at: Date): number {
  return Number(vietnamDateParts(at).year);
}

export const SERIAL_PATTERN = /^GCN-\d{4}-\d{6}$/;

/** GCN-2026-000042. Six digits hold a year of national issuing (~3 million in all, over years). */
export function formatSerial(year: number, sequence: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new RangeError(`serial year out of range: ${year}`);
  }
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999_999) {
    throw new RangeError(`serial sequence out of range: ${sequence}`);
  }
  return `GCN-${year}-${String(sequence).padStart(6, '0')}`;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding: safe in URLs and read aloud without case trouble. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

export const VERIFICATION_CODE_PATTERN = /^[A-Z2-7]{24}$/;

/** 120 random bits as 24 base32 characters: not guessable, not derived from the serial. */
export function newVerificationCode(): string {
  return base32(randomBytes(15));
}

const NUMBER_VI = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });

/** 8,5 — Vietnamese decimal comma. */
export function formatNumberVi(value: number): string {
  return NUMBER_VI.format(value);
}
