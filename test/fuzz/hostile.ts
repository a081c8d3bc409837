import fc from 'fast-check';

/**
 * Hostile JSON values. A `Raw` is written into the body verbatim: JSON.stringify cannot say
 * `-0`, `1e400` or `1E-7`, and these are exactly the spellings a parser must survive.
 */
export class Raw {
  constructor(readonly text: string) {}
}

/** JSON text of a value that may hold `Raw` pieces; lone surrogates come out as `\ud800` escapes. */
export function toJson(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`,
    );
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Nested `depth` levels of arrays or objects around a leaf. */
export function nest(depth: number, asObject: boolean, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i += 1) value = asObject ? { a: value } : [value];
  return value;
}

const HUGE = 50_000;

/** Strings no form ever expects: lone surrogates, NUL, bidi marks, decomposed diacritics, emoji. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\ud800',
    '\udfff',
    'a\ud800b',
    '\u0000',
    'x\u0000y',
    '\u202eRTL\u202c',
    '\u200f\u200e',
    'Nguye\u0302\u0303n Va\u0306n A\u0300',
    'Nguyễn Văn Ánh',
    'e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301',
    '👩‍👩‍👧‍👦🇻🇳',
    '\ufeff',
    '\uffff',
    '<script>alert(1)</script>',
    "'; DROP TABLE people; --",
    '%00',
    '../../etc/passwd',
    '2026-02-30',
    '0000-00-00',
    '9999-12-31T23:59:59.999Z',
    '-271821-04-20',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-fffffffffffff',
    'NaN',
    'Infinity',
    '1e308',
    'true',
    'null',
    '{}',
    '[]',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('x', 'ễ', '\ud83d', '🙂', 'a\u0301').map((s) => s.repeat(HUGE / s.length)),
);

/** Numbers at and beyond every boundary, some spelled raw. */
export const nastyNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    0,
    -1,
    1.5,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53 + 2,
    Number.MAX_SAFE_INTEGER,
    1e308,
    -1e308,
    1e-7,
    -1e-7,
    5e-324,
    new Raw('-0'),
    new Raw('1e400'),
    new Raw('-1e400'),
    new Raw('1E-7'),
    new Raw('1e+2'),
    new Raw('0.0000000000000000000000000001'),
    new Raw('123456789012345678901234567890'),
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any hostile value, for a field or for the whole body. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nastyString },
  { weight: 3, arbitrary: nastyNumber },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null, [], {}, [null], { '': null }) },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 3 }) },
  {
    weight: 1,
    arbitrary: fc.record({ a: nastyString, __proto__x: fc.constant(1), constructor: fc.integer() }),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 33, max: 40 }), fc.boolean())
      .map(([depth, asObject]) => nest(depth, asObject)),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Query string values, already percent-encoded: invalid UTF-8 bytes included. */
export const nastyQueryValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '-1',
    '0',
    '1e308',
    '1e-7',
    '-0',
    'NaN',
    'Infinity',
    '99999999999999999999999',
    '1.5',
    '%00',
    '%ED%A0%80',
    '%FF%FE',
    '%C3',
    'true',
    '2026-02-30',
    'null',
    'abc',
    '%E2%80%AE',
    'Nguye%CC%82%CC%83n',
    '00000000-0000-4000-8000-000000000000',
    'eyJpZCI6MX0',
  ),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.uuid().map(encodeURIComponent),
  // Node's HTTP parser answers 431 itself beyond 16 kB of headers: long, but below that.
  fc.constant('x'.repeat(8000)),
  fc.constant('%F0%9F%99%82'.repeat(600)),
);

/** A path segment that is not an id of the caller's, or not an id at all (percent-encoded). */
export const nastyPathValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.uuid() },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '0',
      '-1',
      'abc',
      'null',
      'undefined',
      '%00',
      '%ED%A0%80',
      '%FF',
      '%25',
      '..',
      '%2E%2E%2F%2E%2E',
      '1e308',
      '00000000-0000-0000-0000-000000000000',
      'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
      '00000000-0000-4000-8000-0000000000000',
      '00000000-0000-4000-8000-00000000000%00',
      '%F0%9F%99%82',
      'a'.repeat(4000),
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }).filter(Boolean).map(encodeURIComponent) },
);

/** Header of the competency framework CSV (export.csv), the one CSV the API takes today. */
const CSV_HEADER =
  'type,code,parent_code,level,name_vi,name_en,description_vi,description_en,proficient,policy,policy_years';

/** A CSV cell: a hostile string, quoted or not, or a formula a spreadsheet would run. */
const csvCell: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('framework', 'level', 'domain', 'competency', 'indicator', 'CTCĐ', '1', ''),
  fc.constantFrom('=HYPERLINK("http://x")', '+1+1', '-2', '@SUM(A1)', '"', '""', '"a""b', 'a,b'),
  nastyString.map((s) => s.slice(0, 200)),
  nastyString.map((s) => `"${s.slice(0, 200).replace(/"/g, '""')}"`),
);

/**
 * Hostile CSV text: cells of every kind, rows too short or too long, unbalanced quotes, a BOM
 * in the wrong place, mixed or bare line endings, a header alone or missing, thousands of rows.
 */
export const nastyCsv: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '\ufeff',
    CSV_HEADER,
    `\ufeff${CSV_HEADER}\r\n`,
    `${CSV_HEADER}\n"unclosed,quote\n`,
    `${CSV_HEADER}\rframework,X,,,,,,,,,\r`,
    `${CSV_HEADER}\nframework,X\n`,
    `${CSV_HEADER}\n${'a,'.repeat(5000)}\n`,
    `type;code;parent_code\nframework;X;\n`,
    `${CSV_HEADER}\n\ufeffframework,X,,,Tên,,,,,,\n`,
    `${CSV_HEADER}\n${'framework,X,,,Tên,,,,,,\n'.repeat(2)}`,
    `${CSV_HEADER}\n${'domain,D,X,,Lĩnh vực,,,,,,\n'.repeat(20_000)}`,
    `${CSV_HEADER},${CSV_HEADER}\n`,
    '\u0000,\u0000\n',
  ),
  fc
    .array(fc.array(csvCell, { minLength: 0, maxLength: 14 }), { minLength: 0, maxLength: 30 })
    .chain((rows) =>
      fc
        .constantFrom('\n', '\r\n', '\r')
        .map((eol) => [CSV_HEADER, ...rows.map((cells) => cells.join(','))].join(eol)),
    ),
);
