import {
  countWords,
  gradeResponse,
  maxPoints,
  parseNumericResponse,
  patternProblem,
  QUESTION_LIMITS,
  validateQuestion,
  validateResponse,
} from './question-grading';
import type { QuestionBody, QuestionResponse, QuestionVersion } from './question-model';

const opts = (...keys: string[]) => keys.map((key) => ({ key, text: `Phương án ${key}` }));

const BODIES = {
  single: { kind: 'single', options: opts('A', 'B', 'C'), correct: 'B' },
  multiple: {
    kind: 'multiple',
    options: opts('A', 'B', 'C', 'D'),
    correct: ['A', 'B', 'C'],
    partialCredit: 'proportional',
  },
  true_false: { kind: 'true_false', correct: false },
  short_answer: {
    kind: 'short_answer',
    accepted: ['Công đoàn cơ sở'],
    caseSensitive: false,
    ignoreDiacritics: false,
    patterns: [],
  },
  numeric: { kind: 'numeric', value: 3.5, tolerance: 0 },
  ordering: { kind: 'ordering', items: opts('A', 'B', 'C', 'D'), partialCredit: false },
  matching: {
    kind: 'matching',
    premises: opts('P1', 'P2', 'P3'),
    responses: opts('R1', 'R2', 'R3', 'R4'),
    pairs: { P1: 'R1', P2: 'R2', P3: 'R3' },
    partialCredit: false,
  },
  essay: {
    kind: 'essay',
    wordLimit: 5,
    rubric: [
      { key: 'content', title: 'Nội dung', maxPoints: 6 },
      { key: 'form', title: 'Hình thức', description: 'Bố cục, chính tả', maxPoints: 4 },
    ],
  },
} as const;

type Kind = keyof typeof BODIES;

/** A version of `kind` with some of its body's fields replaced (undefined removes one). */
function version(
  kind: Kind,
  body: Record<string, unknown> = {},
  rest: Record<string, unknown> = {},
) {
  const merged: Record<string, unknown> = { ...structuredClone(BODIES[kind]), ...body };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  return { prompt: 'Câu hỏi?', points: kind === 'essay' ? 10 : 4, body: merged, ...rest };
}

/** The fields a version is refused for ([] when it is accepted). */
function refused(input: unknown, field?: string): string[] {
  const r = validateQuestion(input, field);
  return 'details' in r ? r.details.map((d) => d.field) : [];
}

function accepted(input: unknown): QuestionVersion {
  const r = validateQuestion(input);
  if ('details' in r) throw new Error(JSON.stringify(r.details));
  return r.question;
}

function responseFields(body: QuestionBody, response: unknown): string[] {
  const r = validateResponse(body, response);
  return 'details' in r ? r.details.map((d) => d.field) : [];
}

function savedAs(body: QuestionBody, response: unknown): QuestionResponse | null {
  const r = validateResponse(body, response);
  if ('details' in r) throw new Error(JSON.stringify(r.details));
  return r.response;
}

const q = (kind: Kind, body: Record<string, unknown> = {}, points = 4): QuestionVersion =>
  ({ prompt: 'Câu hỏi?', points, body: { ...structuredClone(BODIES[kind]), ...body } }) as never;

const grade = (question: QuestionVersion, r: unknown) => gradeResponse(question, r as never).points;

