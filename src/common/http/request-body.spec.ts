import { DomainError } from '../errors/domain-error';
import {
  checkParsedBody,
  findBodyProblem,
  jsonDepth,
  MAX_BODY_DEPTH,
  refuseDeepJson,
} from './request-body';
import { RequestValidationError } from './validation';

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const arrays = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
/** `levels` objects nested in one another, as a parsed body. */
const objects = (levels: number): object => {
  let value: object = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
};

describe('jsonDepth', () => {
  it('counts arrays and objects, the outermost being level 1', () => {
    expect(jsonDepth(utf8('1'), 32)).toBe(0);
    expect(jsonDepth(utf8('{}'), 32)).toBe(1);
    expect(jsonDepth(utf8('{"a":[{"b":[]}],"c":{}}'), 32)).toBe(4);
    expect(jsonDepth(utf8(arrays(32)), 32)).toBe(32);
  });

  it('stops at the first level past the limit', () => {
    expect(jsonDepth(utf8(arrays(100_000)), 32)).toBe(33);
  });

  it('ignores brackets inside strings, escaped quotes and backslashes included', () => {
    expect(jsonDepth(utf8(`{"a":"[[[{{{","b":"\\"[[[","c":"\\\\","d":[]}`), 32)).toBe(2);
    expect(jsonDepth(utf8(`["Công đoàn [cơ sở]", "😀{"]`), 32)).toBe(1);
  });
});

describe('refuseDeepJson', () => {
  const refusal = (buf: Buffer, encoding = 'utf-8') => {
    try {
      refuseDeepJson(undefined, undefined, buf, encoding);
      return undefined;
    } catch (error) {
      return error as DomainError;
    }
  };

  it(`lets ${MAX_BODY_DEPTH} levels pass and refuses one more as MALFORMED_JSON`, () => {
    expect(refusal(utf8(arrays(MAX_BODY_DEPTH)))).toBeUndefined();
    const error = refusal(utf8(arrays(MAX_BODY_DEPTH + 1)));
    expect(error).toBeInstanceOf(DomainError);
    expect(error?.code).toBe('MALFORMED_JSON');
    expect(error?.details).toEqual([
      {
        field: 'body',
        vi: 'Mảng và đối tượng lồng nhau quá 32 cấp.',
        en: 'Arrays and objects are nested more than 32 levels deep.',
      },
    ]);
  });

  it('decodes UTF-16 before counting, and refuses a charset it cannot decode', () => {
    const utf16 = Buffer.from(arrays(MAX_BODY_DEPTH + 1), 'utf16le');
    expect(refusal(utf16, 'utf-16le')?.code).toBe('MALFORMED_JSON');
    expect(refusal(Buffer.from('{}', 'utf16le'), 'utf-16le')).toBeUndefined();
    const unknown = refusal(utf8('{}'), 'utf-7');
    expect(unknown?.code).toBe('MALFORMED_JSON');
    expect(unknown?.details).toEqual([]);
  });
});

describe('findBodyProblem', () => {
  it('finds nothing in an ordinary body', () => {
    expect(findBodyProblem(undefined)).toBeUndefined();
    expect(findBodyProblem({})).toBeUndefined();
    expect(
      findBodyProblem({ name: 'Nguyễn Văn A 😀', tags: ['x', 1, null, { ok: true }] }),
    ).toBeUndefined();
  });

  it(`refuses nesting past ${MAX_BODY_DEPTH} levels, the body being the first`, () => {
    expect(findBodyProblem(objects(MAX_BODY_DEPTH))).toBeUndefined();
    expect(findBodyProblem(objects(MAX_BODY_DEPTH + 1))).toEqual({ kind: 'depth' });
    expect(findBodyProblem(objects(5), 4)).toEqual({ kind: 'depth' });
  });

  it('names every string and key that holds a lone surrogate, by its path', () => {
    const body = {
      email: 'a\ud800@x.vn',
      ok: '\ud83d\ude00',
      items: [{ title: 'fine' }, { title: '\udfffx' }],
      ['k\ud800']: 1,
    };
    expect(findBodyProblem(body)).toEqual({
      kind: 'unicode',
      fields: ['email', 'items.1.title', 'k\ufffd'],
    });
    expect(findBodyProblem('\ud800')).toEqual({ kind: 'unicode', fields: ['body'] });
  });

  it('names every string and key that holds a NUL, which PostgreSQL text cannot store', () => {
    const body = { note: 'a\u0000b', ok: 'Nguyễn', list: ['\u0000'], ['k\u0000']: true };
    expect(findBodyProblem(body)).toEqual({
      kind: 'unicode',
      fields: ['k\u0000', 'list.0', 'note'],
    });
    expect(findBodyProblem('\u0000')).toEqual({ kind: 'unicode', fields: ['body'] });
  });

  it('names at most ten fields', () => {
    const body = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, '\ud800']));
    const problem = findBodyProblem(body);
    expect(problem?.kind === 'unicode' && problem.fields).toHaveLength(10);
  });
});

describe('checkParsedBody', () => {
  const check = (body: unknown) => {
    const next = jest.fn();
    checkParsedBody({ body } as never, {} as never, next);
    return next.mock.calls[0] as unknown[];
  };

  it('passes a sound body on and refuses the others with the errors the filter words', () => {
    expect(check({ a: 1 })).toEqual([]);
    const [depth] = check(objects(40));
    expect(depth).toBeInstanceOf(DomainError);
    expect((depth as DomainError).code).toBe('MALFORMED_JSON');
    const [unicode] = check({ email: '\ud800' });
    expect(unicode).toBeInstanceOf(RequestValidationError);
    expect((unicode as RequestValidationError).raw).toEqual([
      {
        field: 'email',
        constraint: 'wellFormedText',
        vi: 'Chứa ký tự không hợp lệ trong văn bản (nửa cặp thay thế UTF-16 đứng một mình, hoặc ký tự NUL).',
        en: 'Contains a character text cannot hold (a lone UTF-16 surrogate, or NUL).',
      },
    ]);
  });
});
