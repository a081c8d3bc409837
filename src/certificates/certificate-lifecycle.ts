import { DomainError } from '../common/errors/domain-error';
import { CertificateStatus } from './certificate.types';

/** What an officer can do to a certificate; `issue` is what the ledger records of a reissue. */
export const CERTIFICATE_ACTIONS = ['issue', 'suspend', 'reinstate', 'revoke', 'reissue'] as const;
export type CertificateAction = (typeof CERTIFICATE_ACTIONS)[number];
export type CertificateTransition = Exclude<CertificateAction, 'issue'>;

/**
 * The status machine. Revoked is final; replaced is final on the old row (its successor carries
 * on). A suspended certificate may be reissued: a suspension for a wrong name ends that way.
 * An expired one can still be revoked (fraud found later) but not suspended nor reissued.
 */
const TRANSITIONS: Record<
  CertificateTransition,
  { from: readonly CertificateStatus[]; to: CertificateStatus }
> = {
  suspend: { from: ['valid'], to: 'suspended' },
  reinstate: { from: ['suspended'], to: 'valid' },
  revoke: { from: ['valid', 'suspended', 'expired'], to: 'revoked' },
  reissue: { from: ['valid', 'suspended'], to: 'replaced' },
};

/**
 * The status after `action`, or the domain error that refuses it: CERTIFICATE_REVOKED and
 * CERTIFICATE_REPLACED for the two final states (the latter names the successor's serial),
 * CERTIFICATE_STATUS_INVALID for any other move the machine lacks.
 */
export function nextStatus(
  current: CertificateStatus,
  action: CertificateTransition,
  successorSerial: string | null = null,
): CertificateStatus {
  const rule = TRANSITIONS[action];
  if (rule.from.includes(current)) return rule.to;
  if (current === 'revoked') throw new DomainError('CERTIFICATE_REVOKED');
  if (current === 'replaced') {
    throw new DomainError('CERTIFICATE_REPLACED', { serial: successorSerial ?? '' });
  }
  throw new DomainError('CERTIFICATE_STATUS_INVALID', { status: current, to: rule.to });
}
