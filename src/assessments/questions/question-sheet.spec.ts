import {
  exampleRows,
  isEmptyRow,
  mapQuestionHeaders,
  parseKind,
  QuestionSheetHeaders,
  readQuestionRow,
  SheetQuestion,
  templateHeaders,
} from './question-sheet';

const HEADERS = templateHeaders();

function headersOf(cells: unknown[]): QuestionSheetHeaders {
  const mapped = mapQuestionHeaders(cells);
  if (!('headers' in mapped)) throw new Error(`missing ${mapped.missing.join(', ')}`);
  return mapped.headers;
}

const TEMPLATE = headersOf(HEADERS);

/** A row of the template's columns from the values by header. */
function row(values: Record<string, unknown>): unknown[] {
  for (const h of Object.keys(values)) if (!HEADERS.includes(h)) throw new Error(h);
  return HEADERS.map((h) => values[h] ?? null);
}

function read(values: Record<string, unknown>, rowNo = 5): SheetQuestion {
  const result = readQuestionRow(TEMPLATE, row(values), rowNo);
  if ('details' in result) throw new Error(JSON.stringify(result.details));
  return result.question;
}

function refused(values: Record<string, unknown>, rowNo = 5) {
  const result = readQuestionRow(TEMPLATE, row(values), rowNo);
  if (!('details' in result)) throw new Error('the row was read');
  return result.details;
}

describe('question sheet: columns', () => {
  it('puts the option columns after "Độ khó" and writes every header in Vietnamese', () => {
    expect(HEADERS.slice(0, 8)).toEqual([
      'Loại',
      'Câu hỏi',
      'Điểm',
      'Nhóm',
      'Thẻ',
      'Độ khó',
      'Phương án 1',
      'Phương án 2',
    ]);
    expect(HEADERS).toContain('Phương án 8');
    expect(HEADERS).not.toContain('Phương án 9');
    expect(HEADERS.slice(14)).toEqual([
      'Đáp án',
      'Sai số',
      'Cách chấm',
      'Không phân biệt dấu',
      'Phân biệt hoa thường',
      'Biểu thức chính quy',
      'Giới hạn số từ',
    ]);
  });

  it('finds columns whatever the case, diacritics and order, by alias or English key', () => {
    const h = headersOf(['CAU HOI', ' loai ', 'Option 2', 'phuong an 1', 'answer', 'PA 12']);
    expect(h.at).toMatchObject({ prompt: 0, kind: 1, answer: 4 });
    expect(h.options).toEqual([
      { n: 1, at: 3 },
      { n: 2, at: 2 },
      { n: 12, at: 5 },
    ]);
  });

  it('names the required columns that are missing', () => {
    expect(mapQuestionHeaders(['Câu hỏi', 'Điểm'])).toEqual({ missing: ['Loại'] });
    expect(mapQuestionHeaders([])).toEqual({ missing: ['Loại', 'Câu hỏi'] });
  });

  it('reads kinds ignoring case and diacritics, and their English codes', () => {
    expect(
      ['MOT DAP AN', 'nhiều đáp án', 'Đúng / Sai', 'true_false', 'tra loi ngan', 'Số', 'so'].map(
        parseKind,
      ),
    ).toEqual([
      'single',
      'multiple',
      'true_false',
      'true_false',
      'short_answer',
      'numeric',
      'numeric',
    ]);
    expect(['sắp xếp', 'GHÉP ĐÔI', 'essay', 'tự-luận', 'trắc nghiệm'].map(parseKind)).toEqual([
      'ordering',
      'matching',
      'essay',
      'essay',
      null,
    ]);
  });

  it('treats a row of blanks as empty', () => {
    expect(isEmptyRow([null, '', '  ', undefined])).toBe(true);
    expect(isEmptyRow([null, 0])).toBe(false);
  });
});

