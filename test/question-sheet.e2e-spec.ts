import ExcelJS from 'exceljs';
import { expectError } from './expect-error';
import { binary } from './support/binary-body';
import { bearer, createTestApp, TestApp } from './support/test-app';

interface Question {
  id: string;
  kind: string;
  prompt: string;
  points: number;
  tags: string[];
  difficulty: number;
  categoryName: string | null;
  body: Record<string, unknown>;
}
interface Report {
  dryRun: boolean;
  format: string;
  sheet: string | null;
  imported: number;
  kinds: Record<string, number>;
  newCategories: string[];
  rows: { row: number; kind: string; prompt: string; category: string | null }[];
}

const HEADERS = [
  'Loại',
  'Câu hỏi',
  'Điểm',
  'Nhóm',
  'Thẻ',
  'Độ khó',
  'Phương án 1',
  'Phương án 2',
  'Phương án 3',
  'Phương án 4',
  'Đáp án',
  'Sai số',
  'Cách chấm',
  'Không phân biệt dấu',
  'Phân biệt hoa thường',
  'Biểu thức chính quy',
  'Giới hạn số từ',
] as const;
type Row = Partial<Record<(typeof HEADERS)[number], string | number>>;

/** One row of each kind, as an officer fills the template in. */
const ROWS: Row[] = [
  {
    Loại: 'Một đáp án',
    'Câu hỏi': 'Công đoàn cơ sở được thành lập khi có ít nhất bao nhiêu đoàn viên?',
    Nhóm: 'luật công đoàn',
    Thẻ: 'Tổ chức; Luật Công đoàn 2024',
    'Độ khó': 1,
    'Phương án 1': '3 đoàn viên',
    'Phương án 2': '5 đoàn viên',
    'Đáp án': 2,
  },
  {
    Loại: 'nhieu dap an',
    'Câu hỏi': 'Những việc nào thuộc nhiệm vụ của chủ tịch công đoàn cơ sở?',
    Điểm: 3,
    Nhóm: 'Kỹ năng đối thoại',
    'Phương án 1': 'Đại diện đối thoại với người sử dụng lao động',
    'Phương án 2': 'Ký hợp đồng lao động thay doanh nghiệp',
    'Phương án 3': 'Tổ chức đại hội công đoàn cơ sở',
    'Đáp án': '1;3',
    'Cách chấm': 'Đúng trừ sai',
  },
  {
    Loại: 'Đúng/Sai',
    'Câu hỏi': 'Đoàn viên công đoàn đóng đoàn phí hằng tháng.',
    'Đáp án': 'Đúng',
  },
  {
    Loại: 'Trả lời ngắn',
    'Câu hỏi': 'Cơ quan lãnh đạo cao nhất của công đoàn cơ sở là gì?',
    Điểm: 2,
    'Phương án 1': 'Đại hội công đoàn cơ sở',
    'Không phân biệt dấu': 'Có',
    'Biểu thức chính quy': 'đại hội( công đoàn)? cơ sở',
  },
  {
    Loại: 'Số',
    'Câu hỏi': 'Mức đóng đoàn phí là bao nhiêu phần trăm tiền lương?',
    'Đáp án': '1,0',
    'Sai số': '0,1',
  },
  {
    Loại: 'Sắp xếp',
    'Câu hỏi': 'Sắp xếp các bước tổ chức đối thoại tại nơi làm việc.',
    Điểm: 2,
    Nhóm: 'Kỹ năng đối thoại',
    'Độ khó': 'Khó',
    'Phương án 1': 'Thu thập ý kiến người lao động',
    'Phương án 2': 'Gửi nội dung đối thoại',
    'Phương án 3': 'Tổ chức đối thoại',
    'Cách chấm': 'Từng phần',
  },
  {
    Loại: 'Ghép đôi',
    'Câu hỏi': 'Nối mỗi văn bản với năm ban hành.',
    Điểm: 2,
    'Phương án 1': 'Luật Công đoàn => 2024',
    'Phương án 2': 'Bộ luật Lao động => 2019',
    'Phương án 3': '(nhiễu) => 2012',
    'Cách chấm': 'Từng phần',
  },
  {
    Loại: 'Tự luận',
    'Câu hỏi': 'Trình bày cách chuẩn bị một cuộc đối thoại định kỳ tại doanh nghiệp.',
    'Phương án 1': 'Nội dung: 6',
    'Phương án 2': 'Trình bày: 4',
    'Giới hạn số từ': 400,
  },
];

