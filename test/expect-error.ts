import type { Response } from 'supertest';

/**
 * Asserts the stable error body of the API: exactly { statusCode, error, code, message, details }
 * with the given status and code, and optionally the fields named in `details`.
 */
export function expectError(res: Response, status: number, code: string, fields?: string[]): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(Object.keys(res.body as object).sort()).toEqual([
    'code',
    'details',
    'error',
    'message',
    'statusCode',
  ]);
  expect(res.body.statusCode).toBe(status);
  expect(typeof res.body.error).toBe('string');
  expect(res.body.message).toEqual(expect.stringMatching(/\S/));
  expect(Array.isArray(res.body.details)).toBe(true);
  for (const detail of res.body.details as unknown[]) {
    expect(detail).toEqual({ field: expect.any(String), message: expect.any(String) });
  }
  if (fields) {
    const named = (res.body.details as { field: string }[]).map((d) => d.field);
    expect(named).toEqual(expect.arrayContaining(fields));
  }
}

/** No response may carry a password hash, under any name. */
export function expectNoSecrets(body: unknown): void {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/\$argon2/);
  expect(text).not.toMatch(/password/i);
}