describe('question sheet: a row of each kind', () => {
  it('reads every example row of the template', () => {
    const rows = exampleRows();
    const kinds = rows.map((cells, i) => {
      const result = readQuestionRow(TEMPLATE, cells, i + 2);
      if ('details' in result) throw new Error(JSON.stringify(result.details));
      return result.question.question.body.kind;
    });
    expect(kinds).toEqual([
      'single',
      'multiple',
      'true_false',
      'short_answer',
      'numeric',
      'ordering',
      'matching',
      'essay',
    ]);
  });

  it('single: options keyed A, B, C; the answer by number or letter; defaults', () => {
    const q = read({
      Loại: 'Một đáp án',
      'Câu hỏi': '  Công đoàn cơ sở được thành lập khi có ít nhất bao nhiêu đoàn viên? ',
      'Phương án 1': '3 đoàn viên',
      'Phương án 2': '5 đoàn viên',
      'Phương án 3': '10 đoàn viên',
      'Đáp án': 2,
    });
    expect(q).toEqual({
      rowNo: 5,
      question: {
        prompt: 'Công đoàn cơ sở được thành lập khi có ít nhất bao nhiêu đoàn viên?',
        points: 1,
        body: {
          kind: 'single',
          options: [
            { key: 'A', text: '3 đoàn viên' },
            { key: 'B', text: '5 đoàn viên' },
            { key: 'C', text: '10 đoàn viên' },
          ],
          correct: 'B',
        },
      },
      category: null,
      tags: [],
      difficulty: 2,
    });
    const byLetter = read({
      Loại: 'single',
      'Câu hỏi': 'Câu?',
      'Phương án 1': 'Có',
      'Phương án 2': 'Không',
      'Đáp án': 'b',
    });
    expect(byLetter.question.body).toMatchObject({ correct: 'B' });
  });

  it('keeps diacritics exact (NFC) and reads category, tags and difficulty', () => {
    const decomposed = 'Luật Công đoàn'.normalize('NFD');
    const q = read({
      Loại: 'Đúng/Sai',
      'Câu hỏi': 'Đoàn viên đóng đoàn phí hằng tháng.'.normalize('NFD'),
      Nhóm: decomposed,
      Thẻ: 'Đoàn phí; Luật Công đoàn 2024 ;; Đoàn phí',
      'Độ khó': 'Khó',
      Điểm: '2',
      'Đáp án': 'sai',
    });
    expect(q.question).toEqual({
      prompt: 'Đoàn viên đóng đoàn phí hằng tháng.',
      points: 2,
      body: { kind: 'true_false', correct: false },
    });
    expect(q.category).toBe('Luật Công đoàn');
    expect(q.category).toBe(q.category!.normalize('NFC'));
    expect(q.tags).toEqual(['Đoàn phí', 'Luật Công đoàn 2024']);
    expect(q.difficulty).toBe(3);
    expect(read({ Loại: 'Đúng/Sai', 'Câu hỏi': 'C?', 'Đáp án': true }).question.body).toEqual({
      kind: 'true_false',
      correct: true,
    });
  });

  it('multiple: the right options "1;3", the scoring in words', () => {
    const q = read({
      Loại: 'Nhiều đáp án',
      'Câu hỏi': 'Những việc nào thuộc nhiệm vụ của chủ tịch công đoàn cơ sở?',
      'Phương án 1': 'Đại diện đối thoại',
      'Phương án 2': 'Ký hợp đồng lao động',
      'Phương án 3': 'Tổ chức đại hội',
      'Đáp án': '1; 3',
      'Cách chấm': 'theo ty le',
      Điểm: 3,
    });
    expect(q.question.body).toEqual({
      kind: 'multiple',
      options: [
        { key: 'A', text: 'Đại diện đối thoại' },
        { key: 'B', text: 'Ký hợp đồng lao động' },
        { key: 'C', text: 'Tổ chức đại hội' },
      ],
      correct: ['A', 'C'],
      partialCredit: 'proportional',
    });
    const plain = read({
      Loại: 'multiple',
      'Câu hỏi': 'C?',
      'Phương án 1': 'x',
      'Phương án 2': 'y',
      'Đáp án': 'A,B',
    });
    expect(plain.question.body).toMatchObject({
      correct: ['A', 'B'],
      partialCredit: 'all_or_nothing',
    });
  });

  it('short answer: accepted answers from the options and the answer, flags, patterns', () => {
    const q = read({
      Loại: 'Trả lời ngắn',
      'Câu hỏi': 'Cơ quan lãnh đạo cao nhất của công đoàn cơ sở là gì?',
      'Phương án 1': 'Đại hội công đoàn cơ sở',
      'Đáp án': 'Đại hội đoàn viên; Đại hội công đoàn cơ sở',
      'Không phân biệt dấu': 'Có',
      'Phân biệt hoa thường': 'không',
      'Biểu thức chính quy': 'đại hội( công đoàn)? cơ sở\n  \nĐH ?CĐCS',
    });
    expect(q.question.body).toEqual({
      kind: 'short_answer',
      accepted: ['Đại hội công đoàn cơ sở', 'Đại hội đoàn viên'],
      caseSensitive: false,
      ignoreDiacritics: true,
      patterns: ['đại hội( công đoàn)? cơ sở', 'ĐH ?CĐCS'],
    });
  });

  it('numeric: a decimal comma, a tolerance', () => {
    const q = read({ Loại: 'Số', 'Câu hỏi': 'C?', 'Đáp án': '3,5', 'Sai số': '0,25' });
    expect(q.question.body).toEqual({ kind: 'numeric', value: 3.5, tolerance: 0.25 });
    const cell = read({ Loại: 'numeric', 'Câu hỏi': 'C?', 'Đáp án': -2 });
    expect(cell.question.body).toEqual({ kind: 'numeric', value: -2, tolerance: 0 });
  });

  it('ordering: the items in their right order, keyed 1, 2, 3', () => {
    const q = read({
      Loại: 'Sắp xếp',
      'Câu hỏi': 'Sắp xếp các bước.',
      'Phương án 1': 'Thu thập ý kiến',
      'Phương án 2': 'Gửi nội dung',
      'Phương án 3': 'Tổ chức đối thoại',
      'Cách chấm': 'Từng phần',
    });
    expect(q.question.body).toEqual({
      kind: 'ordering',
      items: [
        { key: '1', text: 'Thu thập ý kiến' },
        { key: '2', text: 'Gửi nội dung' },
        { key: '3', text: 'Tổ chức đối thoại' },
      ],
      partialCredit: true,
    });
  });

  it('matching: "left => right", a shared right side and a distractor', () => {
    const q = read({
      Loại: 'Ghép đôi',
      'Câu hỏi': 'Nối văn bản với năm.',
      'Phương án 1': 'Luật Công đoàn => 2024',
      'Phương án 2': 'Luật Thi đua, khen thưởng → 2022',
      'Phương án 3': 'Luật Thanh niên=>2022',
      'Phương án 4': '=> 2012',
      'Phương án 5': '(Nhiễu) => 2019',
    });
    expect(q.question.body).toEqual({
      kind: 'matching',
      premises: [
        { key: '1', text: 'Luật Công đoàn' },
        { key: '2', text: 'Luật Thi đua, khen thưởng' },
        { key: '3', text: 'Luật Thanh niên' },
      ],
      responses: [
        { key: 'A', text: '2024' },
        { key: 'B', text: '2022' },
        { key: 'C', text: '2012' },
        { key: 'D', text: '2019' },
      ],
      pairs: { '1': 'A', '2': 'B', '3': 'B' },
      partialCredit: false,
    });
  });

  it('essay: criteria "name: points", keys from the names, points the sum', () => {
    const q = read({
      Loại: 'Tự luận',
      'Câu hỏi': 'Trình bày vai trò của công đoàn.',
      'Phương án 1': 'Nội dung: 6',
      'Phương án 2': 'Phần 2: Trình bày : 4',
      'Phương án 3': '!!!: 2',
      'Giới hạn số từ': 400,
    });
    expect(q.question).toEqual({
      prompt: 'Trình bày vai trò của công đoàn.',
      points: 12,
      body: {
        kind: 'essay',
        wordLimit: 400,
        rubric: [
          { key: 'noi-dung', title: 'Nội dung', maxPoints: 6 },
          { key: 'phan-2-trinh-bay', title: 'Phần 2: Trình bày', maxPoints: 4 },
          { key: 'c3', title: '!!!', maxPoints: 2 },
        ],
      },
    });
    const noLimit = read({ Loại: 'essay', 'Câu hỏi': 'C?', 'Phương án 1': 'A: 1', Điểm: 1 });
    expect(noLimit.question.body).toMatchObject({ wordLimit: null });
  });
});

