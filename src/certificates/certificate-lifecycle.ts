import { DomainError } from '../common/errors/domain-error';
import { STATUS_WORDS } from './certificate-status';
import { CertificateStatus } from './certificate.types';

/**
 * What happens to a certificate: `issue` is what the ledger records of a new certificate (at
 * completion, or the successor of a reissue); `expire` is the daily scan's; the rest are an
 * officer's.
 */
export const CERTIFICATE_ACTIONS = [
  'issue',
  'suspend',
  'reinstate',
  'revoke',
  'reissue',
  'expire',
] as const;
export type CertificateAction = (typeof CERTIFICATE_ACTIONS)[number];
export type CertificateTransition = Exclude<CertificateAction, 'issue'>;

/**
 * The status machine. Revoked is final; replaced is final on the old row (its successor carries
 * on). Only a valid certificate is reissued: a suspended one must be reinstated first (with its
 * reason in the history), so that a reissue never turns a certificate under suspension into a
 * fresh valid one. An expired one can still be revoked (fraud found later) and nothing else: a
 * new certificate comes from recertification, not from a reissue.
 */
const TRANSITIONS: Record<
  CertificateTransition,
  { from: readonly CertificateStatus[]; to: CertificateStatus }
> = {
  suspend: { from: ['valid'], to: 'suspended' },
  reinstate: { from: ['suspended'], to: 'valid' },
  revoke: { from: ['valid', 'suspended', 'expired'], to: 'revoked' },
  reissue: { from: ['valid'], to: 'replaced' },
  expire: { from: ['valid'], to: 'expired' },
};

/** Each move as people say it, for the refusal's message ("… nên không thể tạm đình chỉ"). */
const ACTION_WORDS: Record<'vi' | 'en', Record<CertificateTransition, string>> = {
  vi: {
    suspend: 'tạm đình chỉ',
    reinstate: 'khôi phục hiệu lực',
    revoke: 'thu hồi',
    reissue: 'cấp lại',
    expire: 'chuyển sang hết hiệu lực',
  },
  en: {
    suspend: 'suspended',
    reinstate: 'reinstated',
    revoke: 'revoked',
    reissue: 'reissued',
    expire: 'expired',
  },
};

export interface TransitionContext {
  /** On a replaced certificate: its successor's serial (named by the refusal). */
  successorSerial?: string | null;
  /** On an expired certificate: the first day it was no longer valid, dd/MM/yyyy. */
  lapsedOn?: string | null;
}

/**
 * The status after `action`, or the domain error that refuses it: CERTIFICATE_REVOKED and
 * CERTIFICATE_REPLACED for the two final states (the latter names the successor's serial),
 * CERTIFICATE_SUSPENDED for a reissue under suspension, CERTIFICATE_EXPIRED for anything but a
 * revocation of an expired certificate, CERTIFICATE_STATUS_INVALID for any other move the
 * machine lacks (its message names the status and the move in words of the reader's language).
 */
export function nextStatus(
  current: CertificateStatus,
  action: CertificateTransition,
  context: TransitionContext = {},
): CertificateStatus {
  const rule = TRANSITIONS[action];
  if (rule.from.includes(current)) return rule.to;
  if (current === 'revoked') throw new DomainError('CERTIFICATE_REVOKED');
  if (current === 'replaced') {
    throw new DomainError('CERTIFICATE_REPLACED', { serial: context.successorSerial ?? '' });
  }
  if (current === 'suspended' && action === 'reissue') {
    throw new DomainError('CERTIFICATE_SUSPENDED');
  }
  if (current === 'expired') {
    throw new DomainError('CERTIFICATE_EXPIRED', { date: context.lapsedOn ?? '' });
  }
  throw new DomainError('CERTIFICATE_STATUS_INVALID', {
    status: { vi: STATUS_WORDS.vi[current], en: STATUS_WORDS.en[current] },
    action: { vi: ACTION_WORDS.vi[action], en: ACTION_WORDS.en[action] },
  });
}
