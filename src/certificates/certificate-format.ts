import { randomBytes } from 'node:crypto';
import { yearVn } from '../common/dates/vietnam-dates';

/** The year a serial belongs to: the issue year in Vietnam time. */
export function serialYear(at: Date): number {
  return yearVn(at);
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
