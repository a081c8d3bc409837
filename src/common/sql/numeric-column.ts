/**
 * Column transformer for `numeric` columns: pg returns them as strings (to keep precision); the
 * ones this project stores — scores, hours, percentages — are small decimals that a JS number
 * holds exactly enough.
 */
export const numericColumn = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null | undefined) => (v === null || v === undefined ? null : Number(v)),
};
