import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

export type Language = 'vi' | 'en';

/** Vietnamese unless the client prefers English first. */
export function pickLanguage(acceptLanguage: string | string[] | undefined): Language {
  const header = Array.isArray(acceptLanguage) ? acceptLanguage[0] : acceptLanguage;
  if (!header) return 'vi';
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'vi';
}

const NUMBER_FORMAT: Record<Language, Intl.NumberFormat> = {
  vi: new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2, useGrouping: false }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2, useGrouping: false }),
};

/** 0,5 in Vietnamese, 0.5 in English; anything else as it is. */
export function formatNumber(value: unknown, lang: Language): string {
  return typeof value === 'number' && Number.isFinite(value)
    ? NUMBER_FORMAT[lang].format(value)
    : String(value);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Fills `{name}` placeholders. Numbers take the language's decimal mark and calendar dates
 * (yyyy-MM-dd) are written dd/MM/yyyy, as people in Vietnam read them, in both languages.
 */
export function interpolate(
  template: string,
  params: Record<string, string | number>,
  lang: Language = 'vi',
): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const value = params[name];
    if (typeof value === 'number') return formatNumber(value, lang);
    const date = ISO_DATE.exec(value);
    return date ? `${date[3]}/${date[2]}/${date[1]}` : value;
  });
}

/** The request's language, for answers that carry words besides the error bodies. */
export const RequestLanguage = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Language =>
    pickLanguage(ctx.switchToHttp().getRequest<Request>().headers['accept-language']),
);
