import { detail, DomainError, LocalizedDetail } from '../common/errors/domain-error';
import { COMMON_PASSWORDS } from './common-passwords';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * The one password policy, applied to every new password (an account created with one, an
 * invitation or reset link, a change by its owner). Hashes already stored are not judged again:
 * the policy speaks of passwords people choose from now on.
 * - 10 to 128 characters (counted as people count them, not UTF-16 units);
 * - not a common password, nor one with only digits or symbols added around a common one;
 * - not the e-mail, and not containing the part of it before the @ (when it has 3 or more
 *   characters: "an@…" would refuse every password with "an" in it).
 * Answers every reason at once, so the owner fixes them in one go.
 */
export function passwordProblems(
  password: string,
  email: string | null,
  field = 'password',
): LocalizedDetail[] {
  const problems: LocalizedDetail[] = [];
  const text = password.normalize('NFC');
  const length = [...text].length;
  if (length < PASSWORD_MIN_LENGTH) {
    problems.push(
      detail(
        field,
        `Mật khẩu cần có ít nhất ${PASSWORD_MIN_LENGTH} ký tự.`,
        `The password needs at least ${PASSWORD_MIN_LENGTH} characters.`,
      ),
    );
  }
  if (length > PASSWORD_MAX_LENGTH) {
    problems.push(
      detail(
        field,
        `Mật khẩu dài tối đa ${PASSWORD_MAX_LENGTH} ký tự.`,
        `The password may have at most ${PASSWORD_MAX_LENGTH} characters.`,
      ),
    );
  }
  if (isCommon(text)) {
    problems.push(
      detail(
        field,
        'Mật khẩu này quá phổ biến, dễ bị đoán: hãy chọn mật khẩu khác.',
        'This password is too common and easy to guess: choose another one.',
      ),
    );
  }
  if (email && containsEmail(text, email)) {
    problems.push(
      detail(
        field,
        'Mật khẩu không được chứa địa chỉ email của tài khoản.',
        "The password must not contain the account's e-mail address.",
      ),
    );
  }
  return problems;
}

/** Throws PASSWORD_POLICY with every reason when the password does not meet the policy. */
export function assertPasswordPolicy(
  password: string,
  email: string | null,
  field = 'password',
): void {
  const problems = passwordProblems(password, email, field);
  if (problems.length > 0) throw new DomainError('PASSWORD_POLICY', {}, problems);
}

/** Digits, symbols and spaces: what people add around a word to pass a rule. */
const PADDING = /^[^\p{L}]+|[^\p{L}]+$/gu;

function isCommon(text: string): boolean {
  const lower = text.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return true;
  const core = lower.replace(PADDING, '');
  if (core.length >= 4 && COMMON_PASSWORDS.has(core)) return true;
  // One character repeated (aaaaaaaaaa, 1111111111, ..........).
  return new Set(lower).size === 1;
}

function containsEmail(text: string, email: string): boolean {
  const lower = text.toLowerCase();
  const address = email.trim().toLowerCase();
  if (address && lower.includes(address)) return true;
  const local = address.split('@')[0] ?? '';
  return local.length >= 3 && lower.includes(local);
}