describe('validateQuestion', () => {
  it('accepts a version of every kind, NFC and trimmed, with nothing but the known fields', () => {
    for (const kind of Object.keys(BODIES) as Kind[]) {
      expect([kind, refused(version(kind))]).toEqual([kind, []]);
    }
    const question = accepted({
      prompt: '  Tổ chức nào là nền tảng?  '.normalize('NFD'),
      points: 4,
      body: {
        ...BODIES.single,
        options: [
          { key: 'A', text: ' Công đoàn cơ sở '.normalize('NFD') },
          { key: 'B', text: 'Khác' },
        ],
        correct: 'A',
      },
    });
    expect(question).toEqual({
      prompt: 'Tổ chức nào là nền tảng?',
      points: 4,
      body: {
        kind: 'single',
        options: [
          { key: 'A', text: 'Công đoàn cơ sở' },
          { key: 'B', text: 'Khác' },
        ],
        correct: 'A',
      },
    });
    expect(question.prompt).toBe('Tổ chức nào là nền tảng?'.normalize('NFC'));
  });

  it('refuses what is not a version, with the message in both languages', () => {
    expect(validateQuestion(null)).toEqual({
      details: [{ field: 'body', vi: 'Phải là một đối tượng JSON.', en: 'Must be a JSON object.' }],
    });
    expect(refused([])).toEqual(['body']);
    expect(refused('câu hỏi')).toEqual(['body']);
    expect(refused({ prompt: 'Câu hỏi?', points: 1 })).toEqual(['body']);
    expect(refused({ ...version('single'), body: [] })).toEqual(['body']);
  });

  it('refuses unknown fields at every level instead of dropping them', () => {
    expect(refused(version('single', {}, { tags: ['x'] }))).toEqual(['tags']);
    expect(refused(version('multiple', { partialcredit: 'proportional' }))).toEqual([
      'body.partialcredit',
    ]);
    const options = [{ key: 'A', text: 'Có', correct: true }, ...opts('B')];
    expect(refused(version('single', { options, correct: 'A' }))).toEqual([
      'body.options[0].correct',
    ]);
    const rubric = [{ key: 'c', title: 'Nội dung', maxPoints: 10, weight: 2 }];
    expect(refused(version('essay', { rubric }))).toEqual(['body.rubric[0].weight']);
    // A body keeps only its own kind's fields: a single-choice body has no partialCredit.
    expect(refused(version('single', { partialCredit: 'proportional' }))).toEqual([
      'body.partialCredit',
    ]);
  });

  it('refuses an unknown kind, naming the kinds', () => {
    const r = validateQuestion(version('single', { kind: 'fill_in' }));
    expect(r).toEqual({
      details: [
        {
          field: 'body.kind',
          vi: 'Loại câu hỏi không hợp lệ; phải là một trong: single, multiple, true_false, short_answer, numeric, ordering, matching, essay.',
          en: 'Unknown question kind; must be one of: single, multiple, true_false, short_answer, numeric, ordering, matching, essay.',
        },
      ],
    });
    expect(refused(version('single', { kind: undefined }))).toEqual(['body.kind']);
    expect(refused(version('single', { kind: 'toString' }))).toEqual(['body.kind']);
  });

  it('refuses a prompt that is missing, blank, not text or over 5000 characters', () => {
    expect(refused(version('single', {}, { prompt: undefined }))).toEqual(['prompt']);
    expect(refused(version('single', {}, { prompt: '   ' }))).toEqual(['prompt']);
    expect(refused(version('single', {}, { prompt: 42 }))).toEqual(['prompt']);
    expect(refused(version('single', {}, { prompt: 'x'.repeat(5001) }))).toEqual(['prompt']);
    expect(refused(version('single', {}, { prompt: 'x'.repeat(5000) }))).toEqual([]);
  });

  it('refuses points that are not a whole number from 1 to 100', () => {
    for (const points of [0, 101, 2.5, '5', null, undefined, -1, Number.NaN]) {
      expect([points, refused(version('single', {}, { points }))]).toEqual([points, ['points']]);
    }
    expect(refused(version('single', {}, { points: 1 }))).toEqual([]);
    expect(refused(version('single', {}, { points: 100 }))).toEqual([]);
    const r = validateQuestion(version('single', {}, { points: 0 }));
    expect(r).toEqual({
      details: [
        {
          field: 'points',
          vi: 'Phải là số nguyên từ 1 đến 100.',
          en: 'Must be a whole number from 1 to 100.',
        },
      ],
    });
  });

  it('returns every failure at once, each at its path', () => {
    const input = {
      prompt: '',
      points: 0,
      body: {
        kind: 'single',
        options: [
          { key: 'A', text: 'Có' },
          { key: 'A', text: '' },
          { key: 'B c', text: 'Không' },
        ],
        correct: 'Z',
      },
    };
    expect(refused(input)).toEqual([
      'prompt',
      'body.options[1].key',
      'body.options[1].text',
      'body.options[2].key',
      'body.correct',
      'points',
    ]);
  });

  it('reports the prompt and points beside a body given at another path', () => {
    const input = { prompt: '', points: 0, body: { ...BODIES.single, correct: 'Z' } };
    expect(refused(input, 'questions[2].body')).toEqual([
      'questions[2].prompt',
      'questions[2].body.correct',
      'questions[2].points',
    ]);
    expect(refused('x', 'questions[2].body')).toEqual(['questions[2]']);
  });

  describe('keys and texts of options', () => {
    const withKey = (key: unknown) =>
      refused(version('single', { options: [{ key, text: 'Có' }, ...opts('B')], correct: 'B' }));

    it('refuses keys that are empty, too long, of other characters or reserved', () => {
      for (const key of ['', 'x'.repeat(21), 'A B', 'Ă', 'a.b', 'ý', 7, null]) {
        expect([key, withKey(key)]).toEqual([key, ['body.options[0].key']]);
      }
      for (const key of ['__proto__', 'constructor', 'prototype']) {
        expect([key, withKey(key)]).toEqual([key, ['body.options[0].key']]);
      }
      for (const key of ['x'.repeat(20), 'a_B-9', '1']) expect(withKey(key)).toEqual([]);
    });

    it('refuses a key used twice, at the second use', () => {
      const options = [...opts('A', 'B'), { key: 'A', text: 'Lặp' }];
      const r = validateQuestion(version('single', { options, correct: 'A' }));
      expect(r).toEqual({
        details: [
          { field: 'body.options[2].key', vi: 'Mã A bị trùng.', en: 'Key A appears twice.' },
        ],
      });
    });

    it('refuses option texts that are blank, not text or over 1000 characters', () => {
      for (const text of ['', '  \n ', 5, undefined, 'x'.repeat(1001)]) {
        const options = [{ key: 'A', text }, ...opts('B')];
        expect(refused(version('single', { options, correct: 'B' }))).toEqual([
          'body.options[0].text',
        ]);
      }
      const options = [{ key: 'A', text: 'x'.repeat(1000) }, ...opts('B')];
      expect(refused(version('single', { options, correct: 'B' }))).toEqual([]);
    });

    it('needs 2 to 20 options; of a longer list only the length is reported', () => {
      expect(refused(version('single', { options: opts('A'), correct: 'A' }))).toEqual([
        'body.options',
      ]);
      const twenty = opts(...Array.from({ length: 20 }, (_, i) => `K${i}`));
      expect(refused(version('single', { options: twenty, correct: 'K0' }))).toEqual([]);
      const many = Array.from({ length: 100_000 }, () => ({ key: '', text: '' }));
      // One detail for the list, not 100,000 (one per empty key and text).
      expect(refused(version('single', { options: many, correct: 'K0' }))).toEqual([
        'body.options',
      ]);
      expect(refused(version('single', { options: 'A,B' }))).toEqual(['body.options']);
    });
  });

  it('single: the right option must be one of the options', () => {
    expect(refused(version('single', { correct: 'D' }))).toEqual(['body.correct']);
    expect(refused(version('single', { correct: ['B'] }))).toEqual(['body.correct']);
    expect(refused(version('single', { correct: undefined }))).toEqual(['body.correct']);
    const r = validateQuestion(version('single', { correct: 'D' }));
    expect(r).toMatchObject({
      details: [{ vi: 'Không có phương án mang mã D.', en: 'There is no option with key D.' }],
    });
  });

  it('multiple: at least one right option, each existing and named once, and a known policy', () => {
    expect(refused(version('multiple', { correct: [] }))).toEqual(['body.correct']);
    expect(refused(version('multiple', { correct: 'A' }))).toEqual(['body.correct']);
    expect(refused(version('multiple', { correct: ['A', 'E'] }))).toEqual(['body.correct[1]']);
    expect(refused(version('multiple', { correct: ['A', 'B', 'A'] }))).toEqual(['body.correct[2]']);
    expect(refused(version('multiple', { partialCredit: 'half' }))).toEqual(['body.partialCredit']);
    expect(refused(version('multiple', { partialCredit: true }))).toEqual(['body.partialCredit']);
    for (const policy of ['all_or_nothing', 'proportional', 'right_minus_wrong']) {
      expect(refused(version('multiple', { partialCredit: policy }))).toEqual([]);
    }
    expect(accepted(version('multiple', { correct: ['D'] })).body).toMatchObject({
      correct: ['D'],
    });
  });

  it('true_false: the answer is a boolean', () => {
    expect(refused(version('true_false', { correct: 'false' }))).toEqual(['body.correct']);
    expect(refused(version('true_false', { correct: 0 }))).toEqual(['body.correct']);
  });

  describe('short answer', () => {
    it('needs 1 to 50 accepted answers of at most 200 characters', () => {
      expect(refused(version('short_answer', { accepted: [] }))).toEqual(['body.accepted']);
      const fifty = Array.from({ length: 50 }, (_, i) => `đáp án ${i}`);
      expect(refused(version('short_answer', { accepted: fifty }))).toEqual([]);
      expect(refused(version('short_answer', { accepted: [...fifty, 'thêm'] }))).toEqual([
        'body.accepted',
      ]);
      expect(refused(version('short_answer', { accepted: ['ok', 'x'.repeat(201)] }))).toEqual([
        'body.accepted[1]',
      ]);
      expect(refused(version('short_answer', { accepted: [' '] }))).toEqual(['body.accepted[0]']);
      expect(refused(version('short_answer', { caseSensitive: 'no' }))).toEqual([
        'body.caseSensitive',
      ]);
      expect(refused(version('short_answer', { ignoreDiacritics: undefined }))).toEqual([
        'body.ignoreDiacritics',
      ]);
    });

    it('needs at most 20 patterns of at most 200 characters that compile', () => {
      const twenty = Array.from({ length: 20 }, (_, i) => `a${i}`);
      expect(refused(version('short_answer', { patterns: twenty }))).toEqual([]);
      expect(refused(version('short_answer', { patterns: [...twenty, 'b'] }))).toEqual([
        'body.patterns',
      ]);
      expect(refused(version('short_answer', { patterns: ['x'.repeat(201)] }))).toEqual([
        'body.patterns[0]',
      ]);
      expect(refused(version('short_answer', { patterns: ['ok', '(', '[a-'] }))).toEqual([
        'body.patterns[1]',
        'body.patterns[2]',
      ]);
      expect(refused(version('short_answer', { patterns: [''] }))).toEqual(['body.patterns[0]']);
      expect(refused(version('short_answer', { patterns: undefined }))).toEqual(['body.patterns']);
    });

    it('refuses a pattern that would close the group it is anchored in', () => {
      // Wrapped as ^(?:p)$ this would read ^(?:.*)|(?:x)$ and accept anything.
      expect(patternProblem('.*)|(?:x')).toBe('syntax');
      expect(refused(version('short_answer', { patterns: ['.*)|(?:x'] }))).toEqual([
        'body.patterns[0]',
      ]);
    });

    it('refuses what the linear-time engine cannot match: backreferences and lookaround', () => {
      expect(patternProblem('(a)\\1')).toBe('unsupported');
      expect(patternProblem('(?=a)a')).toBe('unsupported');
      expect(patternProblem('(?<=a)b')).toBe('unsupported');
      // Nested repetition is matched in linear time by RE2: no reason to refuse it.
      expect(patternProblem('(a+)+$')).toBeNull();
      expect(patternProblem('c[oô]ng đo[aà]n( cơ sở)?')).toBeNull();
      const r = validateQuestion(version('short_answer', { patterns: ['(a)\\1'] }));
      expect(r).toMatchObject({ details: [{ field: 'body.patterns[0]' }] });
      if ('details' in r) {
        expect(r.details[0].vi).toContain('không được hỗ trợ');
        expect(r.details[0].en).toContain('not supported');
      }
    });
  });

  it('numeric: a finite value and a finite tolerance of 0 or more', () => {
    expect(refused(version('numeric', { value: Infinity }))).toEqual(['body.value']);
    expect(refused(version('numeric', { value: Number.NaN }))).toEqual(['body.value']);
    expect(refused(version('numeric', { value: '3,5' }))).toEqual(['body.value']);
    expect(refused(version('numeric', { tolerance: -0.1 }))).toEqual(['body.tolerance']);
    expect(refused(version('numeric', { tolerance: Infinity }))).toEqual(['body.tolerance']);
    expect(refused(version('numeric', { tolerance: undefined }))).toEqual(['body.tolerance']);
    expect(refused(version('numeric', { value: -12.75, tolerance: 0.05 }))).toEqual([]);
  });

  it('ordering: 2 to 20 items with unique keys and a partial-credit switch', () => {
    expect(refused(version('ordering', { items: opts('A') }))).toEqual(['body.items']);
    const items = opts(...Array.from({ length: 21 }, (_, i) => `S${i}`));
    expect(refused(version('ordering', { items }))).toEqual(['body.items']);
    expect(refused(version('ordering', { items: opts('A', 'B', 'A') }))).toEqual([
      'body.items[2].key',
    ]);
    expect(refused(version('ordering', { partialCredit: 'yes' }))).toEqual(['body.partialCredit']);
  });

  describe('matching', () => {
    it('needs 2 to 20 premises and from as many responses as premises up to 26', () => {
      const one = { premises: opts('P1'), pairs: { P1: 'R1' } };
      expect(refused(version('matching', one))).toEqual(['body.premises']);
      const fewer = { responses: opts('R1', 'R2'), pairs: { P1: 'R1', P2: 'R2', P3: 'R1' } };
      expect(refused(version('matching', fewer))).toEqual(['body.responses']);
      const r = validateQuestion(version('matching', fewer));
      expect(r).toMatchObject({
        details: [
          {
            vi: 'Cột bên phải cần có từ 3 (bằng số mục ở cột trái) đến 26 mục.',
            en: 'Must have 3 (as many as the premises) to 26 responses.',
          },
        ],
      });
      const badText = { premises: [...opts('P1', 'P2'), { key: 'P3', text: '' }] };
      expect(refused(version('matching', { ...badText, ...fewer }))).toEqual([
        'body.premises[2].text',
        'body.responses',
      ]);
      const keys = Array.from({ length: 27 }, (_, i) => `R${i + 1}`);
      expect(refused(version('matching', { responses: opts(...keys) }))).toEqual([
        'body.responses',
      ]);
      expect(refused(version('matching', { responses: opts(...keys.slice(0, 26)) }))).toEqual([]);
    });

    it('needs a right response for every premise and nothing else', () => {
      expect(refused(version('matching', { pairs: { P1: 'R1', P2: 'R2' } }))).toEqual([
        'body.pairs.P3',
      ]);
      const extra = { pairs: { P1: 'R1', P2: 'R2', P3: 'R3', P9: 'R1' } };
      expect(refused(version('matching', extra))).toEqual(['body.pairs.P9']);
      const unknown = { pairs: { P1: 'R9', P2: 'R2', P3: 'R3' } };
      const r = validateQuestion(version('matching', unknown));
      expect(r).toEqual({
        details: [
          {
            field: 'body.pairs.P1',
            vi: 'Cột phải không có mục R9.',
            en: 'There is no response R9.',
          },
        ],
      });
      expect(refused(version('matching', { pairs: { P1: 1, P2: 'R2', P3: 'R3' } }))).toEqual([
        'body.pairs.P1',
      ]);
      expect(refused(version('matching', { pairs: [] }))).toEqual(['body.pairs']);
      // Two premises may share a response.
      expect(refused(version('matching', { pairs: { P1: 'R1', P2: 'R1', P3: 'R3' } }))).toEqual([]);
    });
  });

  describe('essay', () => {
    it('takes its points from the rubric when left out, and refuses any other value', () => {
      expect(accepted(version('essay', {}, { points: undefined })).points).toBe(10);
      expect(accepted(version('essay', {}, { points: 10 })).points).toBe(10);
      const r = validateQuestion(version('essay', {}, { points: 8 }));
      expect(r).toEqual({
        details: [
          {
            field: 'points',
            vi: 'Điểm của câu tự luận phải bằng tổng điểm tối đa của các tiêu chí (10).',
            en: "An essay's points must equal the sum of its criteria's maximum points (10).",
          },
        ],
      });
      const big = [1, 2, 3].map((i) => ({ key: `c${i}`, title: `Tiêu chí ${i}`, maxPoints: 40 }));
      expect(refused(version('essay', { rubric: big }, { points: undefined }))).toEqual(['points']);
    });

    it('takes a null description as none', () => {
      const rubric = [{ key: 'c', title: 'Nội dung', description: null, maxPoints: 10 }];
      expect(accepted(version('essay', { rubric })).body).toEqual({
        kind: 'essay',
        wordLimit: 5,
        rubric: [{ key: 'c', title: 'Nội dung', maxPoints: 10 }],
      });
    });

    it('does not compare points with a rubric it could not read', () => {
      const rubric = [{ key: 'c', title: '', maxPoints: 5 }];
      expect(refused(version('essay', { rubric }))).toEqual(['body.rubric[0].title']);
      expect(refused(version('essay', { rubric }, { points: 'mười' }))).toEqual([
        'body.rubric[0].title',
        'points',
      ]);
    });

    it('refuses word limits that are not null or 1 to 10000', () => {
      for (const wordLimit of [0, 10001, 2.5, '100', undefined]) {
        expect([wordLimit, refused(version('essay', { wordLimit }))]).toEqual([
          wordLimit,
          ['body.wordLimit'],
        ]);
      }
      expect(refused(version('essay', { wordLimit: null }))).toEqual([]);
      expect(refused(version('essay', { wordLimit: 10000 }))).toEqual([]);
    });

    it('needs 1 to 10 criteria with unique keys, titles of 200 at most, maxPoints 1 to 100', () => {
      expect(refused(version('essay', { rubric: [] }, { points: undefined }))).toEqual([
        'body.rubric',
      ]);
      const eleven = Array.from({ length: 11 }, (_, i) => ({
        key: `c${i}`,
        title: 'T',
        maxPoints: 1,
      }));
      expect(refused(version('essay', { rubric: eleven }, { points: undefined }))).toEqual([
        'body.rubric',
      ]);
      const rubric = [
        { key: 'c', title: 'x'.repeat(201), maxPoints: 0 },
        { key: 'c', title: 'Hình thức', maxPoints: 101 },
        { key: 'd', title: 'Mô tả', description: 'x'.repeat(2001), maxPoints: 2 },
      ];
      expect(refused(version('essay', { rubric }))).toEqual([
        'body.rubric[0].title',
        'body.rubric[0].maxPoints',
        'body.rubric[1].key',
        'body.rubric[1].maxPoints',
        'body.rubric[2].description',
      ]);
    });
  });
});

