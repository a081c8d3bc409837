import { Language } from '../common/http/language';
import { CertificateStatus } from './certificate.types';
import { dayAfter } from '../common/dates/calendar';
import { isoToVi } from '../common/dates/vietnam-dates';

/** A status as a word people read, in each language (error messages, verification). */
export const STATUS_WORDS: Record<Language, Record<CertificateStatus, string>> = {
  vi: {
    valid: 'còn hiệu lực',
    suspended: 'tạm đình chỉ',
    revoked: 'đã thu hồi',
    expired: 'hết hiệu lực',
    replaced: 'đã được thay thế',
  },
  en: {
    valid: 'valid',
    suspended: 'suspended',
    revoked: 'revoked',
    expired: 'expired',
    replaced: 'replaced',
  },
};

/** True once the last valid day (ISO) is before `today` (ISO, Vietnam calendar). */
export function lapsed(expiresOn: string | null, today: string): boolean {
  return expiresOn !== null && expiresOn < today;
}

/**
 * The status as of `today`: a valid certificate whose last valid day has passed is expired even
 * before the daily scan records it, so that no reader is ever told it is still valid.
 */
export function effectiveStatus(
  status: CertificateStatus,
  expiresOn: string | null,
  today: string,
): CertificateStatus {
  return status === 'valid' && lapsed(expiresOn, today) ? 'expired' : status;
}

/** The first day a certificate with this last valid day is no longer valid, dd/MM/yyyy. */
export function lapsedOnVi(expiresOn: string): string {
  return isoToVi(dayAfter(expiresOn));
}

export interface StatusFacts {
  status: CertificateStatus;
  /** dd/MM/yyyy of the last status change (suspension, revocation), when known. */
  changedOn: string | null;
  /** ISO: the last valid day, when the certificate has one. */
  expiresOn: string | null;
  replacedBy: { serial: string; issuedOn: string } | null;
}

/**
 * The status in words, with its date: "Còn hiệu lực đến hết ngày 31/01/2030", "Tạm đình chỉ từ
 * ngày 20/03/2027", "Đã thu hồi ngày …", "Đã thay thế bằng giấy chứng nhận số hiệu … cấp ngày …",
 * "Hết hiệu lực từ ngày 01/02/2030" — Vietnamese unless English is asked for.
 */
export function statusInWords(lang: Language, facts: StatusFacts): string {
  const on = facts.changedOn;
  switch (facts.status) {
    case 'valid':
      if (!facts.expiresOn) return lang === 'en' ? 'Valid' : 'Còn hiệu lực';
      return lang === 'en'
        ? `Valid through ${isoToVi(facts.expiresOn)}`
        : `Còn hiệu lực đến hết ngày ${isoToVi(facts.expiresOn)}`;
    case 'suspended':
      if (!on) return lang === 'en' ? 'Suspended' : 'Tạm đình chỉ';
      return lang === 'en' ? `Suspended since ${on}` : `Tạm đình chỉ từ ngày ${on}`;
    case 'revoked':
      if (!on) return lang === 'en' ? 'Revoked' : 'Đã thu hồi';
      return lang === 'en' ? `Revoked on ${on}` : `Đã thu hồi ngày ${on}`;
    case 'replaced': {
      const next = facts.replacedBy;
      if (!next) return lang === 'en' ? 'Replaced' : 'Đã được thay thế';
      return lang === 'en'
        ? `Replaced by certificate ${next.serial} issued on ${next.issuedOn}`
        : `Đã thay thế bằng giấy chứng nhận số hiệu ${next.serial} cấp ngày ${next.issuedOn}`;
    }
    case 'expired': {
      // The day after the last valid day; a certificate expired without a date (imported so)
      // falls back to the day its status changed.
      const from = facts.expiresOn ? lapsedOnVi(facts.expiresOn) : on;
      if (!from) return lang === 'en' ? 'Expired' : 'Hết hiệu lực';
      return lang === 'en' ? `Expired since ${from}` : `Hết hiệu lực từ ngày ${from}`;
    }
  }
}