describe('question sheet: refusals, each at "Dòng N: column"', () => {
  const fields = (details: { field: string }[]) => details.map((d) => d.field);

  it('an unknown kind, and a row without prompt', () => {
    const details = refused({ Loại: 'Trắc nghiệm', 'Đáp án': 'A' }, 7);
    expect(fields(details)).toEqual(['Dòng 7: Loại', 'Dòng 7: Câu hỏi']);
    expect(details[0]).toMatchObject({
      vi: expect.stringContaining('"Trắc nghiệm" không phải loại câu hỏi'),
      en: expect.stringContaining('is not a question kind'),
    });
  });

  it('an answer naming an option the row does not have', () => {
    const details = refused({
      Loại: 'Một đáp án',
      'Câu hỏi': 'C?',
      'Phương án 1': 'x',
      'Phương án 2': 'y',
      'Đáp án': 3,
    });
    expect(details).toEqual([
      {
        field: 'Dòng 5: Đáp án',
        vi: 'Không có phương án 3: dòng này có 2 phương án.',
        en: 'There is no option 3: this row has 2 options.',
      },
    ]);
    const many = refused({
      Loại: 'Nhiều đáp án',
      'Câu hỏi': 'C?',
      'Phương án 1': 'x',
      'Phương án 2': 'y',
      'Đáp án': '1;1',
    });
    expect(fields(many)).toEqual(['Dòng 5: Đáp án']);
    expect(
      fields(
        refused({
          Loại: 'Nhiều đáp án',
          'Câu hỏi': 'C?',
          'Phương án 1': 'x',
          'Phương án 2': 'y',
          'Đáp án': 1.3,
        }),
      ),
    ).toEqual(['Dòng 5: Đáp án']);
    expect(
      fields(
        refused({ Loại: 'Một đáp án', 'Câu hỏi': 'C?', 'Phương án 1': 'x', 'Phương án 2': 'y' }),
      ),
    ).toEqual(['Dòng 5: Đáp án']);
  });

  it('points out of range or not a whole number, and essay points that are not the sum', () => {
    const base = { Loại: 'Đúng/Sai', 'Câu hỏi': 'C?', 'Đáp án': 'Đúng' };
    expect(refused({ ...base, Điểm: 150 })).toEqual([
      {
        field: 'Dòng 5: Điểm',
        vi: 'Phải là số nguyên từ 1 đến 100.',
        en: 'Must be a whole number from 1 to 100.',
      },
    ]);
    expect(fields(refused({ ...base, Điểm: 'mười' }))).toEqual(['Dòng 5: Điểm']);
    expect(fields(refused({ ...base, Điểm: 1.5 }))).toEqual(['Dòng 5: Điểm']);
    const essay = refused({
      Loại: 'Tự luận',
      'Câu hỏi': 'C?',
      'Phương án 1': 'Nội dung: 6',
      Điểm: 5,
    });
    expect(essay).toEqual([expect.objectContaining({ field: 'Dòng 5: Điểm' })]);
    expect(essay[0].vi).toContain('(6)');
  });

  it('a pattern with a backreference (not matched in linear time), or that does not compile', () => {
    const details = refused({
      Loại: 'Trả lời ngắn',
      'Câu hỏi': 'C?',
      'Phương án 1': 'công đoàn',
      'Biểu thức chính quy': '(a)\\1\n[',
    });
    expect(fields(details)).toEqual(['Dòng 5: Biểu thức chính quy', 'Dòng 5: Biểu thức chính quy']);
    expect(details[0].vi).toContain('không được hỗ trợ');
  });

  it('a gap among the options, and a value in a column the kind does not use', () => {
    const gap = refused({
      Loại: 'Một đáp án',
      'Câu hỏi': 'C?',
      'Phương án 1': 'x',
      'Phương án 3': 'y',
      'Đáp án': 1,
    });
    expect(gap[0]).toMatchObject({
      field: 'Dòng 5: Phương án 3',
      vi: expect.stringContaining('"Phương án 2" đang trống'),
    });
    const unused = refused({
      Loại: 'Đúng/Sai',
      'Câu hỏi': 'C?',
      'Đáp án': 'Đúng',
      'Cách chấm': 'Từng phần',
      'Phương án 1': 'x',
    });
    expect(fields(unused)).toEqual(['Dòng 5: Cách chấm', 'Dòng 5: Phương án 1']);
    expect(unused[0].vi).toBe('Câu hỏi loại "Đúng/Sai" không dùng cột này: hãy để trống.');
  });

  it('bad words: scoring, yes/no, difficulty, true/false', () => {
    expect(
      fields(
        refused({
          Loại: 'Nhiều đáp án',
          'Câu hỏi': 'C?',
          'Phương án 1': 'x',
          'Phương án 2': 'y',
          'Đáp án': '1',
          'Cách chấm': 'Từng phần',
          'Độ khó': 4,
        }),
      ),
    ).toEqual(['Dòng 5: Độ khó', 'Dòng 5: Cách chấm']);
    expect(
      fields(
        refused({
          Loại: 'Trả lời ngắn',
          'Câu hỏi': 'C?',
          'Phương án 1': 'x',
          'Không phân biệt dấu': 'có lẽ',
        }),
      ),
    ).toEqual(['Dòng 5: Không phân biệt dấu']);
    expect(fields(refused({ Loại: 'Đúng/Sai', 'Câu hỏi': 'C?', 'Đáp án': 'Có' }))).toEqual([
      'Dòng 5: Đáp án',
    ]);
  });

  it('a matching cell without "=>", an essay criterion without points', () => {
    expect(
      fields(
        refused({
          Loại: 'Ghép đôi',
          'Câu hỏi': 'C?',
          'Phương án 1': 'Luật Công đoàn 2024',
          'Phương án 2': 'a => b',
        }),
      ),
    ).toEqual(['Dòng 5: Phương án 1']);
    expect(
      fields(refused({ Loại: 'Tự luận', 'Câu hỏi': 'C?', 'Phương án 1': 'Nội dung' })),
    ).toEqual(['Dòng 5: Phương án 1']);
  });

  it("the engine's own limits, named by the column: one option, a long text, a numeric tolerance", () => {
    expect(
      refused({ Loại: 'Một đáp án', 'Câu hỏi': 'C?', 'Phương án 1': 'x', 'Đáp án': 1 }),
    ).toEqual([
      {
        field: 'Dòng 5: Phương án',
        vi: 'Phải có từ 2 đến 20 phương án.',
        en: 'Must have 2 to 20 options.',
      },
    ]);
    expect(
      fields(
        refused({
          Loại: 'Sắp xếp',
          'Câu hỏi': 'C?',
          'Phương án 1': 'x',
          'Phương án 2': 'y'.repeat(1001),
        }),
      ),
    ).toEqual(['Dòng 5: Phương án 2']);
    expect(fields(refused({ Loại: 'Số', 'Câu hỏi': 'C?', 'Đáp án': '1', 'Sai số': '-1' }))).toEqual(
      ['Dòng 5: Sai số'],
    );
    expect(fields(refused({ Loại: 'Số', 'Câu hỏi': 'C?', 'Đáp án': '1.000,5' }))).toEqual([
      'Dòng 5: Đáp án',
    ]);
  });

  it('tags: at most 20 of at most 50 characters', () => {
    const base = { Loại: 'Đúng/Sai', 'Câu hỏi': 'C?', 'Đáp án': 'Đúng' };
    const many = Array.from({ length: 21 }, (_, i) => `t${i}`).join(';');
    expect(fields(refused({ ...base, Thẻ: many }))).toEqual(['Dòng 5: Thẻ']);
    expect(fields(refused({ ...base, Thẻ: 'x'.repeat(51) }))).toEqual(['Dòng 5: Thẻ']);
  });

  it("names a column by the file's own header", () => {
    expect(mapQuestionHeaders(['Question kind', 'Nội dung câu hỏi', 'answer'])).toEqual({
      missing: ['Loại'],
    });
    const own = headersOf(['Loai cau hoi', 'Nội dung câu hỏi', 'Option 1', 'option 2', 'answer']);
    const result = readQuestionRow(own, ['Một đáp án', 'C?', 'x', 'y', '7'], 3);
    expect(result).toEqual({
      details: [expect.objectContaining({ field: 'Dòng 3: answer' })],
    });
  });
});
