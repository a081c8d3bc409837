import { DomainError } from '../common/errors/domain-error';
import { CertificateTransition, nextStatus } from './certificate-lifecycle';
import { CERTIFICATE_STATUSES, CertificateStatus } from './certificate.types';

function outcome(from: CertificateStatus, action: CertificateTransition): string {
  try {
    return nextStatus(from, action, 'GCN-2027-000002');
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe('certificate status machine', () => {
  it.each<[CertificateStatus, CertificateTransition, string]>([
    ['valid', 'suspend', 'suspended'],
    ['valid', 'reinstate', 'CERTIFICATE_STATUS_INVALID'],
    ['valid', 'revoke', 'revoked'],
    ['valid', 'reissue', 'replaced'],
    ['suspended', 'suspend', 'CERTIFICATE_STATUS_INVALID'],
    ['suspended', 'reinstate', 'valid'],
    ['suspended', 'revoke', 'revoked'],
    ['suspended', 'reissue', 'replaced'],
    ['expired', 'suspend', 'CERTIFICATE_STATUS_INVALID'],
    ['expired', 'reinstate', 'CERTIFICATE_STATUS_INVALID'],
    ['expired', 'revoke', 'revoked'],
    ['expired', 'reissue', 'CERTIFICATE_STATUS_INVALID'],
  ])('%s → %s gives %s', (from, action, expected) => {
    expect(outcome(from, action)).toBe(expected);
  });

  it('keeps revoked and replaced final, whatever is asked', () => {
    const actions: CertificateTransition[] = ['suspend', 'reinstate', 'revoke', 'reissue'];
    for (const action of actions) {
      expect(outcome('revoked', action)).toBe('CERTIFICATE_REVOKED');
      expect(outcome('replaced', action)).toBe('CERTIFICATE_REPLACED');
    }
  });

  it('names the successor when refusing to touch a replaced certificate', () => {
    expect(() => nextStatus('replaced', 'suspend', 'GCN-2027-000002')).toThrow(
      expect.objectContaining({ params: { serial: 'GCN-2027-000002' } }),
    );
  });

  it('covers every status', () => {
    for (const status of CERTIFICATE_STATUSES) {
      expect(() => outcome(status, 'revoke')).not.toThrow();
    }
  });
});
