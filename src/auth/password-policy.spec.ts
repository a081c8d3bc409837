import { DomainError } from '../common/errors/domain-error';
import { COMMON_PASSWORDS } from './common-passwords';
import { assertPasswordPolicy, passwordProblems } from './password-policy';

const EMAIL = 'nguyen.van.an@lms.congdoan.test';
const viOf = (password: string, email: string | null = EMAIL) =>
  passwordProblems(password, email).map((p) => p.vi);

describe('the password policy', () => {
  it('accepts a long, uncommon password that does not name the e-mail', () => {
    expect(passwordProblems('Hoa-sen-nở-2026', EMAIL)).toEqual([]);
    expect(passwordProblems('Matkhau2026moi', EMAIL)).toEqual([]);
  });

  it('counts characters as people do: 10 Vietnamese letters pass, 9 do not', () => {
    expect(viOf('Hạnhphúcở')).toEqual(['Mật khẩu cần có ít nhất 10 ký tự.']);
    expect(viOf('Hạnhphúcởđ')).toEqual([]);
  });

  it('refuses more than 128 characters', () => {
    expect(viOf('Xy7-'.repeat(32))).toEqual([]);
    expect(viOf('Xy7-'.repeat(32) + 'z')).toEqual(['Mật khẩu dài tối đa 128 ký tự.']);
  });

  it.each(['matkhau123', '123456789a', 'Password123', 'ANHYEUEM123', 'qwertyuiop'])(
    'refuses the common password %s whatever its case',
    (password) => {
      expect(viOf(password)).toEqual([
        'Mật khẩu này quá phổ biến, dễ bị đoán: hãy chọn mật khẩu khác.',
      ]);
    },
  );

  it('refuses a common word with only digits or symbols around it', () => {
    expect(viOf('!!matkhau2026!!')).toEqual([
      'Mật khẩu này quá phổ biến, dễ bị đoán: hãy chọn mật khẩu khác.',
    ]);
    expect(viOf('2026@Congdoan#')).toHaveLength(1);
    expect(viOf('aaaaaaaaaaaa')).toHaveLength(1);
  });

  it('refuses the e-mail and its part before the @, whatever the case', () => {
    expect(viOf('Nguyen.Van.An2026')).toEqual([
      'Mật khẩu không được chứa địa chỉ email của tài khoản.',
    ]);
    expect(viOf('x' + EMAIL.toUpperCase())).toEqual([
      'Mật khẩu không được chứa địa chỉ email của tài khoản.',
    ]);
    // A local part of two letters would refuse half the dictionary: only the address counts then.
    expect(viOf('an-toàn-tuyệt-đối', 'an@lms.congdoan.test')).toEqual([]);
  });

  it('names every problem at once, in Vietnamese and English', () => {
    const problems = passwordProblems('matkhau', 'matkhau@x.vn');
    expect(problems.map((p) => p.en)).toEqual([
      'The password needs at least 10 characters.',
      'This password is too common and easy to guess: choose another one.',
      "The password must not contain the account's e-mail address.",
    ]);
    expect(problems.every((p) => p.field === 'password')).toBe(true);
  });

  it('throws PASSWORD_POLICY with the reasons as details', () => {
    expect(() => assertPasswordPolicy('short', null)).toThrow(DomainError);
    try {
      assertPasswordPolicy('short', null);
    } catch (error) {
      expect((error as DomainError).code).toBe('PASSWORD_POLICY');
      expect((error as DomainError).details).toHaveLength(1);
    }
  });

  it('ships a few hundred common passwords, Vietnamese ones included, stored lower-cased', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThan(300);
    for (const word of ['matkhau123', '123456789a', 'anhyeuem123', 'congdoan2026', 'mậtkhẩu123']) {
      expect(COMMON_PASSWORDS.has(word)).toBe(true);
    }
    expect([...COMMON_PASSWORDS].every((w) => w === w.toLowerCase())).toBe(true);
  });
});
