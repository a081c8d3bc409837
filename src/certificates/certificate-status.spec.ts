import { effectiveStatus, lapsedOnVi, statusInWords } from './certificate-status';
import { dayAfter } from '../common/dates/calendar';
import { isoToVi } from '../common/dates/vietnam-dates';

describe('certificate status in words', () => {
  const base = { changedOn: null, expiresOn: null, replacedBy: null };

  it('says each status in Vietnamese with its date', () => {
    expect(statusInWords('vi', { ...base, status: 'valid' })).toBe('Còn hiệu lực');
    expect(statusInWords('vi', { ...base, status: 'valid', expiresOn: '2030-01-31' })).toBe(
      'Còn hiệu lực đến hết ngày 31/01/2030',
    );
    expect(statusInWords('vi', { ...base, status: 'suspended', changedOn: '20/03/2027' })).toBe(
      'Tạm đình chỉ từ ngày 20/03/2027',
    );
    expect(statusInWords('vi', { ...base, status: 'revoked', changedOn: '21/03/2027' })).toBe(
      'Đã thu hồi ngày 21/03/2027',
    );
    expect(
      statusInWords('vi', {
        ...base,
        status: 'replaced',
        replacedBy: { serial: 'GCN-2027-000013', issuedOn: '05/01/2027' },
      }),
    ).toBe('Đã thay thế bằng giấy chứng nhận số hiệu GCN-2027-000013 cấp ngày 05/01/2027');
    // Valid through 31/01/2030: no longer valid from the next day.
    expect(statusInWords('vi', { ...base, status: 'expired', expiresOn: '2030-01-31' })).toBe(
      'Hết hiệu lực từ ngày 01/02/2030',
    );
  });

  it('says it in English when asked', () => {
    expect(statusInWords('en', { ...base, status: 'valid', expiresOn: '2030-01-31' })).toBe(
      'Valid through 31/01/2030',
    );
    expect(statusInWords('en', { ...base, status: 'expired', expiresOn: '2028-02-28' })).toBe(
      'Expired since 29/02/2028',
    );
  });

  it('is expired from the day after the last valid day, whatever the stored status says', () => {
    expect(effectiveStatus('valid', '2030-01-31', '2030-01-31')).toBe('valid');
    expect(effectiveStatus('valid', '2030-01-31', '2030-02-01')).toBe('expired');
    expect(effectiveStatus('valid', null, '2099-01-01')).toBe('valid');
    // Only a valid certificate lapses by the calendar; the others keep their own status.
    expect(effectiveStatus('suspended', '2030-01-31', '2030-02-01')).toBe('suspended');
    expect(effectiveStatus('revoked', '2030-01-31', '2030-02-01')).toBe('revoked');
  });

  it('counts days across months and years', () => {
    expect(dayAfter('2029-12-31')).toBe('2030-01-01');
    expect(dayAfter('2028-02-28')).toBe('2028-02-29');
    expect(lapsedOnVi('2027-02-28')).toBe('01/03/2027');
    expect(isoToVi('2026-12-01')).toBe('01/12/2026');
    expect(() => isoToVi('01/12/2026')).toThrow(RangeError);
  });
});
