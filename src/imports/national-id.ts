/**
 * The check of a citizen identity number (CCCD, số định danh cá nhân; Circular 59/2021/TT-BCA):
 * 12 digits — 3 for the province of birth registration, 1 for century and gender, 2 for the
 * last digits of the birth year, 6 at random. The province codes are those of the 63 provinces
 * before the 2025 merger: numbers already issued keep them, and the 34 codes of today are among
 * them (DOMAIN.md).
 */
export const CCCD_PROVINCE_CODES: ReadonlySet<string> = new Set(
  (
    '001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 ' +
    '035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 ' +
    '070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096'
  ).split(' '),
);

/** The 4th digit: even for men, odd for women; its pair names the century of birth. */
const CENTURY_OF_DIGIT = [1900, 1900, 2000, 2000, 2100, 2100, 2200, 2200, 1800, 1800];

export interface NationalIdProblem {
  vi: string;
  en: string;
}

/**
 * Why a CCCD cannot be right, or null. `birthDate` (ISO) and `gender` are checked against the
 * number when given: the century/gender digit and the two year digits must agree with them.
 */
export function nationalIdProblem(
  value: string,
  birthDate?: string | null,
  gender?: 'male' | 'female' | null,
): NationalIdProblem | null {
  if (!/^[0-9]+$/.test(value)) {
    return { vi: 'Số CCCD chỉ gồm chữ số.', en: 'A national ID holds digits only.' };
  }
  if (value.length !== 12) {
    return {
      vi: `Số CCCD phải có đúng 12 chữ số (ô này có ${value.length}).`,
      en: `A national ID has exactly 12 digits (this one has ${value.length}).`,
    };
  }
  if (!CCCD_PROVINCE_CODES.has(value.slice(0, 3))) {
    return {
      vi: `Ba chữ số đầu (${value.slice(0, 3)}) không phải mã tỉnh nơi đăng ký khai sinh.`,
      en: `The first three digits (${value.slice(0, 3)}) are not a province code.`,
    };
  }
  const digit = Number(value[3]);
  if (gender && (digit % 2 === 0 ? 'male' : 'female') !== gender) {
    return {
      vi: 'Chữ số thứ tư của số CCCD không khớp với giới tính.',
      en: 'The fourth digit of the national ID does not match the gender.',
    };
  }
  if (birthDate) {
    const year = CENTURY_OF_DIGIT[digit] + Number(value.slice(4, 6));
    if (String(year) !== birthDate.slice(0, 4)) {
      return {
        vi: `Số CCCD ghi năm sinh ${year}, khác với ngày sinh.`,
        en: `The national ID gives birth year ${year}, not the birth date's.`,
      };
    }
  }
  return null;
}
