import { DomainError, localizeParams } from '../common/errors/domain-error';
import { ERROR_CATALOG } from '../common/errors/error-catalog';
import { interpolate } from '../common/http/language';
import { CertificateTransition, nextStatus } from './certificate-lifecycle';
import { CERTIFICATE_STATUSES, CertificateStatus } from './certificate.types';

const CONTEXT = { successorSerial: 'GCN-2027-000002', lapsedOn: '01/02/2030' };

function outcome(from: CertificateStatus, action: CertificateTransition): string {
  try {
    return nextStatus(from, action, CONTEXT);
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

function refusal(from: CertificateStatus, action: CertificateTransition): DomainError {
  try {
    nextStatus(from, action, CONTEXT);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`${from} → ${action} was allowed`);
}

describe('certificate status machine', () => {
  it.each<[CertificateStatus, CertificateTransition, string]>([
    ['valid', 'suspend', 'suspended'],
    ['valid', 'reinstate', 'CERTIFICATE_STATUS_INVALID'],
    ['valid', 'revoke', 'revoked'],
    ['valid', 'reissue', 'replaced'],
    ['valid', 'expire', 'expired'],
    ['suspended', 'suspend', 'CERTIFICATE_STATUS_INVALID'],
    ['suspended', 'reinstate', 'valid'],
    ['suspended', 'revoke', 'revoked'],
    ['suspended', 'reissue', 'CERTIFICATE_SUSPENDED'],
    ['suspended', 'expire', 'CERTIFICATE_STATUS_INVALID'],
    ['expired', 'suspend', 'CERTIFICATE_EXPIRED'],
    ['expired', 'reinstate', 'CERTIFICATE_EXPIRED'],
    ['expired', 'revoke', 'revoked'],
    ['expired', 'reissue', 'CERTIFICATE_EXPIRED'],
    ['expired', 'expire', 'CERTIFICATE_EXPIRED'],
  ])('%s → %s gives %s', (from, action, expected) => {
    expect(outcome(from, action)).toBe(expected);
  });

  it('keeps revoked and replaced final, whatever is asked', () => {
    const actions: CertificateTransition[] = [
      'suspend',
      'reinstate',
      'revoke',
      'reissue',
      'expire',
    ];
    for (const action of actions) {
      expect(outcome('revoked', action)).toBe('CERTIFICATE_REVOKED');
      expect(outcome('replaced', action)).toBe('CERTIFICATE_REPLACED');
    }
  });

  it('names the successor when refusing to touch a replaced certificate', () => {
    expect(refusal('replaced', 'suspend').params).toEqual({ serial: 'GCN-2027-000002' });
  });

  it('dates the end of validity when refusing to touch an expired certificate', () => {
    const error = refusal('expired', 'reissue');
    expect(interpolate(ERROR_CATALOG[error.code].vi, error.params)).toContain(
      'hết hiệu lực từ ngày 01/02/2030',
    );
  });

  it('names status and move in the reader’s language, never an English word in Vietnamese', () => {
    const error = refusal('suspended', 'suspend');
    expect(interpolate(ERROR_CATALOG[error.code].vi, error.params)).toBe(
      'Giấy chứng nhận đang ở trạng thái “tạm đình chỉ” nên không thể tạm đình chỉ.',
    );
    expect(
      interpolate(ERROR_CATALOG[error.code].en, localizeParams(error.localizedParams, 'en')),
    ).toBe('The certificate is suspended, so it cannot be suspended.');
    const valid = refusal('valid', 'reinstate');
    expect(interpolate(ERROR_CATALOG[valid.code].vi, valid.params)).toBe(
      'Giấy chứng nhận đang ở trạng thái “còn hiệu lực” nên không thể khôi phục hiệu lực.',
    );
  });

  it('covers every status', () => {
    for (const status of CERTIFICATE_STATUSES) {
      expect(() => outcome(status, 'revoke')).not.toThrow();
    }
  });
});