/** What each row says, as the bank stores it. */
const EXPECTED: Record<string, Partial<Question>> = {
  single: {
    prompt: 'Công đoàn cơ sở được thành lập khi có ít nhất bao nhiêu đoàn viên?',
    points: 1,
    difficulty: 1,
    categoryName: 'Luật Công đoàn',
    tags: ['Tổ chức', 'Luật Công đoàn 2024'],
    body: {
      kind: 'single',
      options: [
        { key: 'A', text: '3 đoàn viên' },
        { key: 'B', text: '5 đoàn viên' },
      ],
      correct: 'B',
    },
  },
  multiple: {
    points: 3,
    difficulty: 2,
    categoryName: 'Kỹ năng đối thoại',
    body: {
      kind: 'multiple',
      options: [
        { key: 'A', text: 'Đại diện đối thoại với người sử dụng lao động' },
        { key: 'B', text: 'Ký hợp đồng lao động thay doanh nghiệp' },
        { key: 'C', text: 'Tổ chức đại hội công đoàn cơ sở' },
      ],
      correct: ['A', 'C'],
      partialCredit: 'right_minus_wrong',
    },
  },
  true_false: { points: 1, categoryName: null, body: { kind: 'true_false', correct: true } },
  short_answer: {
    points: 2,
    body: {
      kind: 'short_answer',
      accepted: ['Đại hội công đoàn cơ sở'],
      caseSensitive: false,
      ignoreDiacritics: true,
      patterns: ['đại hội( công đoàn)? cơ sở'],
    },
  },
  numeric: { body: { kind: 'numeric', value: 1, tolerance: 0.1 } },
  ordering: {
    difficulty: 3,
    body: {
      kind: 'ordering',
      items: [
        { key: '1', text: 'Thu thập ý kiến người lao động' },
        { key: '2', text: 'Gửi nội dung đối thoại' },
        { key: '3', text: 'Tổ chức đối thoại' },
      ],
      partialCredit: true,
    },
  },
  matching: {
    body: {
      kind: 'matching',
      premises: [
        { key: '1', text: 'Luật Công đoàn' },
        { key: '2', text: 'Bộ luật Lao động' },
      ],
      responses: [
        { key: 'A', text: '2024' },
        { key: 'B', text: '2019' },
        { key: 'C', text: '2012' },
      ],
      pairs: { '1': 'A', '2': 'B' },
      partialCredit: true,
    },
  },
  essay: {
    points: 10,
    body: {
      kind: 'essay',
      wordLimit: 400,
      rubric: [
        { key: 'noi-dung', title: 'Nội dung', maxPoints: 6 },
        { key: 'trinh-bay', title: 'Trình bày', maxPoints: 4 },
      ],
    },
  },
};

const BOM = '\ufeff';

