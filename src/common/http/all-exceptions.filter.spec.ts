import {
  ArgumentsHost,
  BadRequestException,
  HttpException,
  NotFoundException,
} from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { detail, DomainError } from '../errors/domain-error';
import { AllExceptionsFilter, ErrorBody } from './all-exceptions.filter';

function run(exception: unknown, headers: Record<string, string> = {}) {
  let status = 0;
  let body: ErrorBody | undefined;
  const res = {
    headersSent: false,
    setHeader: jest.fn(),
    status(code: number) {
      status = code;
      return this;
    },
    json(payload: ErrorBody) {
      body = payload;
      return this;
    },
  };
  const req = { headers, id: 'req-1', originalUrl: '/x' };
  const host = {
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ArgumentsHost;
  const filter = new AllExceptionsFilter();
  jest.spyOn(filter['logger'], 'error').mockImplementation(() => undefined);
  filter.catch(exception, host);
  return { status, body: body! };
}

const pgError = (code: string, constraint?: string) =>
  new QueryFailedError('INSERT …', [], Object.assign(new Error('pg'), { code, constraint }));

describe('AllExceptionsFilter', () => {
  it('answers a domain error with its catalogue status, code and Vietnamese message', () => {
    const { status, body } = run(new DomainError('ORG_UNIT_CODE_TAKEN', { code: 'HN' }));
    expect(status).toBe(409);
    expect(body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      code: 'ORG_UNIT_CODE_TAKEN',
      message: 'Mã đơn vị HN đã tồn tại.',
      details: [],
    });
  });

  it('switches to English with Accept-Language: en', () => {
    const { body } = run(new DomainError('FORBIDDEN'), { 'accept-language': 'en-GB' });
    expect(body.message).toBe('You do not have permission to do this.');
  });

  it('words paired parameters and details in the caller’s language', () => {
    const error = new DomainError(
      'PLANNING_CYCLE_STATUS',
      { status: { vi: 'Đã trình', en: 'submitted' } },
      [
        { field: 'status', vi: 'Không được phép', en: 'Not allowed' },
        { field: 'plain', message: 'as given' },
      ],
    );
    const vi = run(error).body;
    expect(vi.message).toContain('"Đã trình"');
    expect(vi.details).toEqual([
      { field: 'status', message: 'Không được phép' },
      { field: 'plain', message: 'as given' },
    ]);
    const en = run(error, { 'accept-language': 'en' }).body;
    expect(en.message).toContain('"submitted"');
    expect(en.details[0]).toEqual({ field: 'status', message: 'Not allowed' });
  });

  it('sends a detail worded in both languages in the caller’s language', () => {
    const error = new DomainError('VALIDATION_FAILED', {}, [
      detail('selected', 'Chỉ chọn một phương án.', 'Choose one option only.'),
      { field: 'code', message: 'C2' },
    ]);
    expect(run(error).body.details).toEqual([
      { field: 'selected', message: 'Chỉ chọn một phương án.' },
      { field: 'code', message: 'C2' },
    ]);
    expect(run(error, { 'accept-language': 'en' }).body.details[0]).toEqual({
      field: 'selected',
      message: 'Choose one option only.',
    });
  });

  it('writes dates of messages dd/MM/yyyy and decimals with the language’s mark', () => {
    const body = run(
      new DomainError('DUE_DATE_IN_PAST', { dueDate: '2026-03-09', today: '2026-03-10' }),
    ).body;
    expect(body.message).toContain('09/03/2026');
  });

  it('words a detail given in both languages in the caller’s language, the others as they are', () => {
    const error = () =>
      new DomainError('VALIDATION_FAILED', {}, [
        {
          field: 'ratings',
          vi: 'Chưa tự đánh giá năng lực C2.',
          en: 'Competency C2 is not rated.',
        },
        { field: 'code', message: 'as given' },
      ]);
    expect(run(error()).body.details).toEqual([
      { field: 'ratings', message: 'Chưa tự đánh giá năng lực C2.' },
      { field: 'code', message: 'as given' },
    ]);
    expect(run(error(), { 'accept-language': 'en' }).body.details).toEqual([
      { field: 'ratings', message: 'Competency C2 is not rated.' },
      { field: 'code', message: 'as given' },
    ]);
  });

  it('maps constraint violations to 409 and 422, never 500', () => {
    expect(run(pgError('23505', 'UQ_x')).body).toMatchObject({
      statusCode: 409,
      code: 'CONFLICT_UNIQUE',
      details: [{ field: 'UQ_x' }],
    });
    expect(run(pgError('23503')).body).toMatchObject({
      statusCode: 422,
      code: 'REFERENCE_INVALID',
    });
    expect(run(pgError('23514')).body).toMatchObject({
      statusCode: 422,
      code: 'CONSTRAINT_VIOLATED',
    });
    expect(run(pgError('40001')).body).toMatchObject({
      statusCode: 409,
      code: 'CONCURRENT_UPDATE',
    });
  });

  it('maps framework HTTP errors onto stable codes', () => {
    expect(run(new NotFoundException()).body.code).toBe('ROUTE_NOT_FOUND');
    expect(run(new BadRequestException()).body.code).toBe('VALIDATION_FAILED');
  });

  it('answers a domain error that Nest wrapped as an HttpException (a middleware’s) by its cause', () => {
    const cause = new DomainError('MALFORMED_JSON', {}, [
      detail('body', 'Lồng quá sâu', 'Too deep'),
    ]);
    const wrapped = new HttpException('MALFORMED_JSON', 400, { cause });
    const { status, body } = run(wrapped, { 'accept-language': 'en' });
    expect(status).toBe(400);
    expect(body).toMatchObject({
      code: 'MALFORMED_JSON',
      details: [{ field: 'body', message: 'Too deep' }],
    });
  });

  it('hides unknown failures behind a 500 with a correlation id', () => {
    const { status, body } = run(new Error('connection string postgres://secret@db'));
    expect(status).toBe(500);
    expect(body.code).toBe('INTERNAL_ERROR');
    expect(body.correlationId).toBe('req-1');
    expect(JSON.stringify(body)).not.toContain('secret');
    expect(body.message).toContain('req-1');
  });

  it('answers an overloaded database with 503 and Retry-After, not a 500', () => {
    for (const e of [
      new Error('timeout exceeded when trying to connect'),
      Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    ]) {
      const { status, body } = run(e);
      expect({ message: e.message, status, code: body.code }).toEqual({
        message: e.message,
        status: 503,
        code: 'SERVICE_UNAVAILABLE',
      });
    }
  });

  it('treats an unknown database error as internal', () => {
    expect(run(pgError('XX000')).status).toBe(500);
  });
});
