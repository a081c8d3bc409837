import 'reflect-metadata';
import { ApiErrors } from './api-errors.decorator';
import { ErrorBodyDto } from './error-body.dto';

type Documented = Record<
  string,
  { description: string; type: unknown; examples: Record<string, { value: { code: string } }> }
>;

function responsesOf(handler: unknown): Documented {
  return Reflect.getMetadata('swagger/apiResponse', handler as object) as Documented;
}

describe('ApiErrors', () => {
  it('documents each status with the error body and one example per code', () => {
    class Ctl {
      @ApiErrors(401, 'CERTIFICATE_REVOKED', 'CERTIFICATE_STATUS_INVALID')
      act(): void {}
    }
    const responses = responsesOf(Ctl.prototype.act);
    expect(Object.keys(responses).sort()).toEqual(['401', '409']);
    expect(responses['409'].type).toBe(ErrorBodyDto);
    expect(Object.keys(responses['409'].examples)).toEqual([
      'CERTIFICATE_REVOKED',
      'CERTIFICATE_STATUS_INVALID',
    ]);
    expect(responses['409'].description).toContain(
      'Codes: CERTIFICATE_REVOKED, CERTIFICATE_STATUS_INVALID.',
    );
    expect(responses['401'].examples.UNAUTHENTICATED.value.code).toBe('UNAUTHENTICATED');
  });

  it('adds up several uses on one operation, in any order', () => {
    class Ctl {
      @ApiErrors({ status: 403, description: 'Needs x.' }, 404)
      @ApiErrors('CERTIFICATE_NOT_FOUND', 'TOO_MANY_REQUESTS')
      act(): void {}
    }
    const responses = responsesOf(Ctl.prototype.act);
    expect(Object.keys(responses).sort()).toEqual(['403', '404', '429']);
    expect(Object.keys(responses['404'].examples)).toEqual(['CERTIFICATE_NOT_FOUND']);
    expect(responses['403'].description).toContain('Needs x.');
  });

  it('refuses a status that is not an error answer', () => {
    expect(() => ApiErrors(200 as never)({}, 'x', { value: () => undefined })).toThrow(/200/);
  });
});