describe('validateResponse', () => {
  const body = (kind: Kind) => accepted(version(kind)).body;

  it('allows a question left unanswered', () => {
    for (const kind of Object.keys(BODIES) as Kind[]) {
      expect(validateResponse(body(kind), null)).toEqual({ response: null });
      expect(validateResponse(body(kind), undefined)).toEqual({ response: null });
    }
  });

  it('single: one existing option key', () => {
    expect(savedAs(body('single'), 'A')).toBe('A');
    expect(responseFields(body('single'), 'Z')).toEqual(['response']);
    expect(responseFields(body('single'), ['A'])).toEqual(['response']);
    expect(responseFields(body('single'), 1)).toEqual(['response']);
  });

  it('multiple: existing option keys, each once', () => {
    expect(savedAs(body('multiple'), ['A', 'C'])).toEqual(['A', 'C']);
    expect(savedAs(body('multiple'), [])).toEqual([]);
    expect(responseFields(body('multiple'), ['A', 'Z', 'B', 'B'])).toEqual([
      'response[1]',
      'response[3]',
    ]);
    expect(validateResponse(body('multiple'), ['A', 'A'])).toEqual({
      details: [
        {
          field: 'response[1]',
          vi: 'Phương án A được chọn hai lần.',
          en: 'Option A is chosen twice.',
        },
      ],
    });
    expect(responseFields(body('multiple'), 'A')).toEqual(['response']);
    expect(responseFields(body('multiple'), [1])).toEqual(['response[0]']);
    expect(responseFields(body('multiple'), Array(10_000).fill('A'))).toEqual(['response']);
  });

  it('true_false: a boolean, not its text', () => {
    expect(savedAs(body('true_false'), false)).toBe(false);
    expect(responseFields(body('true_false'), 'true')).toEqual(['response']);
  });

  it('short answer: text of at most 2000 characters', () => {
    expect(savedAs(body('short_answer'), 'x'.repeat(2000))).toHaveLength(2000);
    expect(responseFields(body('short_answer'), 'x'.repeat(2001))).toEqual(['response']);
    expect(responseFields(body('short_answer'), 12)).toEqual(['response']);
  });

  it('numeric: a number, or its text with a decimal comma or point', () => {
    const numeric = body('numeric');
    expect(savedAs(numeric, '3,5')).toBe(3.5);
    expect(savedAs(numeric, ' 3.5 ')).toBe(3.5);
    expect(savedAs(numeric, '-0,25')).toBe(-0.25);
    expect(savedAs(numeric, 7)).toBe(7);
    for (const bad of ['3,5,1', '', '  ', 'abc', '3.5.1', '1e3', '1.000,5', Infinity, 'Infinity']) {
      expect([bad, responseFields(numeric, bad)]).toEqual([bad, ['response']]);
    }
    expect(responseFields(numeric, Number.NaN)).toEqual(['response']);
    expect(responseFields(numeric, true)).toEqual(['response']);
    expect(responseFields(numeric, '9'.repeat(400))).toEqual(['response']);
    expect(validateResponse(numeric, 'abc')).toEqual({
      details: [
        {
          field: 'response',
          vi: 'Phải là một số, ví dụ 3,5 hoặc 3.5.',
          en: 'Must be a number, such as 3.5 or 3,5.',
        },
      ],
    });
  });

  it('ordering: every item exactly once', () => {
    expect(savedAs(body('ordering'), ['D', 'C', 'B', 'A'])).toEqual(['D', 'C', 'B', 'A']);
    expect(responseFields(body('ordering'), ['A', 'B', 'C'])).toEqual(['response']);
    expect(responseFields(body('ordering'), ['A', 'B', 'C', 'C'])).toEqual(['response[3]']);
    expect(responseFields(body('ordering'), ['A', 'B', 'C', 'E'])).toEqual(['response[3]']);
    expect(responseFields(body('ordering'), { 0: 'A' })).toEqual(['response']);
    expect(responseFields(body('ordering'), Array(50).fill('A'))).toEqual(['response']);
    expect(validateResponse(body('ordering'), ['A', 'B', 'B', 'D'])).toEqual({
      details: [
        { field: 'response[2]', vi: 'Mục B được xếp hai lần.', en: 'Item B is placed twice.' },
      ],
    });
  });

  it('matching: known premises to known responses, some may be left out', () => {
    const matching = body('matching');
    expect(savedAs(matching, { P1: 'R4' })).toEqual({ P1: 'R4' });
    expect(savedAs(matching, { P1: 'R2', P2: 'R2' })).toEqual({ P1: 'R2', P2: 'R2' });
    expect(responseFields(matching, { P1: 'R9', X: 'R1' })).toEqual(['response.P1', 'response.X']);
    expect(responseFields(matching, { constructor: 'R1' })).toEqual(['response.constructor']);
    expect(responseFields(matching, { P1: ['R1'] })).toEqual(['response.P1']);
    expect(responseFields(matching, ['R1', 'R2', 'R3'])).toEqual(['response']);
    expect(responseFields(matching, 'P1=R1')).toEqual(['response']);
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`K${i}`, 'R1']));
    expect(responseFields(matching, many)).toEqual(['response']);
  });

  it('essay: text within the word limit, words split on whitespace', () => {
    const essay = body('essay');
    expect(countWords('  Công  đoàn\ncơ\tsở  ')).toBe(4);
    expect(countWords('   ')).toBe(0);
    expect(savedAs(essay, 'một hai  ba\nbốn năm')).toBe('một hai  ba\nbốn năm');
    expect(validateResponse(essay, 'một hai ba bốn năm sáu')).toEqual({
      details: [
        {
          field: 'response',
          vi: 'Bài làm có 6 từ, vượt giới hạn 5 từ.',
          en: 'The answer has 6 words, more than the limit of 5.',
        },
      ],
    });
    const unlimited = { ...essay, wordLimit: null } as QuestionBody;
    expect(responseFields(unlimited, 'từ '.repeat(20_000))).toEqual([]);
    expect(responseFields(unlimited, 'x'.repeat(QUESTION_LIMITS.essayChars + 1))).toEqual([
      'response',
    ]);
    expect(responseFields(essay, 5)).toEqual(['response']);
  });
});

