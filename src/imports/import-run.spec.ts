import { copyField } from './import-run';

describe('a staged value in COPY text format', () => {
  it('writes null as \\N and escapes the separators and the backslash', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
    expect(copyField('Nguyễn Thị Ánh')).toBe('Nguyễn Thị Ánh');
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField(42)).toBe('42');
    expect(copyField(false)).toBe('false');
  });

  it('writes arrays and objects as JSON, escaped the same way', () => {
    expect(copyField([])).toBe('[]');
    expect(copyField(['Đức', 'C:\\tệp'])).toBe('["Đức","C:\\\\\\\\tệp"]');
    expect(copyField([{ message: 'dòng\t1' }])).toBe('[{"message":"dòng\\\\t1"}]');
  });
});
