import { IMPORT_KIND_SPECS, GENDER_CHOICES, LEVEL_CHOICES } from './import-kinds.types';
import { mapHeaders, normaliseRow } from './import-rows';
import {
  cellText,
  nationalIdText,
  parseBoolean,
  parseChoice,
  parseDate,
  parseInteger,
  parsePhone,
  parseUnitRef,
  splitFullName,
} from './import-values';
import { nationalIdProblem } from './national-id';

describe('import values', () => {
  it('reads dates as Excel cells, Excel serials, dd/mm/yyyy and ISO', () => {
    expect(parseDate(new Date(Date.UTC(1985, 2, 15)))).toEqual({ value: '1985-03-15' });
    expect(parseDate(31121)).toEqual({ value: '1985-03-15' });
    expect(parseDate('31121')).toEqual({ value: '1985-03-15' });
    expect(parseDate('15/03/1985')).toEqual({ value: '1985-03-15' });
    expect(parseDate('5/3/1985')).toEqual({ value: '1985-03-05' });
    expect(parseDate('15-03-1985')).toEqual({ value: '1985-03-15' });
    expect(parseDate('1985-03-15')).toEqual({ value: '1985-03-15' });
    expect(
      parseDate({ formula: 'DATE(1985,3,15)', result: new Date(Date.UTC(1985, 2, 15)) }),
    ).toEqual({ value: '1985-03-15' });
    expect(parseDate('')).toEqual({ value: null });
    expect(parseDate(null)).toEqual({ value: null });
  });

  it('refuses what is not a real day, in Vietnamese and English', () => {
    for (const bad of ['31/02/1985', '1985-13-01', 'mười lăm', '15/03/85', -3]) {
      const parsed = parseDate(bad);
      expect('problem' in parsed).toBe(true);
    }
    expect(parseDate('31/02/1985')).toEqual({
      problem: {
        vi: '"31/02/1985" không phải ngày: hãy ghi dd/mm/yyyy, yyyy-mm-dd hoặc dùng ô ngày của Excel.',
        en: '"31/02/1985" is not a date: write dd/mm/yyyy, yyyy-mm-dd or use an Excel date cell.',
      },
    });
  });

  it('splits full names by the Vietnamese order', () => {
    expect(splitFullName('Nguyễn Thị Minh Khai')).toEqual({
      value: { familyName: 'Nguyễn', middleName: 'Thị Minh', givenName: 'Khai' },
    });
    expect(splitFullName('  Lê   Anh ')).toEqual({
      value: { familyName: 'Lê', middleName: null, givenName: 'Anh' },
    });
    // Decomposed input (NFD) is stored composed.
    const nfd = 'Trần Văn Đức'.normalize('NFD');
    expect(splitFullName(nfd)).toEqual({
      value: { familyName: 'Trần', middleName: 'Văn', givenName: 'Đức' },
    });
    expect('problem' in splitFullName('Hùng')).toBe(true);
  });

  it('reads choice words whatever their case and diacritics', () => {
    expect(parseChoice('Nữ', GENDER_CHOICES)).toEqual({ value: 'female' });
    expect(parseChoice('nu', GENDER_CHOICES)).toEqual({ value: 'female' });
    expect(parseChoice('NAM', GENDER_CHOICES)).toEqual({ value: 'male' });
    expect(parseChoice('CĐCS', LEVEL_CHOICES)).toEqual({ value: 'grassroots' });
    expect(parseChoice('khác', GENDER_CHOICES)).toEqual({
      problem: {
        vi: '"khác" không có trong danh sách: Nam, Nữ.',
        en: '"khác" is not one of: Nam, Nữ.',
      },
    });
  });

  it('reads cells: formulas by their result, rich text, numbers; booleans and integers', () => {
    expect(cellText({ formula: 'A1&B1', result: 'Hà  Nội ' })).toBe('Hà Nội');
    expect(cellText({ richText: [{ text: 'Bắc ' }, { text: 'Ninh' }] })).toBe('Bắc Ninh');
    expect(cellText({ error: '#REF!' })).toBeNull();
    expect(parseBoolean('Có')).toEqual({ value: true });
    expect(parseBoolean('không')).toEqual({ value: false });
    expect(parseInteger('1.250')).toEqual({ value: 1250 });
    expect('problem' in parseInteger('-4')).toBe(true);
    expect(parsePhone('+84 912 345 678')).toEqual({ value: '0912345678' });
  });

  it('tells unit codes from paths of names', () => {
    expect(parseUnitRef('HN-HD')).toEqual({ value: { code: 'HN-HD', names: null } });
    expect(parseUnitRef('Liên đoàn Lao động tỉnh Bắc Ninh / Công đoàn KCN Quế Võ')).toEqual({
      value: { code: null, names: ['lien doan lao dong tinh bac ninh', 'cong doan kcn que vo'] },
    });
  });
});

describe('the national ID (CCCD) check', () => {
  it('accepts a number whose province, century, gender and year agree', () => {
    expect(nationalIdProblem('001085012345', '1985-04-30', 'male')).toBeNull();
    expect(nationalIdProblem('027190000001', '1990-01-01', 'female')).toBeNull();
    expect(nationalIdProblem('079305000001', '2005-01-01', 'female')).toBeNull();
    expect(nationalIdProblem('001085012345')).toBeNull();
  });

  it('refuses wrong length, letters, unknown province, gender or year', () => {
    expect(nationalIdProblem('00108501234')?.vi).toBe(
      'Số CCCD phải có đúng 12 chữ số (ô này có 11).',
    );
    expect(nationalIdProblem('00108501234A')?.vi).toBe('Số CCCD chỉ gồm chữ số.');
    expect(nationalIdProblem('003085012345')?.vi).toContain('(003) không phải mã tỉnh');
    expect(nationalIdProblem('001085012345', null, 'female')?.vi).toBe(
      'Chữ số thứ tư của số CCCD không khớp với giới tính.',
    );
    expect(nationalIdProblem('001085012345', '1986-01-01')?.vi).toBe(
      'Số CCCD ghi năm sinh 1985, khác với ngày sinh.',
    );
  });

  it('pads a number cell back to 12 digits', () => {
    expect(nationalIdText(1085012345)).toBe('001085012345');
    expect(nationalIdText('001 085 012 345')).toBe('001085012345');
  });
});

describe('header mapping and rows', () => {
  const spec = IMPORT_KIND_SPECS.people;

  it('finds columns by Vietnamese header, alias or English key, folded', () => {
    const map = mapHeaders(spec, ['HỌ VÀ TÊN', 'CCCD', 'orgUnit', 'Ghi chú'], 'Can bo');
    expect(map.index.get('fullName')).toBe(0);
    expect(map.index.get('nationalId')).toBe(1);
    expect(map.index.get('orgUnit')).toBe(2);
    const row = normaliseRow(map, ['Phan Thị Hồng', '001190000001', 'HN-HD', 'x'], 2, '2026-12-01');
    expect(row).toMatchObject({
      family_name: 'Phan',
      middle_name: 'Thị',
      given_name: 'Hồng',
      name: 'Phan Thị Hồng',
      search_name: 'phan thi hong',
      national_id: '001190000001',
      unit_code: 'HN-HD',
      errors: [],
    });
    expect(normaliseRow(map, [null, '', null], 3, '2026-12-01')).toBeNull();
  });

  it('names the missing headers', () => {
    expect(() => mapHeaders(spec, ['Họ và tên'], 'Can bo')).toThrow('IMPORT_MISSING_HEADERS');
  });
});
