import { Actor } from '../auth/actor';
import {
  normalised,
  RequestRow,
  requestAuditSnapshot,
  toRequestDto,
} from './profile-change-request.view';

const row: RequestRow = {
  id: 'r1',
  person_id: 'p1',
  state: 'pending',
  requested: { givenName: 'Hường', nationalId: '001185000999' },
  note: null,
  created_at: new Date('2026-12-06T21:00:00Z'),
  decided_at: null,
  decision_note: null,
  superseded_by_id: null,
  at_key: '2026-12-06T21:00:00.000000Z',
  full_name: 'Nguyễn Thị Hương',
  family_name: 'Nguyễn',
  middle_name: 'Thị',
  given_name: 'Hương',
  birth_date: '1985-09-02',
  gender: 'female',
  national_id: '001185000321',
  home_org_unit_id: 'u1',
  org_name: 'Công đoàn cơ sở',
  org_path: '/vn/hn/hd/may/',
};

const actor = (personId: string, role: 'hr' | 'training_officer', path = '/vn/hn/') =>
  new Actor('u', personId, 'x@lms.congdoan.test', 's', [{ role, orgUnitId: 'o', path }]);

describe('profile change request view', () => {
  it('shows the CCCD whole to the person and to HR over the person, masked to anyone else', () => {
    expect(toRequestDto(actor('p1', 'training_officer'), row).requested.nationalId).toBe(
      '001185000999',
    );
    const hr = toRequestDto(actor('p2', 'hr'), row);
    expect(hr.requested.nationalId).toBe('001185000999');
    expect(hr.current.nationalId).toBe('001185000321');
    const elsewhere = toRequestDto(actor('p2', 'hr', '/vn/bn/'), row);
    expect(elsewhere.requested.nationalId).toBe('********0999');
    expect(elsewhere.current.nationalId).toBe('********0321');
  });

  it('gives the current value of every field beside only the fields requested', () => {
    const dto = toRequestDto(actor('p1', 'hr'), row);
    expect(Object.keys(dto.requested)).toEqual(['givenName', 'nationalId']);
    expect(dto.current).toEqual({
      familyName: 'Nguyễn',
      middleName: 'Thị',
      givenName: 'Hương',
      birthDate: '1985-09-02',
      gender: 'female',
      nationalId: '001185000321',
    });
  });

  it('keeps no whole CCCD in the audit snapshot', () => {
    expect(requestAuditSnapshot(row).requested).toEqual({
      givenName: 'Hường',
      nationalId: '********0999',
    });
  });

  it('normalises names to NFC and an empty middle name to none', () => {
    const decomposed = 'Hường'.normalize('NFD');
    expect(normalised('givenName', decomposed)).toBe('Hường');
    expect(normalised('middleName', '')).toBeNull();
    expect(normalised('birthDate', '1985-09-02')).toBe('1985-09-02');
    expect(normalised('middleName', null)).toBeNull();
  });
});