describe('gradeResponse', () => {
  it('single and true/false: all or nothing; a wrong shape earns 0 without throwing', () => {
    const single = q('single');
    expect(gradeResponse(single, 'B')).toEqual({
      points: 4,
      maxPoints: 4,
      correct: true,
      needsManual: false,
    });
    expect(gradeResponse(single, 'A')).toEqual({
      points: 0,
      maxPoints: 4,
      correct: false,
      needsManual: false,
    });
    for (const r of [null, undefined, ['B'], { B: 'B' }, 2, true, '']) {
      expect([r, grade(single, r)]).toEqual([r, 0]);
    }
    const tf = q('true_false');
    expect(grade(tf, false)).toBe(4);
    expect(grade(tf, true)).toBe(0);
    expect(grade(tf, 'false')).toBe(0);
    expect(grade(tf, 0)).toBe(0);
  });

  describe('multiple, 4 options, right A, B, C, 6 points', () => {
    const policy = (partialCredit: string) => q('multiple', { partialCredit }, 6);

    it('all or nothing: exactly the right set, in any order', () => {
      const m = policy('all_or_nothing');
      expect(grade(m, ['C', 'A', 'B'])).toBe(6);
      expect(grade(m, ['A', 'B'])).toBe(0);
      expect(grade(m, ['A', 'B', 'C', 'D'])).toBe(0);
      expect(grade(m, [])).toBe(0);
      expect(gradeResponse(m, ['A', 'B']).correct).toBe(false);
    });

    it('proportional: right chosen / right options, 0 once a wrong one is chosen', () => {
      const m = policy('proportional');
      expect(grade(m, ['A', 'B', 'C'])).toBe(6);
      expect(grade(m, ['A', 'B'])).toBe(4);
      expect(gradeResponse(m, ['A', 'B']).correct).toBe(false);
      expect(grade(m, ['A'])).toBe(2);
      expect(grade(m, ['A', 'B', 'D'])).toBe(0);
      expect(grade(m, ['A', 'B', 'C', 'D'])).toBe(0);
      expect(grade(m, ['A', 'A'])).toBe(2); // a key chosen twice counts once
      expect(grade(m, [])).toBe(0);
    });

    it('right minus wrong: (right − wrong) / right options, never below 0', () => {
      const m = policy('right_minus_wrong');
      expect(grade(m, ['A', 'B', 'D'])).toBe(2); // (2 − 1) / 3 × 6
      expect(grade(m, ['A', 'B', 'C', 'D'])).toBe(4); // (3 − 1) / 3 × 6
      expect(grade(m, ['A', 'D'])).toBe(0);
      expect(grade(m, ['D'])).toBe(0);
      expect(grade(m, [])).toBe(0);
      expect(grade(m, ['A', 'B', 'Z'])).toBe(2); // an unknown key is a wrong choice
      expect(
        grade(q('multiple', { partialCredit: 'right_minus_wrong' }, 10), ['A', 'B', 'D']),
      ).toBe(3.33);
      expect(grade(q('multiple', { partialCredit: 'proportional' }, 10), ['A', 'B'])).toBe(6.67);
    });

    it('a wrong shape earns 0', () => {
      for (const r of ['A', { A: true }, [1, 2], 3]) {
        expect(grade(policy('proportional'), r)).toBe(0);
      }
    });
  });

  describe('short answer "Công đoàn cơ sở"', () => {
    const sa = (caseSensitive: boolean, ignoreDiacritics: boolean, patterns: string[] = []) =>
      q('short_answer', { caseSensitive, ignoreDiacritics, patterns });

    it('compares trimmed, with inner spaces collapsed and in NFC', () => {
      const plain = sa(false, false);
      expect(grade(plain, 'Công đoàn cơ sở')).toBe(4);
      expect(grade(plain, '  Công \t đoàn   cơ sở \n')).toBe(4);
      expect(grade(plain, 'Công đoàn cơ sở'.normalize('NFD'))).toBe(4);
      expect(grade(plain, 'Công đoàn cơ sở.')).toBe(0);
      expect(grade(plain, '')).toBe(0);
      expect(grade(plain, '   ')).toBe(0);
    });

    it('ignores case unless case-sensitive', () => {
      expect(grade(sa(false, false), 'CÔNG ĐOÀN CƠ SỞ')).toBe(4);
      expect(grade(sa(true, false), 'công đoàn cơ sở')).toBe(0);
      expect(grade(sa(true, false), 'Công đoàn cơ sở')).toBe(4);
    });

    it('takes "Cong doan co so" only when diacritics are ignored, keeping the case rule', () => {
      expect(grade(sa(false, false), 'Cong doan co so')).toBe(0);
      expect(grade(sa(false, true), 'Cong doan co so')).toBe(4);
      expect(grade(sa(false, true), 'cong doan co so')).toBe(4);
      expect(grade(sa(false, true), 'CONG ĐOAN CƠ SƠ')).toBe(4);
      expect(grade(sa(true, true), 'Cong doan co so')).toBe(4);
      expect(grade(sa(true, true), 'cong doan co so')).toBe(0);
      expect(grade(sa(true, true), 'Congdoan co so')).toBe(0);
      expect(grade(sa(false, true), 'Cong doan')).toBe(0);
    });

    it('matches a pattern against the whole answer', () => {
      const years = sa(false, false, ['năm (19|20)\\d{2}']);
      expect(grade(years, 'Năm 1929')).toBe(4);
      expect(grade(years, '  năm   2024 ')).toBe(4);
      expect(grade(years, 'Năm 1929 là')).toBe(0);
      expect(grade(years, 'từ năm 1929')).toBe(0);
      expect(grade(years, 'Năm 1829')).toBe(0);
      const exact = sa(true, false, ['Hà Nội']);
      expect(grade(exact, 'Hà Nội')).toBe(4);
      expect(grade(exact, 'hà nội')).toBe(0);
    });

    it('matches patterns against the folded answer too when diacritics are ignored', () => {
      expect(grade(sa(false, true, ['ha noi|hanoi']), 'Hà Nội')).toBe(4);
      expect(grade(sa(false, false, ['ha noi|hanoi']), 'Hà Nội')).toBe(0);
      expect(grade(sa(false, true, ['hà nội']), 'Hà Nội')).toBe(4);
    });

    it('skips a pattern that slipped past validation rather than throw', () => {
      const bad = sa(false, false, ['(a)\\1', '(']);
      expect(grade(bad, 'aa')).toBe(0);
      expect(grade(bad, 'Công đoàn cơ sở')).toBe(4);
    });

    it('grades against patterns that would backtrack for ever in a backtracking engine', () => {
      // Exponential ((a|a)*) and cubic (\d*\d*\d*x) in JavaScript's engine on these answers;
      // RE2's time grows with the answer only (a hang here fails the test by its timeout).
      const nasty = sa(false, false, ['(a|a)*', '\\d*\\d*\\d*x', '(a+)+']);
      expect(grade(nasty, `${'a'.repeat(1500)}!`)).toBe(0);
      expect(grade(nasty, '1'.repeat(1999))).toBe(0);
      expect(grade(nasty, 'aaaa')).toBe(4);
    });

    it('earns 0 for a response that is not text', () => {
      expect(grade(sa(false, true), ['Công đoàn cơ sở'])).toBe(0);
      expect(grade(sa(false, true), 3)).toBe(0);
    });
  });

  describe('numeric', () => {
    it('takes a decimal comma or point, and a number', () => {
      const n = q('numeric');
      expect(grade(n, '3,5')).toBe(4);
      expect(grade(n, ' 3.5 ')).toBe(4);
      expect(grade(n, 3.5)).toBe(4);
      expect(grade(n, 3.6)).toBe(0);
      expect(grade(n, '3,5,1')).toBe(0);
      expect(grade(n, 'ba phẩy năm')).toBe(0);
      expect(grade(n, '')).toBe(0);
      expect(grade(n, ['3.5'])).toBe(0);
    });

    it('accepts up to the tolerance exactly, despite binary floating point', () => {
      const n = q('numeric', { value: 0.3, tolerance: 0.1 });
      expect(0.4 - 0.3).toBeGreaterThan(0.1); // the floating-point error the epsilon absorbs
      expect(grade(n, 0.4)).toBe(4);
      expect(grade(n, '0,2')).toBe(4);
      expect(grade(n, 0.41)).toBe(0);
      expect(grade(n, 0.1999)).toBe(0);
      const wide = q('numeric', { value: 10, tolerance: 0.5 });
      expect(grade(wide, 10.5)).toBe(4);
      expect(grade(wide, 9.5)).toBe(4);
      expect(grade(wide, 10.500001)).toBe(0);
      const big = q('numeric', { value: 1e12, tolerance: 0 });
      expect(grade(big, 1e12)).toBe(4);
      expect(grade(big, 1e12 + 1)).toBe(0);
    });

    it('parses only plain decimals', () => {
      expect(parseNumericResponse('+2,')).toBe(2);
      expect(parseNumericResponse(',5')).toBe(0.5);
      expect(parseNumericResponse('1 000')).toBeNull();
      expect(parseNumericResponse('0x10')).toBeNull();
      expect(parseNumericResponse(-Infinity)).toBeNull();
    });
  });

  describe('ordering A, B, C, D, 4 points', () => {
    it('all or nothing without partial credit', () => {
      const o = q('ordering');
      expect(grade(o, ['A', 'B', 'C', 'D'])).toBe(4);
      expect(grade(o, ['A', 'B', 'D', 'C'])).toBe(0);
      expect(grade(o, ['A', 'B', 'C', 'D', 'D'])).toBe(0);
      expect(grade(o, [])).toBe(0);
    });

    it('with partial credit, the share of items in their right place', () => {
      const o = q('ordering', { partialCredit: true });
      expect(grade(o, ['A', 'B', 'C', 'D'])).toBe(4);
      expect(grade(o, ['A', 'B', 'D', 'C'])).toBe(2);
      expect(grade(o, ['D', 'C', 'B', 'A'])).toBe(0);
      expect(grade(o, ['B', 'A', 'C', 'D'])).toBe(2);
      expect(grade(o, ['A'])).toBe(1);
      expect(grade(q('ordering', { partialCredit: true }, 10), ['A', 'C', 'B', 'E'])).toBe(2.5);
      expect(grade(o, 'ABCD')).toBe(0);
      expect(grade(o, [1, 2, 3, 4])).toBe(0);
    });
  });

  describe('matching P1→R1, P2→R2, P3→R3, 3 points', () => {
    it('all or nothing without partial credit', () => {
      const m = q('matching', {}, 3);
      expect(grade(m, { P1: 'R1', P2: 'R2', P3: 'R3' })).toBe(3);
      expect(grade(m, { P1: 'R1', P2: 'R2', P3: 'R4' })).toBe(0);
      expect(grade(m, { P1: 'R1', P2: 'R2' })).toBe(0);
    });

    it('with partial credit, the share of premises matched right', () => {
      const m = q('matching', { partialCredit: true }, 3);
      expect(grade(m, { P1: 'R1', P2: 'R2', P3: 'R4' })).toBe(2);
      expect(grade(m, { P1: 'R1' })).toBe(1);
      expect(grade(m, {})).toBe(0);
      expect(grade(q('matching', { partialCredit: true }, 10), { P2: 'R2' })).toBe(3.33);
      expect(grade(m, ['R1', 'R2', 'R3'])).toBe(0);
      expect(grade(m, 'R1')).toBe(0);
    });

    it('reads only own entries, so a key named like an object property earns nothing unearned', () => {
      const body = {
        premises: opts('constructor', 'P2'),
        pairs: { constructor: 'R1', P2: 'R2' },
        partialCredit: true,
      };
      const m = q('matching', body, 2);
      expect(grade(m, { P2: 'R2' })).toBe(1);
      expect(grade(m, JSON.parse('{"__proto__": {"P2": "R2"}}'))).toBe(0);
      expect(grade(m, Object.create({ P2: 'R2' }))).toBe(0); // inherited, not answered
    });
  });

  it('essay: waits for a person, its max the rubric sum', () => {
    const essay = accepted(version('essay', {}, { points: undefined }));
    expect(maxPoints(essay)).toBe(10);
    expect(gradeResponse(essay, 'Bài làm')).toEqual({
      points: 0,
      maxPoints: 10,
      correct: null,
      needsManual: true,
    });
    expect(gradeResponse(essay, null)).toMatchObject({ needsManual: true, correct: null });
  });

  it('grades a validated response the same as the raw one (numeric text saved as a number)', () => {
    const n = q('numeric');
    const saved = savedAs(n.body, '3,5');
    expect(gradeResponse(n, saved)).toEqual(gradeResponse(n, '3,5'));
  });
});
