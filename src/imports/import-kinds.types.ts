import { EMPLOYMENT_KINDS, APPOINTMENT_METHODS } from '../posts/post.types';
import { POST_TYPE_LABELS, POST_TYPES } from '../posts/post-types';
import { ORG_LEVELS, SECTORS } from '../org-units/org-unit.types';
import { GENDERS } from '../people/person.types';
import { ROLES } from '../auth/roles';

/**
 * The shapes a federation's data comes in and goes out as: one sheet (or one file) per kind,
 * one column per field. Import, export and the downloadable templates all read this list, so a
 * file exported from one federation imports into another unchanged.
 *
 * A column is found by its Vietnamese header as HR writes it, by any alias, or by its English
 * key; the comparison folds case, diacritics and spacing ("ho va ten" finds "Họ và tên").
 */
export const IMPORT_KINDS = [
  'org_units',
  'people',
  'posts',
  'terms',
  'appointments',
  'accounts',
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export type ColumnType =
  | 'text'
  | 'code'
  | 'date'
  | 'integer'
  | 'boolean'
  | 'email'
  | 'phone'
  | 'national_id'
  | 'unit_ref'
  | 'person_ref'
  | 'choice';

export interface ChoiceValue {
  value: string;
  /** The words a spreadsheet may hold for this value (Vietnamese first, as the template lists). */
  words: readonly string[];
}

export interface ImportColumn {
  /** English key: also accepted as a header, and the JSON name in reports. */
  key: string;
  /** The header of the template and of exports. */
  header: string;
  /** Other headers HR files are known to use. */
  aliases?: readonly string[];
  type: ColumnType;
  required?: boolean;
  /** For `choice` columns: the allowed values, offered as a drop-down list in the template. */
  choices?: readonly ChoiceValue[];
  /** Shown as the header cell's comment in the template. */
  hint: string;
}

export interface ImportKindSpec {
  kind: ImportKind;
  /** Sheet name in a workbook that holds several kinds, and the file name of the template. */
  sheet: string;
  title: { vi: string; en: string };
  /** Columns that identify an existing row, in the order tried (the import is idempotent on them). */
  matchBy: readonly string[];
  columns: readonly ImportColumn[];
  /**
   * Columns that may stand in for one another: at least one of each group is required (a full
   * name, or its parts; a unit code, or the unit's path of names).
   */
  oneOf?: readonly (readonly string[])[];
}

const choice = (value: string, ...words: string[]): ChoiceValue => ({ value, words });

export const GENDER_CHOICES: readonly ChoiceValue[] = [
  choice('male', 'Nam', 'male', 'M'),
  choice('female', 'Nữ', 'female', 'F'),
];
export const LEVEL_CHOICES: readonly ChoiceValue[] = [
  choice('confederation', 'Tổng Liên đoàn', 'confederation'),
  choice('federation', 'LĐLĐ tỉnh, thành phố', 'Liên đoàn Lao động tỉnh', 'federation'),
  choice('sectoral', 'Công đoàn ngành Trung ương', 'Công đoàn ngành', 'sectoral'),
  choice('upper', 'Công đoàn cấp trên trực tiếp cơ sở', 'Cấp trên cơ sở', 'upper'),
  choice('grassroots', 'Công đoàn cơ sở', 'CĐCS', 'grassroots'),
  choice('sub_unit', 'Công đoàn bộ phận', 'Tổ công đoàn', 'sub_unit'),
];
export const SECTOR_CHOICES: readonly ChoiceValue[] = [
  choice('public_service', 'Hành chính sự nghiệp', 'public_service'),
  choice('state_enterprise', 'Doanh nghiệp nhà nước', 'state_enterprise'),
  choice('private', 'Doanh nghiệp ngoài nhà nước', 'Tư nhân', 'private'),
  choice('fdi', 'Doanh nghiệp FDI', 'Có vốn đầu tư nước ngoài', 'fdi'),
  choice('cooperative', 'Hợp tác xã', 'cooperative'),
  choice('informal', 'Khu vực phi chính thức', 'Nghiệp đoàn', 'informal'),
];
export const POST_TYPE_CHOICES: readonly ChoiceValue[] = POST_TYPES.map((t) =>
  choice(t, POST_TYPE_LABELS[t].vi, POST_TYPE_LABELS[t].en, t),
);
export const EMPLOYMENT_CHOICES: readonly ChoiceValue[] = [
  choice('full_time', 'Chuyên trách', 'full_time'),
  choice('part_time', 'Không chuyên trách', 'Kiêm nhiệm', 'part_time'),
];
export const METHOD_CHOICES: readonly ChoiceValue[] = [
  choice('elected', 'Bầu', 'Được bầu', 'elected'),
  choice('appointed', 'Chỉ định', 'appointed'),
];
export const ROLE_CHOICES: readonly ChoiceValue[] = [
  choice('admin', 'Quản trị', 'admin'),
  choice('hr', 'Tổ chức cán bộ', 'hr'),
  choice('training_officer', 'Cán bộ đào tạo', 'training_officer'),
  choice('learner', 'Học viên', 'learner'),
];

const UNIT_REF_HINT =
  'Mã đơn vị (ví dụ LDLD-BN) hoặc đường dẫn tên từ cấp trên xuống, ngăn cách bằng " / " ' +
  '(ví dụ "Liên đoàn Lao động tỉnh Bắc Ninh / Công đoàn KCN Quế Võ")';
const PERSON_REF_HINT = 'Số CCCD (12 chữ số) hoặc mã cán bộ của người đã có trong hệ thống';
const DATE_HINT = 'Ngày dạng dd/mm/yyyy, yyyy-mm-dd hoặc ô ngày của Excel';

export const IMPORT_KIND_SPECS: Record<ImportKind, ImportKindSpec> = {
  org_units: {
    kind: 'org_units',
    sheet: 'Don vi',
    title: { vi: 'Đơn vị', en: 'Org units' },
    matchBy: ['code'],
    oneOf: [['parentCode', 'parentPath']],
    columns: [
      {
        key: 'code',
        header: 'Mã đơn vị',
        type: 'code',
        required: true,
        hint: 'Mã duy nhất, tối đa 40 ký tự',
      },
      {
        key: 'name',
        header: 'Tên đơn vị',
        type: 'text',
        required: true,
        hint: 'Tên đầy đủ, có dấu',
      },
      {
        key: 'level',
        header: 'Cấp',
        aliases: ['Cấp đơn vị'],
        type: 'choice',
        required: true,
        choices: LEVEL_CHOICES,
        hint: 'Chọn trong danh sách',
      },
      { key: 'parentCode', header: 'Mã đơn vị cấp trên', type: 'unit_ref', hint: UNIT_REF_HINT },
      { key: 'parentPath', header: 'Đơn vị cấp trên', type: 'unit_ref', hint: UNIT_REF_HINT },
      {
        key: 'sector',
        header: 'Khu vực',
        aliases: ['Loại hình'],
        type: 'choice',
        choices: SECTOR_CHOICES,
        hint: 'Khu vực, loại hình của đơn vị cơ sở',
      },
      {
        key: 'provinceCode',
        header: 'Mã tỉnh',
        type: 'code',
        hint: 'Hai chữ số, ví dụ 27 (Bắc Ninh)',
      },
      { key: 'memberCount', header: 'Số đoàn viên', type: 'integer', hint: 'Số nguyên không âm' },
    ],
  },
  people: {
    kind: 'people',
    sheet: 'Can bo',
    title: { vi: 'Cán bộ, đoàn viên', en: 'People' },
    matchBy: ['nationalId', 'externalId'],
    oneOf: [
      ['fullName', 'givenName'],
      ['nationalId', 'externalId'],
    ],
    columns: [
      {
        key: 'externalId',
        header: 'Mã cán bộ',
        aliases: ['Mã định danh', 'Mã nhân sự'],
        type: 'code',
        hint: 'Mã của cán bộ trong hệ thống của đơn vị (tùy chọn)',
      },
      {
        key: 'fullName',
        header: 'Họ và tên',
        aliases: ['Họ tên'],
        type: 'text',
        hint: 'Họ, tên đệm và tên trong một ô; hoặc dùng ba cột Họ, Tên đệm, Tên',
      },
      { key: 'familyName', header: 'Họ', type: 'text', hint: 'Khi tách riêng' },
      {
        key: 'middleName',
        header: 'Tên đệm',
        aliases: ['Chữ đệm'],
        type: 'text',
        hint: 'Khi tách riêng',
      },
      { key: 'givenName', header: 'Tên', type: 'text', hint: 'Khi tách riêng' },
      { key: 'birthDate', header: 'Ngày sinh', type: 'date', hint: DATE_HINT },
      {
        key: 'gender',
        header: 'Giới tính',
        type: 'choice',
        choices: GENDER_CHOICES,
        hint: 'Nam hoặc Nữ',
      },
      {
        key: 'ethnicityCode',
        header: 'Mã dân tộc',
        type: 'code',
        hint: 'Hai chữ số theo danh mục dân tộc, ví dụ 01 (Kinh)',
      },
      {
        key: 'nationalId',
        header: 'Số CCCD',
        aliases: ['CCCD', 'Số căn cước', 'Số căn cước công dân', 'Số định danh cá nhân'],
        type: 'national_id',
        hint: '12 chữ số; nhập dạng văn bản để giữ số 0 đầu',
      },
      {
        key: 'email',
        header: 'Email',
        aliases: ['Thư điện tử', 'E-mail'],
        type: 'email',
        hint: 'Địa chỉ thư điện tử',
      },
      {
        key: 'phone',
        header: 'Số điện thoại',
        aliases: ['Điện thoại', 'SĐT'],
        type: 'phone',
        hint: 'Ví dụ 0912 345 678',
      },
      {
        key: 'orgUnit',
        header: 'Đơn vị',
        aliases: ['Đơn vị công tác', 'Mã đơn vị'],
        type: 'unit_ref',
        required: true,
        hint: UNIT_REF_HINT,
      },
    ],
  },
  posts: {
    kind: 'posts',
    sheet: 'Chuc danh',
    title: { vi: 'Chức danh của đơn vị', en: 'Posts' },
    matchBy: ['orgUnit', 'postType', 'title'],
    columns: [
      {
        key: 'orgUnit',
        header: 'Đơn vị',
        aliases: ['Mã đơn vị'],
        type: 'unit_ref',
        required: true,
        hint: UNIT_REF_HINT,
      },
      {
        key: 'postType',
        header: 'Chức vụ',
        aliases: ['Chức danh', 'Loại chức danh'],
        type: 'choice',
        required: true,
        choices: POST_TYPE_CHOICES,
        hint: 'Chọn trong danh sách',
      },
      {
        key: 'title',
        header: 'Tên chức danh',
        type: 'text',
        hint: 'Tên hiển thị; để trống thì dùng tên chức vụ',
      },
      {
        key: 'employment',
        header: 'Chế độ',
        aliases: ['Chuyên trách/Không chuyên trách'],
        type: 'choice',
        choices: EMPLOYMENT_CHOICES,
        hint: 'Chuyên trách hoặc Không chuyên trách',
      },
      {
        key: 'singleHolder',
        header: 'Một người đảm nhiệm',
        type: 'boolean',
        hint: 'Có/Không; để trống theo mặc định của chức vụ',
      },
      {
        key: 'keyPost',
        header: 'Chức danh chủ chốt',
        type: 'boolean',
        hint: 'Có/Không; để trống theo mặc định của chức vụ',
      },
    ],
  },
  terms: {
    kind: 'terms',
    sheet: 'Nhiem ky',
    title: { vi: 'Nhiệm kỳ', en: 'Terms' },
    matchBy: ['orgUnit', 'name'],
    columns: [
      {
        key: 'orgUnit',
        header: 'Đơn vị',
        aliases: ['Mã đơn vị'],
        type: 'unit_ref',
        required: true,
        hint: UNIT_REF_HINT,
      },
      {
        key: 'name',
        header: 'Nhiệm kỳ',
        aliases: ['Tên nhiệm kỳ'],
        type: 'text',
        required: true,
        hint: 'Ví dụ "Nhiệm kỳ 2023–2028"',
      },
      {
        key: 'startDate',
        header: 'Ngày bắt đầu',
        aliases: ['Từ ngày'],
        type: 'date',
        required: true,
        hint: DATE_HINT,
      },
      {
        key: 'endDate',
        header: 'Ngày kết thúc',
        aliases: ['Đến ngày'],
        type: 'date',
        required: true,
        hint: DATE_HINT,
      },
    ],
  },
  appointments: {
    kind: 'appointments',
    sheet: 'Bo nhiem',
    title: { vi: 'Bầu cử, bổ nhiệm', en: 'Appointments' },
    matchBy: ['person', 'orgUnit', 'postType', 'startDate'],
    columns: [
      {
        key: 'person',
        header: 'Số CCCD',
        aliases: ['CCCD', 'Mã cán bộ', 'Số căn cước công dân'],
        type: 'person_ref',
        required: true,
        hint: PERSON_REF_HINT,
      },
      {
        key: 'fullName',
        header: 'Họ và tên',
        aliases: ['Họ tên'],
        type: 'text',
        hint: 'Để đối chiếu; không thay đổi hồ sơ',
      },
      {
        key: 'orgUnit',
        header: 'Đơn vị',
        aliases: ['Mã đơn vị'],
        type: 'unit_ref',
        required: true,
        hint: UNIT_REF_HINT,
      },
      {
        key: 'postType',
        header: 'Chức vụ',
        aliases: ['Chức danh'],
        type: 'choice',
        required: true,
        choices: POST_TYPE_CHOICES,
        hint: 'Chọn trong danh sách',
      },
      { key: 'term', header: 'Nhiệm kỳ', type: 'text', hint: 'Tên nhiệm kỳ của đơn vị (tùy chọn)' },
      {
        key: 'method',
        header: 'Hình thức',
        aliases: ['Bầu/Chỉ định'],
        type: 'choice',
        choices: METHOD_CHOICES,
        hint: 'Bầu hoặc Chỉ định; mặc định Bầu',
      },
      {
        key: 'startDate',
        header: 'Ngày bắt đầu',
        aliases: ['Từ ngày'],
        type: 'date',
        required: true,
        hint: DATE_HINT,
      },
      {
        key: 'endDate',
        header: 'Ngày kết thúc',
        aliases: ['Đến ngày'],
        type: 'date',
        hint: DATE_HINT,
      },
    ],
  },
  accounts: {
    kind: 'accounts',
    sheet: 'Tai khoan',
    title: { vi: 'Tài khoản và vai trò', en: 'Accounts and roles' },
    matchBy: ['email'],
    columns: [
      {
        key: 'email',
        header: 'Email đăng nhập',
        aliases: ['Email', 'Tài khoản'],
        type: 'email',
        required: true,
        hint: 'Địa chỉ dùng để đăng nhập',
      },
      {
        key: 'person',
        header: 'Số CCCD',
        aliases: ['CCCD', 'Mã cán bộ'],
        type: 'person_ref',
        required: true,
        hint: PERSON_REF_HINT,
      },
      {
        key: 'role',
        header: 'Vai trò',
        type: 'choice',
        required: true,
        choices: ROLE_CHOICES,
        hint: 'Chọn trong danh sách',
      },
      {
        key: 'scope',
        header: 'Phạm vi',
        aliases: ['Đơn vị phạm vi'],
        type: 'unit_ref',
        required: true,
        hint: 'Đơn vị mà vai trò có hiệu lực (cả các đơn vị trực thuộc). ' + UNIT_REF_HINT,
      },
    ],
  },
};

// The choice lists above name every value of the enums they stand for; a new enum value must be
// given its words here (the compiler cannot see into the arrays, so these assertions do).
const sameValues = (a: readonly ChoiceValue[], b: readonly string[]) =>
  a.length === b.length && a.every((c) => b.includes(c.value));
if (
  !sameValues(GENDER_CHOICES, GENDERS) ||
  !sameValues(LEVEL_CHOICES, ORG_LEVELS) ||
  !sameValues(SECTOR_CHOICES, SECTORS) ||
  !sameValues(EMPLOYMENT_CHOICES, EMPLOYMENT_KINDS) ||
  !sameValues(METHOD_CHOICES, APPOINTMENT_METHODS) ||
  !sameValues(ROLE_CHOICES, ROLES)
) {
  throw new Error('import-kinds: a choice list no longer matches its enum');
}
