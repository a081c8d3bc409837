import type { Gender } from '../people/person.types';
import type { OrgLevel, Sector } from '../org-units/org-unit.types';

/** The demo union tree of docs/domain.md#hierarchy-and-scope in miniature. Codes are stable: the seed is idempotent. */
export interface DemoUnit {
  code: string;
  name: string;
  level: OrgLevel;
  sector?: Sector;
  provinceCode?: string;
  parent?: string;
  memberCount: number;
}

export const DEMO_UNITS: DemoUnit[] = [
  {
    code: 'VGCL',
    name: 'Tổng Liên đoàn Lao động Việt Nam',
    level: 'confederation',
    memberCount: 11_000_000,
  },
  {
    code: 'HN',
    name: 'Liên đoàn Lao động Thành phố Hà Nội',
    level: 'federation',
    provinceCode: '01',
    parent: 'VGCL',
    memberCount: 1_100_000,
  },
  {
    code: 'BN',
    name: 'Liên đoàn Lao động tỉnh Bắc Ninh',
    level: 'federation',
    provinceCode: '24',
    parent: 'VGCL',
    memberCount: 420_000,
  },
  {
    code: 'HN-HD',
    name: 'Công đoàn phường Hà Đông',
    level: 'upper',
    provinceCode: '01',
    parent: 'HN',
    memberCount: 18_500,
  },
  {
    code: 'HN-KCN-TL',
    name: 'Công đoàn các Khu công nghiệp Thăng Long',
    level: 'upper',
    provinceCode: '01',
    parent: 'HN',
    memberCount: 52_000,
  },
  {
    code: 'BN-KCN-YP',
    name: 'Công đoàn các Khu công nghiệp Yên Phong',
    level: 'upper',
    provinceCode: '24',
    parent: 'BN',
    memberCount: 61_000,
  },
  {
    code: 'BN-TS',
    name: 'Công đoàn phường Từ Sơn',
    level: 'upper',
    provinceCode: '24',
    parent: 'BN',
    memberCount: 9_800,
  },
  {
    code: 'HN-HD-MAY',
    name: 'Công đoàn cơ sở Công ty TNHH May Hà Đông',
    level: 'grassroots',
    sector: 'private',
    provinceCode: '01',
    parent: 'HN-HD',
    memberCount: 850,
  },
  {
    code: 'HN-HD-THPT',
    name: 'Công đoàn cơ sở Trường THPT Quang Trung – Hà Đông',
    level: 'grassroots',
    sector: 'public_service',
    provinceCode: '01',
    parent: 'HN-HD',
    memberCount: 96,
  },
  {
    code: 'HN-HD-HTX',
    name: 'Công đoàn cơ sở Hợp tác xã Dịch vụ Nông nghiệp Đồng Mai',
    level: 'grassroots',
    sector: 'cooperative',
    provinceCode: '01',
    parent: 'HN-HD',
    memberCount: 42,
  },
  {
    code: 'HN-TL-CANON',
    name: 'Công đoàn cơ sở Công ty TNHH Điện tử Thăng Long',
    level: 'grassroots',
    sector: 'fdi',
    provinceCode: '01',
    parent: 'HN-KCN-TL',
    memberCount: 3_200,
  },
  {
    code: 'HN-TL-DIEN',
    name: 'Công đoàn cơ sở Tổng công ty Điện lực Hà Nội – Chi nhánh Đông Anh',
    level: 'grassroots',
    sector: 'state_enterprise',
    provinceCode: '01',
    parent: 'HN-KCN-TL',
    memberCount: 410,
  },
  {
    code: 'HN-TL-COKHI',
    name: 'Công đoàn cơ sở Công ty Cổ phần Cơ khí Đông Anh',
    level: 'grassroots',
    sector: 'private',
    provinceCode: '01',
    parent: 'HN-KCN-TL',
    memberCount: 620,
  },
  {
    code: 'BN-YP-SAMSUNG',
    name: 'Công đoàn cơ sở Công ty TNHH Điện tử Yên Phong',
    level: 'grassroots',
    sector: 'fdi',
    provinceCode: '24',
    parent: 'BN-KCN-YP',
    memberCount: 12_400,
  },
  {
    code: 'BN-YP-BAOBI',
    name: 'Công đoàn cơ sở Công ty Cổ phần Bao bì Kinh Bắc',
    level: 'grassroots',
    sector: 'private',
    provinceCode: '24',
    parent: 'BN-KCN-YP',
    memberCount: 380,
  },
  {
    code: 'BN-YP-NUOC',
    name: 'Công đoàn cơ sở Công ty Cấp nước Bắc Ninh – Xí nghiệp Yên Phong',
    level: 'grassroots',
    sector: 'state_enterprise',
    provinceCode: '24',
    parent: 'BN-KCN-YP',
    memberCount: 150,
  },
  {
    code: 'BN-TS-GO',
    name: 'Công đoàn cơ sở Hợp tác xã Đồ gỗ Đồng Kỵ',
    level: 'grassroots',
    sector: 'cooperative',
    provinceCode: '24',
    parent: 'BN-TS',
    memberCount: 65,
  },
  {
    code: 'BN-TS-BV',
    name: 'Công đoàn cơ sở Bệnh viện Đa khoa Từ Sơn',
    level: 'grassroots',
    sector: 'public_service',
    provinceCode: '24',
    parent: 'BN-TS',
    memberCount: 540,
  },
  {
    code: 'BN-TS-NGHIEPDOAN',
    name: 'Nghiệp đoàn Lao động tự do Từ Sơn',
    level: 'grassroots',
    sector: 'informal',
    provinceCode: '24',
    parent: 'BN-TS',
    memberCount: 120,
  },
];

