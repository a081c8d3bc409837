import { CsvSyntaxError, guardCell, parseCsv, unguardCell, writeCsv } from './csv';

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe('parseCsv', () => {
  it('splits plain fields and records, CRLF, LF or CR', () => {
    expect(fields('a,b,c\r\n1,2,3\n4,5,6\r7,8,9')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
      ['4', '5', '6'],
      ['7', '8', '9'],
    ]);
  });

  it('reads commas, doubled quotes and line breaks inside quoted fields', () => {
    expect(fields('"Đối thoại, thương lượng","Nói ""có""","dòng 1\r\ndòng 2\nx"\r\n')).toEqual([
      ['Đối thoại, thương lượng', 'Nói "có"', 'dòng 1\r\ndòng 2\nx'],
    ]);
  });

  it('keeps empty fields, a quoted empty field and a trailing empty field', () => {
    expect(fields('a,,""\n,b,\n')).toEqual([
      ['a', '', ''],
      ['', 'b', ''],
    ]);
  });

  it('skips a byte-order mark and keeps Vietnamese text as written', () => {
    expect(fields('\uFEFFmã,tên\nC1,Bản lĩnh chính trị')).toEqual([
      ['mã', 'tên'],
      ['C1', 'Bản lĩnh chính trị'],
    ]);
  });

  it('numbers records as spreadsheet rows, counting blank lines and multi-line fields once', () => {
    const records = parseCsv('h\n\n"x\ny"\nz');
    expect(records.map((r) => [r.row, r.fields])).toEqual([
      [1, ['h']],
      [2, ['']],
      [3, ['x\ny']],
      [4, ['z']],
    ]);
  });

  it('answers nothing for empty text', () => {
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('\uFEFF')).toEqual([]);
  });

  it('refuses an unclosed quote, text after a closing quote and a stray quote, with the row', () => {
    const rowOf = (text: string) => {
      try {
        parseCsv(text);
      } catch (e) {
        return e instanceof CsvSyntaxError ? e.row : -1;
      }
      return 0;
    };
    expect(rowOf('a\n"open')).toBe(2);
    expect(rowOf('a\n"x"y,b')).toBe(2);
    expect(rowOf('a\nb"c')).toBe(2);
  });
});

describe('writeCsv and guardCell', () => {
  it('writes a BOM and CRLF, and quotes only what needs it', () => {
    expect(
      writeCsv([
        ['a', 'b,c'],
        ['x"y', 'dòng\nmới'],
      ]),
    ).toBe('\uFEFFa,"b,c"\r\n"x""y","dòng\nmới"\r\n');
  });

  it('quotes a semicolon and surrounding white space, as Excel would otherwise split or trim', () => {
    expect(writeCsv([['a;b', ' x', 'y ', 'z']])).toBe('\uFEFF"a;b"," x","y ",z\r\n');
  });

  it('defuses a formula start (= + - @ tab CR), and unguardCell undoes it', () => {
    expect(guardCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(guardCell('- gạch đầu dòng')).toBe("'- gạch đầu dòng");
    expect(writeCsv([['=1+2', '+84 912', '@x', '\tt', '-1', 'ok']])).toBe(
      "\uFEFF'=1+2,'+84 912,'@x,'\tt,'-1,ok\r\n",
    );
    expect(writeCsv([['=HYPERLINK("x")']])).toBe('\uFEFF"\'=HYPERLINK(""x"")"\r\n');
    expect(unguardCell("'=SUM(A1)")).toBe('=SUM(A1)');
    expect(unguardCell("'bình thường")).toBe("'bình thường");
  });

  it('writes numbers as numbers: a negative number is not guarded, empty cells stay empty', () => {
    expect(writeCsv([[-5, 2.5, 0, null, undefined, Number.NaN, '-5']])).toBe(
      "\uFEFF-5,2.5,0,,,,'-5\r\n",
    );
  });

  it('round-trips any table through parseCsv', () => {
    const table = [
      ['type', 'code', 'name_vi'],
      ['competency', 'C3', 'Đối thoại, thương lượng, "giải quyết" tranh chấp'],
      ['indicator', '', 'Dòng 1\r\nDòng 2'],
      ['level', '', ' có khoảng trắng '],
      ['x', '', ''],
    ];
    expect(parseCsv(writeCsv(table)).map((r) => r.fields.map(unguardCell))).toEqual(table);
  });
});