function csvCell(value: string | number | undefined): string {
  const text = value === undefined ? '' : String(value);
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV file of the rows, as Excel saves "CSV UTF-8". */
function csvOf(rows: Row[], headers: readonly string[] = HEADERS): Buffer {
  const lines = [headers, ...rows.map((r) => headers.map((h) => r[h as keyof Row]))];
  return Buffer.from(
    BOM + lines.map((l) => l.map(csvCell).join(',')).join('\r\n') + '\r\n',
    'utf8',
  );
}

/**
 * Questions of a bank from a spreadsheet (issue 16, item 5): the template downloads; a CSV and
 * an XLSX file with one question of each kind come in (a dry run writes nothing, a commit writes
 * them with their categories and tags); bad rows refuse the whole file with each row named;
 * scope and role refusals.
 */
describe('question banks: questions from a spreadsheet', () => {
  let t: TestApp;
  const officer = () => bearer(t.tokens.officerHanoi);

  const newBank = async (name: string) => {
    const res = await t.http
      .post('/api/v1/question-banks')
      .set(officer())
      .send({ ownerOrgUnitId: await t.unitId('HN'), name })
      .expect(201);
    return (res.body as { id: string }).id;
  };
  const questionsOf = async (bank: string) => {
    const res = await t.http
      .get(`/api/v1/question-banks/${bank}/questions?limit=100`)
      .set(officer())
      .expect(200);
    return res.body.items as Question[];
  };
  const categoriesOf = async (bank: string) => {
    const res = await t.http.get(`/api/v1/question-banks/${bank}`).set(officer()).expect(200);
    return (res.body.categories as { name: string }[]).map((c) => c.name).sort();
  };
  const upload = (
    bank: string,
    file: Buffer,
    name: string,
    fields: Record<string, string> = {},
  ) => {
    let call = t.http.post(`/api/v1/question-banks/${bank}/question-sheet`).set(officer());
    for (const [k, v] of Object.entries(fields)) call = call.field(k, v);
    return call.attach('file', file, name);
  };
  const templateUrl = (format: string) =>
    `/api/v1/question-banks/question-template?format=${format}`;
  const download = (format: string, token = t.tokens.officerHanoi) =>
    t.http.get(templateUrl(format)).set(bearer(token)).buffer(true).parse(binary);
  /** A refusal is JSON: read without the binary parser. */
  const refuseDownload = (format: string, token = t.tokens.officerHanoi) =>
    t.http.get(templateUrl(format)).set(bearer(token));

  /** The bank's questions are those the rows say. */
  const expectImported = (questions: Question[]) => {
    const byKind = new Map(questions.map((q) => [q.kind, q]));
    expect([...byKind.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [kind, expected] of Object.entries(EXPECTED)) {
      expect({ kind, q: byKind.get(kind) }).toEqual({ kind, q: expect.objectContaining(expected) });
    }
  };

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('downloads the XLSX template: the questions sheet with its headers, examples and a guide', async () => {
    const res = await download('xlsx').expect(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const disposition = String(res.headers['content-disposition']);
    expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1])).toBe(
      'Mẫu nhập câu hỏi.xlsx',
    );
    const bytes = res.body as Buffer;
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Câu hỏi', 'Hướng dẫn']);
    const sheet = book.getWorksheet('Câu hỏi')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 8)).toEqual([
      'Loại',
      'Câu hỏi',
      'Điểm',
      'Nhóm',
      'Thẻ',
      'Độ khó',
      'Phương án 1',
      'Phương án 2',
    ]);
    expect(header).toEqual(expect.arrayContaining(['Phương án 8', 'Đáp án', 'Giới hạn số từ']));
    const kinds = [2, 3, 4, 5, 6, 7, 8, 9].map((r) => sheet.getRow(r).getCell(1).value);
    expect(kinds).toEqual([
      'Một đáp án',
      'Nhiều đáp án',
      'Đúng/Sai',
      'Trả lời ngắn',
      'Số',
      'Sắp xếp',
      'Ghép đôi',
      'Tự luận',
    ]);
    const guide = JSON.stringify(book.getWorksheet('Hướng dẫn')!.getSheetValues());
    expect(guide).toContain('Không phân biệt dấu');
    expect(guide).toContain('vế trái => vế phải');

    // The template as downloaded is a valid file: its examples pass a dry run.
    const bank = await newBank('Ngân hàng mẫu bảng tính');
    const dry = await upload(bank, bytes, 'mau.xlsx').expect(200);
    expect(dry.body as Report).toMatchObject({
      dryRun: true,
      format: 'xlsx',
      sheet: 'Câu hỏi',
      imported: 0,
      kinds: {
        single: 1,
        multiple: 1,
        true_false: 1,
        short_answer: 1,
        numeric: 1,
        ordering: 1,
        matching: 1,
        essay: 1,
      },
    });
    expect((dry.body as Report).rows.map((r) => r.row)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('downloads the CSV template: UTF-8 with BOM, the Vietnamese headers and the examples', async () => {
    const res = await download('csv').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.startsWith('Loại,Câu hỏi,Điểm,Nhóm,Thẻ,Độ khó,Phương án 1,')).toBe(true);
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(9);
    expect(text).toContain('Ghép đôi,');
    // HR reads banks, so it may download the template too; the query is checked.
    await download('csv', t.tokens.hrHanoi).expect(200);
    expectError(await refuseDownload('pdf'), 400, 'VALIDATION_FAILED', ['format']);
  });

  it('checks a CSV in a dry run without writing, then imports every kind with categories and tags', async () => {
    const bank = await newBank('Ngân hàng nhập CSV');
    await t.http
      .post(`/api/v1/question-banks/${bank}/categories`)
      .set(officer())
      .send({ name: 'Luật Công đoàn' })
      .expect(201);
    const file = csvOf(ROWS);

    const dry = await upload(bank, file, 'cau-hoi.csv').expect(200);
    const report = dry.body as Report;
    expect(report).toMatchObject({
      dryRun: true,
      format: 'csv',
      sheet: null,
      imported: 0,
      newCategories: ['Kỹ năng đối thoại'],
    });
    expect(report.rows.map((r) => [r.row, r.kind])).toEqual([
      [2, 'single'],
      [3, 'multiple'],
      [4, 'true_false'],
      [5, 'short_answer'],
      [6, 'numeric'],
      [7, 'ordering'],
      [8, 'matching'],
      [9, 'essay'],
    ]);
    expect(report.rows[0]).toMatchObject({ category: 'Luật Công đoàn' });
    expect(await questionsOf(bank)).toEqual([]);
    expect(await categoriesOf(bank)).toEqual(['Luật Công đoàn']);

    const done = await upload(bank, file, 'cau-hoi.csv', { mode: 'commit' }).expect(201);
    expect(done.body as Report).toMatchObject({ dryRun: false, imported: 8 });
    const questions = await questionsOf(bank);
    expectImported(questions);
    // The list is newest first: the file's order, its last row on top.
    expect(questions.map((q) => q.kind)).toEqual([
      'essay',
      'matching',
      'ordering',
      'numeric',
      'short_answer',
      'true_false',
      'multiple',
      'single',
    ]);
    expect(await categoriesOf(bank)).toEqual(['Kỹ năng đối thoại', 'Luật Công đoàn']);
    const audit = await t.dataSource.query<{ after: Record<string, unknown> }[]>(
      `SELECT after FROM audit_log WHERE action = 'bank_question.imported'
          AND entity_id = ANY($1::uuid[]) ORDER BY (after->>'row')::int`,
      [questions.map((q) => q.id)],
    );
    expect(audit).toHaveLength(8);
    expect(audit[0].after).toMatchObject({
      version: 1,
      kind: 'single',
      source: 'sheet',
      row: 2,
      category: 'Luật Công đoàn',
    });
    const created = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'question_category.created'
          AND entity_id = $1 AND after->>'source' = 'sheet'`,
      [bank],
    );
    expect(created[0].n).toBe(1);
  });

  it('imports an XLSX built in Excel: the questions sheet among others, formulas by their value', async () => {
    const bank = await newBank('Ngân hàng nhập XLSX');
    await t.http
      .post(`/api/v1/question-banks/${bank}/categories`)
      .set(officer())
      .send({ name: 'Luật Công đoàn' })
      .expect(201);
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Ghi chú').addRow(['Tệp của Ban Tuyên giáo']);
    const sheet = book.addWorksheet('CAU HOI');
    sheet.addRow([...HEADERS]);
    for (const row of ROWS) sheet.addRow(HEADERS.map((h) => row[h] ?? null));
    // "Điểm" of the multiple-choice row as a formula: its cached result is read.
    sheet.getCell('C3').value = { formula: '1+2', result: 3 };
    // A decomposed "ộ" in a prompt is stored as the one letter.
    sheet.getCell('B4').value = 'Đoàn viên công đoàn đóng đoàn phí hằng tháng.'.normalize('NFD');
    const file = Buffer.from(await book.xlsx.writeBuffer());

    const dry = await upload(bank, file, 'cau-hoi.xlsx').expect(200);
    expect(dry.body as Report).toMatchObject({ dryRun: true, format: 'xlsx', sheet: 'CAU HOI' });
    expect(await questionsOf(bank)).toEqual([]);
    await upload(bank, file, 'cau-hoi.xlsx', { mode: 'commit' }).expect(201);
    const questions = await questionsOf(bank);
    expectImported(questions);
    expect(questions.find((q) => q.kind === 'true_false')!.prompt).toBe(
      'Đoàn viên công đoàn đóng đoàn phí hằng tháng.',
    );
    expect(await categoriesOf(bank)).toEqual(['Kỹ năng đối thoại', 'Luật Công đoàn']);
  });

  it('refuses a file with bad rows whole, naming each row, and writes nothing', async () => {
    const bank = await newBank('Ngân hàng dòng lỗi');
    const bad: Row[] = [
      ROWS[0],
      { ...ROWS[2], Loại: 'Trắc nghiệm' },
      { ...ROWS[0], 'Đáp án': 5 },
      { ...ROWS[2], Điểm: 150 },
      { ...ROWS[3], 'Biểu thức chính quy': '(a)\\1' },
      { ...ROWS[6], 'Phương án 2': 'Bộ luật Lao động 2019' },
      ROWS[7],
    ];
    const res = await upload(bank, csvOf(bad), 'loi.csv', { mode: 'commit' });
    expectError(res, 400, 'QUESTION_SHEET_INVALID', [
      'Dòng 3: Loại',
      'Dòng 4: Đáp án',
      'Dòng 5: Điểm',
      'Dòng 6: Biểu thức chính quy',
      'Dòng 7: Phương án 2',
    ]);
    const details = res.body.details as { field: string; message: string }[];
    expect(details.map((d) => d.field)).toHaveLength(5);
    expect(details[1].message).toBe('Không có phương án 5: dòng này có 2 phương án.');
    expect(res.body.message).toContain('5 dòng');
    const en = await upload(bank, csvOf(bad), 'loi.csv').set('Accept-Language', 'en');
    expect((en.body.details as { message: string }[])[1].message).toBe(
      'There is no option 5: this row has 2 options.',
    );
    expect(await questionsOf(bank)).toEqual([]);
    expect(await categoriesOf(bank)).toEqual([]);
  });

  it('refuses what is not a questions spreadsheet with 400 and what to do', async () => {
    const bank = await newBank('Ngân hàng tệp hỏng');
    expectError(
      await t.http
        .post(`/api/v1/question-banks/${bank}/question-sheet`)
        .set(officer())
        .field('mode', 'commit'),
      400,
      'IMPORT_FILE_REQUIRED',
    );
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64)]);
    expectError(await upload(bank, png, 'anh.png'), 400, 'IMPORT_NOT_SPREADSHEET');
    const brokenZip = Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(64)]);
    expectError(await upload(bank, brokenZip, 'hong.xlsx'), 400, 'IMPORT_NOT_SPREADSHEET');
    // A password-protected workbook (or a legacy .xls) is an OLE file: the people import's
    // answer, 422 with what to do.
    const ole = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]);
    expectError(await upload(bank, ole, 'mat-khau.xlsx'), 422, 'IMPORT_FILE_PROTECTED');
    const merged = new ExcelJS.Workbook();
    const ms = merged.addWorksheet('Câu hỏi');
    ms.addRow([...HEADERS]);
    ms.addRow(HEADERS.map((h) => ROWS[2][h] ?? null));
    ms.addRow(HEADERS.map((h) => ROWS[2][h] ?? null));
    ms.mergeCells('A2:A3');
    expectError(
      await upload(bank, Buffer.from(await merged.xlsx.writeBuffer()), 'gop.xlsx'),
      400,
      'IMPORT_MERGED_CELLS',
    );
    const latin = Buffer.from('Loại,Câu hỏi\r\nĐúng/Sai,Câu?\r\n', 'latin1');
    expectError(await upload(bank, latin, 'ansi.csv'), 400, 'IMPORT_CSV_NOT_UTF8');
    expectError(
      await upload(bank, csvOf([ROWS[2]], ['Kiểu', 'Câu hỏi', 'Đáp án']), 'cot.csv'),
      400,
      'IMPORT_MISSING_HEADERS',
      ['Loại'],
    );
    expectError(await upload(bank, csvOf([]), 'trong.csv'), 400, 'IMPORT_NO_ROWS');
    const many = Array.from({ length: 2001 }, (_, i) => ({
      ...ROWS[2],
      'Câu hỏi': `Câu hỏi số ${i + 1}?`,
    }));
    expectError(
      await upload(bank, csvOf(many), 'nhieu.csv', { mode: 'commit' }),
      400,
      'QUESTION_SHEET_TOO_MANY_ROWS',
    );
    expectError(
      await upload(bank, csvOf(ROWS), 'cau-hoi.csv', { mode: 'ghi' }),
      400,
      'VALIDATION_FAILED',
      ['mode'],
    );
    expect(await questionsOf(bank)).toEqual([]);

    await t.http
      .patch(`/api/v1/question-banks/${bank}`)
      .set(officer())
      .send({ status: 'archived' })
      .expect(200);
    expectError(await upload(bank, csvOf(ROWS), 'cau-hoi.csv'), 409, 'QUESTION_BANK_ARCHIVED');
  });

  it('keeps another subtree out (404), HR to reading and a chair out (403)', async () => {
    const bank = await newBank('Ngân hàng phạm vi');
    const file = csvOf(ROWS);
    expectError(
      await t.http
        .post(`/api/v1/question-banks/${bank}/question-sheet`)
        .set(bearer(t.tokens.officerBacNinh))
        .attach('file', file, 'cau-hoi.csv'),
      404,
      'QUESTION_BANK_NOT_FOUND',
    );
    // Scope is decided before the file is read: even no file answers 404.
    expectError(
      await t.http
        .post(`/api/v1/question-banks/${bank}/question-sheet`)
        .set(bearer(t.tokens.officerBacNinh)),
      404,
      'QUESTION_BANK_NOT_FOUND',
    );
    for (const who of [t.tokens.hrHanoi, t.tokens.chair]) {
      expectError(
        await t.http
          .post(`/api/v1/question-banks/${bank}/question-sheet`)
          .set(bearer(who))
          .field('mode', 'commit')
          .attach('file', file, 'cau-hoi.csv'),
        403,
        'FORBIDDEN',
      );
    }
    expectError(await refuseDownload('xlsx', t.tokens.chair), 403, 'FORBIDDEN');
    expect(await questionsOf(bank)).toEqual([]);
  });
});
