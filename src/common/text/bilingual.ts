import type { Localized } from '../errors/domain-error';

/**
 * Text that people read in both languages of the API: Vietnamese by default, English with
 * Accept-Language: en. Labels of enum values, warnings and the parameters of error messages are
 * built as a pair and the caller's language is picked where the answer is written. The pair is
 * DomainError's Localized: one type for labels, warnings and the words of errors.
 */
export type Bilingual = Localized;

export type TextLanguage = keyof Bilingual;

const DECIMAL = {
  vi: new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }),
};
const PERCENT = {
  vi: new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }),
};

/** 9.5 → "9,5" (Vietnamese decimal comma) and "9.5"; no grouping below 1,000. */
export function decimalText(value: number): Bilingual {
  return { vi: DECIMAL.vi.format(value), en: DECIMAL.en.format(value) };
}

/** 0.3333 → "33,3%" and "33.3%": one decimal at most. */
export function percentText(ratio: number): Bilingual {
  return { vi: `${PERCENT.vi.format(ratio * 100)}%`, en: `${PERCENT.en.format(ratio * 100)}%` };
}

/** Fills `{name}` placeholders of a pair from values that may themselves be pairs. */
export function fill(
  template: Bilingual,
  params: Record<string, string | number | Bilingual>,
): Bilingual {
  const one = (lang: TextLanguage) =>
    template[lang].replace(/\{(\w+)\}/g, (whole, name: string) => {
      const v = params[name];
      if (v === undefined) return whole;
      return typeof v === 'object' ? v[lang] : String(v);
    });
  return { vi: one('vi'), en: one('en') };
}
