import { randomUUID } from 'node:crypto';
import { expectError } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';

// Issue 13, items 1 and 4: bodies that broke validation with a 500 (and cost CPU without a
// token) are refused before it with the stable error body.

/** `levels` arrays nested in one another: `[[[…]]]`. */
const nestedArrays = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

describe('request bodies', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  /** A raw JSON text, sent as is: escapes such as \ud800 reach the server unchanged. */
  const rawJson = (path: string, text: string, token?: string) => {
    const req = t.http.post(path).set('Content-Type', 'application/json');
    if (token) void req.set(bearer(token));
    return req.send(text);
  };

  describe('nesting depth', () => {
    it('refuses 2,000 nested arrays in a login body with 400 MALFORMED_JSON, no token needed', async () => {
      const res = await rawJson(
        '/api/v1/auth/login',
        `{"email":${nestedArrays(2000)},"password":"x"}`,
      );
      expectError(res, 400, 'MALFORMED_JSON', ['body']);
    });

    it('refuses it before parsing it, from a scan of the bytes', async () => {
      const parse = jest.spyOn(JSON, 'parse');
      try {
        const text = `{"email":${nestedArrays(5000)},"password":"x"}`;
        expectError(await rawJson('/api/v1/auth/login', text), 400, 'MALFORMED_JSON', ['body']);
        expect(parse.mock.calls.filter(([arg]) => arg === text)).toEqual([]);
        // The spy sees body-parser's calls: a body within the limit is parsed once.
        const valid = '{"email":"nobody@lms.congdoan.test","password":"Sai123456"}';
        await rawJson('/api/v1/auth/login', valid).expect(401);
        expect(parse.mock.calls.filter(([arg]) => arg === valid)).toHaveLength(1);
      } finally {
        parse.mockRestore();
      }
    });

    it('refuses the same nesting padded to just under the size limit', async () => {
      const padding = 'x'.repeat(90_000);
      const res = await rawJson(
        '/api/v1/auth/login',
        `{"email":${nestedArrays(2000)},"password":"${padding}"}`,
      );
      expectError(res, 400, 'MALFORMED_JSON');
    });

    it('lets 32 levels through to validation and refuses the 33rd', async () => {
      // The body object is the first level: 31 arrays inside it make 32.
      const deepest = await rawJson(
        '/api/v1/auth/login',
        `{"email":${nestedArrays(31)},"password":"x"}`,
      );
      expectError(deepest, 400, 'VALIDATION_FAILED', ['email']);
      const tooDeep = await rawJson(
        '/api/v1/auth/login',
        `{"email":${nestedArrays(32)},"password":"x"}`,
      );
      expectError(tooDeep, 400, 'MALFORMED_JSON');
    });

    it('counts objects as well as arrays, on routes behind a token too', async () => {
      const nested = '{"a":'.repeat(40) + '1' + '}'.repeat(40);
      const res = await rawJson('/api/v1/accounts', nested, t.tokens.admin);
      expectError(res, 400, 'MALFORMED_JSON');
      const en = await t.http
        .post('/api/v1/accounts')
        .set(bearer(t.tokens.admin))
        .set('Content-Type', 'application/json')
        .set('Accept-Language', 'en')
        .send(nested);
      expect(en.body.details).toEqual([
        { field: 'body', message: 'Arrays and objects are nested more than 32 levels deep.' },
      ]);
    });

    it('does not count brackets inside strings, escaped quotes included', async () => {
      const password = `\\"${'['.repeat(3000)}\\\\`;
      const res = await rawJson(
        '/api/v1/auth/login',
        `{"email":"nobody@lms.congdoan.test","password":"${password}"}`,
      );
      // A valid body that reaches validation: the password is longer than 200 characters.
      expectError(res, 400, 'VALIDATION_FAILED', ['password']);
    });

    it('still answers broken JSON with MALFORMED_JSON', async () => {
      const res = await rawJson('/api/v1/auth/login', '{"email": [[[');
      expectError(res, 400, 'MALFORMED_JSON');
    });
  });

  describe('size', () => {
    it('answers a body over 100 kB with 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await rawJson(
        '/api/v1/auth/login',
        `{"email":"a@x.vn","password":"${'x'.repeat(110_000)}"}`,
      );
      expectError(res, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('takes a body just under 100 kB to validation', async () => {
      const res = await rawJson(
        '/api/v1/auth/login',
        `{"email":"a@x.vn","password":"${'x'.repeat(100_000)}"}`,
      );
      expectError(res, 400, 'VALIDATION_FAILED', ['password']);
    });
  });

  describe('character set', () => {
    /** The bytes as given: superagent would serialize a Buffer sent as JSON. */
    const encoded = (charset: string, bytes: Buffer) =>
      t.http
        .post('/api/v1/auth/login')
        .set('Content-Type', `application/json; charset=${charset}`)
        .serialize((b: Buffer) => b as unknown as string)
        .send(bytes);
    const utf16 = (text: string) => Buffer.from(`\ufeff${text}`, 'utf16le');

    it('reads a UTF-16 body and checks its depth too', async () => {
      const ok = await encoded(
        'utf-16',
        utf16('{"email":"nobody@lms.congdoan.test","password":"Sai123456"}'),
      );
      expectError(ok, 401, 'AUTH_INVALID_CREDENTIALS');
      const deep = await encoded('utf-16', utf16(`{"email":${nestedArrays(100)},"password":"x"}`));
      expectError(deep, 400, 'MALFORMED_JSON', ['body']);
    });

    it('refuses a Unicode charset the depth scan cannot read, rather than skip the scan', async () => {
      const utf32 = Buffer.alloc(4 * 40);
      [...`{"email":${nestedArrays(15)}}`].forEach((c, i) =>
        utf32.writeUInt32LE(c.charCodeAt(0), i * 4),
      );
      expectError(await encoded('utf-32le', utf32), 400, 'MALFORMED_JSON');
    });
  });

  describe('lone surrogates', () => {
    it('refuses a lone surrogate in the login e-mail with 400 naming the field', async () => {
      const res = await rawJson('/api/v1/auth/login', '{"email":"a\\ud800@x.vn","password":"x"}');
      expectError(res, 400, 'VALIDATION_FAILED', ['email']);
      expect(res.body.details).toEqual([
        { field: 'email', message: expect.stringContaining('UTF-16') as string },
      ]);
    });

    it('refuses a lone surrogate in a new account’s e-mail, in the caller’s language', async () => {
      const body = `{"personId":"${randomUUID()}","email":"to\\udc00chuc@x.vn","password":"Matkhau2026moi"}`;
      const vi = await rawJson('/api/v1/accounts', body, t.tokens.admin);
      expectError(vi, 400, 'VALIDATION_FAILED', ['email']);
      expect(vi.body.details).toEqual([
        {
          field: 'email',
          message:
            'Chứa ký tự không hợp lệ trong văn bản (nửa cặp thay thế UTF-16 đứng một mình, hoặc ký tự NUL).',
        },
      ]);
      const en = await t.http
        .post('/api/v1/accounts')
        .set(bearer(t.tokens.admin))
        .set('Content-Type', 'application/json')
        .set('Accept-Language', 'en')
        .send(body);
      expect(en.body.details).toEqual([
        {
          field: 'email',
          message: 'Contains a character text cannot hold (a lone UTF-16 surrogate, or NUL).',
        },
      ]);
    });

    it('refuses a NUL, which no PostgreSQL text holds, before it reaches the database', async () => {
      // Found by the fuzzer at bench volume: a NUL in a new course version's note was a 500.
      const [course] = await t.dataSource.query<{ id: string }[]>(
        `SELECT id FROM courses WHERE status = 'published' ORDER BY code LIMIT 1`,
      );
      const count = () =>
        t.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM courses');
      const before = await count();
      const res = await rawJson(
        `/api/v1/courses/${course.id}/versions`,
        '{"note":"bản mới\\u0000"}',
        t.tokens.admin,
      );
      expectError(res, 400, 'VALIDATION_FAILED', ['note']);
      expect(res.body.details[0].message).toContain('NUL');
      await expect(count()).resolves.toEqual(before);
    });

    it('names the path of a nested value and of a key', async () => {
      const res = await rawJson(
        '/api/v1/auth/login',
        '{"email":"a@x.vn","password":"x","extra":[{"ok":"\\ud83d\\ude00"},{"bad":"\\ud83d"}],"k\\udfff":1}',
      );
      expectError(res, 400, 'VALIDATION_FAILED', ['extra.1.bad', 'k\ufffd']);
    });

    it('accepts a well-formed pair (an emoji) in a password', async () => {
      const res = await rawJson(
        '/api/v1/auth/login',
        '{"email":"nobody@lms.congdoan.test","password":"M\\ud83d\\ude00t kh\\u1ea9u"}',
      );
      expectError(res, 401, 'AUTH_INVALID_CREDENTIALS');
    });
  });
});
