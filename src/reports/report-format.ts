import { isoToVi } from '../common/dates/vietnam-dates';

/** Formatting shared by the printed and exported reports: what people read, in Vietnamese. */

/** 2028-06-30 → 30/06/2028; null → ''. */
export function dateVi(iso: string | null | undefined): string {
  return iso ? isoToVi(iso) : '';
}
