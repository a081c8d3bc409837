export const SCALES = ['smoke', 'province', 'national'] as const;
export type Scale = (typeof SCALES)[number];

export interface MeasureContext {
  scale: Scale;
  databaseUrl: string | undefined;
}

/** One printed line: our value beside the baseline of the same work, and ours/baseline. */
export interface MeasureResult {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
  n: number;
}

export interface Measure {
  name: string;
  needsDatabase: boolean;
  run(ctx: MeasureContext): Promise<MeasureResult>;
}

export const round = (x: number, digits = 3) => Number(x.toFixed(digits));

/** Wall time of an async loop, in seconds. */
export async function timeIt(n: number, once: (i: number) => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i += 1) await once(i);
  return Number(process.hrtime.bigint() - start) / 1e9;
}