export interface DemoPerson {
  key: string;
  familyName: string;
  middleName: string;
  givenName: string;
  gender: Gender;
  birthDate: string;
  unit: string;
  /** What the person does, for the README and later for posts (chair, vice-chair, …). */
  post: 'chair' | 'vice_chair' | 'executive_member' | 'staff';
}

const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Vũ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Ngô',
  'Dương',
  'Lý',
];
const MIDDLE_F = ['Thị', 'Thị Thu', 'Thị Minh', 'Ngọc', 'Thị Hồng', 'Thanh'];
const MIDDLE_M = ['Văn', 'Đức', 'Minh', 'Quang', 'Hữu', 'Xuân'];
const GIVEN_F = [
  'Hương',
  'Lan',
  'Hà',
  'Thảo',
  'Ngân',
  'Yến',
  'Trang',
  'Huyền',
  'Mai',
  'Hằng',
  'Liên',
  'Nhung',
];
const GIVEN_M = [
  'Dũng',
  'Hùng',
  'Tuấn',
  'Thắng',
  'Cường',
  'Long',
  'Sơn',
  'Phúc',
  'Khánh',
  'Đạt',
  'Quý',
  'Việt',
];

/** The people of the demo: staff of the federations, and three cadres in each grassroots union. */
export function demoPeople(): DemoPerson[] {
  const people: DemoPerson[] = [
    {
      key: 'admin',
      familyName: 'Phan',
      middleName: 'Văn',
      givenName: 'Anh',
      gender: 'male',
      birthDate: '1975-03-12',
      unit: 'VGCL',
      post: 'staff',
    },
    {
      key: 'hr.hanoi',
      familyName: 'Đinh',
      middleName: 'Thị Thanh',
      givenName: 'Bình',
      gender: 'female',
      birthDate: '1980-07-21',
      unit: 'HN',
      post: 'staff',
    },
    {
      key: 'daotao.hanoi',
      familyName: 'Trịnh',
      middleName: 'Quốc',
      givenName: 'Huy',
      gender: 'male',
      birthDate: '1984-11-02',
      unit: 'HN',
      post: 'staff',
    },
    {
      key: 'daotao.bacninh',
      familyName: 'Nguyễn',
      middleName: 'Thị',
      givenName: 'Thu',
      gender: 'female',
      birthDate: '1986-05-17',
      unit: 'BN',
      post: 'staff',
    },
  ];
  const grassroots = DEMO_UNITS.filter((u) => u.level === 'grassroots');
  let n = 0;
  for (const unit of grassroots) {
    for (const post of ['chair', 'vice_chair', 'executive_member'] as const) {
      const female = (n + (post === 'chair' ? 1 : 0)) % 3 !== 0;
      const isDemoChair = unit.code === 'HN-HD-MAY' && post === 'chair';
      people.push(
        isDemoChair
          ? {
              key: 'chutich.mayhadong',
              familyName: 'Nguyễn',
              middleName: 'Thị',
              givenName: 'Hương',
              gender: 'female',
              birthDate: '1985-09-02',
              unit: unit.code,
              post,
            }
          : {
              key: `${unit.code}-${post}`,
              familyName: FAMILY[(n * 7) % FAMILY.length],
              middleName: (female ? MIDDLE_F : MIDDLE_M)[(n * 5) % 6],
              givenName: (female ? GIVEN_F : GIVEN_M)[(n * 11) % 12],
              gender: female ? 'female' : 'male',
              birthDate: `${1968 + ((n * 13) % 30)}-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + ((n * 3) % 28)).padStart(2, '0')}`,
              unit: unit.code,
              post,
            },
      );
      n += 1;
    }
  }
  return people;
}

/** A 12-digit CCCD: province of birth (3), gender-century digit, year (2), then a serial. */
export function demoNationalId(p: DemoPerson, index: number, provinceCode: string): string {
  const year = Number(p.birthDate.slice(0, 4));
  const genderCentury = (year >= 2000 ? 2 : 0) + (p.gender === 'female' ? 1 : 0);
  return `0${provinceCode}${genderCentury}${String(year % 100).padStart(2, '0')}${String(100_000 + index).padStart(6, '0')}`;
}

export const DEMO_PASSWORD = 'Demo@2026';
export const DEMO_EMAIL_DOMAIN = 'lms.congdoan.test';

export const DEMO_ACCOUNTS: {
  person: string;
  email: string;
  role?: 'admin' | 'hr' | 'training_officer';
  unit?: string;
}[] = [
  { person: 'admin', email: `admin@${DEMO_EMAIL_DOMAIN}`, role: 'admin', unit: 'VGCL' },
  { person: 'hr.hanoi', email: `hr.hanoi@${DEMO_EMAIL_DOMAIN}`, role: 'hr', unit: 'HN' },
  {
    person: 'daotao.hanoi',
    email: `daotao.hanoi@${DEMO_EMAIL_DOMAIN}`,
    role: 'training_officer',
    unit: 'HN',
  },
  {
    person: 'daotao.bacninh',
    email: `daotao.bacninh@${DEMO_EMAIL_DOMAIN}`,
    role: 'training_officer',
    unit: 'BN',
  },
  { person: 'chutich.mayhadong', email: `chutich.mayhadong@${DEMO_EMAIL_DOMAIN}` },
];
