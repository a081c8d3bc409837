import ExcelJS from 'exceljs';
import { IMPORT_KIND_SPECS, IMPORT_KINDS, LEVEL_CHOICES } from './import-kinds.types';
import {
  attachment,
  choiceWord,
  columnLetter,
  exampleRow,
  templateXlsx,
  yesNo,
} from './template-workbook';

describe('template workbook', () => {
  it('names columns as Excel does', () => {
    expect([1, 26, 27, 52, 703].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'AAA']);
  });

  it('writes a choice as its Vietnamese word, an unknown value as given, booleans as Có/Không', () => {
    expect(choiceWord(LEVEL_CHOICES, 'federation')).toBe('LĐLĐ tỉnh, thành phố');
    expect(choiceWord(LEVEL_CHOICES, 'galaxy')).toBe('galaxy');
    expect([yesNo(true), yesNo(false), yesNo(null)]).toEqual(['Có', 'Không', null]);
  });

  it('gives a Vietnamese file name in filename* and an ASCII one for old clients', () => {
    expect(attachment('Mẫu nhập - Đơn vị (1).xlsx')).toBe(
      'attachment; filename="mau-nhap-don-vi-1-.xlsx"; ' +
        "filename*=UTF-8''M%E1%BA%ABu%20nh%E1%BA%ADp%20-%20%C4%90%C6%A1n%20v%E1%BB%8B%20%281%29.xlsx",
    );
  });

  it('has an example for every required column of every kind', () => {
    for (const kind of IMPORT_KINDS) {
      const spec = IMPORT_KIND_SPECS[kind];
      const row = exampleRow(spec);
      spec.columns.forEach((c, i) => {
        if (c.required)
          expect({ kind, key: c.key, value: row[i] }).not.toMatchObject({ value: null });
      });
    }
  });

  it('puts every list the workbook needs on the hidden sheet once, the short ones inline', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await templateXlsx()) as unknown as ArrayBuffer);
    const lists = book.getWorksheet('Danh muc')!;
    expect(lists.state).toBe('veryHidden');
    // The levels hold a comma: a column of their own, once for the whole workbook; genders,
    // sectors, post types … fit inline.
    expect(lists.getCell('A2').value).toBe('LĐLĐ tỉnh, thành phố');
    expect(lists.getCell('B1').value).toBeNull();
    const postType = book.getWorksheet('Chuc danh')!.getCell('B2').dataValidation;
    expect(postType.formulae[0]).toMatch(/^"Chủ tịch,Phó Chủ tịch,.*,Trưởng Ban Nữ công"$/);
    const gender = book.getWorksheet('Can bo')!.getCell('G3').dataValidation;
    expect(gender.formulae).toEqual(['"Nam,Nữ"']);
  });
});
