/** Formatting shared by the printed and exported reports: what people read, in Vietnamese. */

/** 2028-06-30 → 30/06/2028; null → ''. */
export function dateVi(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`not a yyyy-MM-dd date: ${iso}`);
  return `${m[3]}/${m[2]}/${m[1]}`;
}

const PERCENT_VI = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });

/** 0.6667 → "66,7%": one decimal, Vietnamese decimal comma. */
export function percentVi(ratio: number): string {
  return `${PERCENT_VI.format(ratio * 100)}%`;
}

/** One line, NFC: a value can neither break a line-based template nor arrive decomposed. */
export function oneLine(value: string): string {
  return value.normalize('NFC').replace(/\s+/g, ' ').trim();
}
