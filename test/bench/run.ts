import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runFuzzBench } from '../fuzz/bench';
import { assignMeasure, meAssignmentsMeasure } from './assign.bench';
import { certificateMeasure } from './certificates.bench';
import {
  examAutosaveP50Measure,
  examAutosaveP99Measure,
  examSubmitP50Measure,
  examSubmitP99Measure,
} from './exam.bench';
import { progressCsvMeasure, progressXlsxMeasure } from './export.bench';
import { heatmapMeasure } from './heatmap.bench';
import {
  importCsvMeasure,
  importCsvRssMeasure,
  importXlsxMeasure,
  importXlsxRssMeasure,
} from './import.bench';
import { Measure, MeasureResult, Scale, SCALES } from './measure';
import { pipelineMeasure } from './pipeline.bench';
import { portalAssetsMeasure, portalHomeMeasure } from './portal.bench';
import { seatsSignupP50Measure, seatsSignupP99Measure } from './seats.bench';

/**
 * `npm run bench [-- --scale smoke|province|national]`: runs every measure, prints one JSON line
 * each and writes them all to test/bench/results.json. Each measure times our code beside its
 * physical limit in the same run, so the ratio holds on a noisy shared machine.
 * Measures that need PostgreSQL read DATABASE_URL; the ones that do not run anywhere.
 * `npm run bench -- --fuzz [--fuzz-runs N] [--seed S]` runs the fuzzer instead (test/fuzz).
 */
const MEASURES: Measure[] = [
  certificateMeasure,
  heatmapMeasure,
  pipelineMeasure,
  assignMeasure,
  meAssignmentsMeasure,
  progressCsvMeasure,
  progressXlsxMeasure,
  portalHomeMeasure,
  portalAssetsMeasure,
  importCsvMeasure,
  importCsvRssMeasure,
  importXlsxMeasure,
  importXlsxRssMeasure,
  // One exam run (2,000 takers from province scale) prints these four lines.
  examAutosaveP50Measure,
  examAutosaveP99Measure,
  examSubmitP50Measure,
  examSubmitP99Measure,
  // One race of learners for the seats of a session prints these two lines.
  seatsSignupP50Measure,
  seatsSignupP99Measure,
];

function parseScale(argv: string[]): Scale {
  const at = argv.indexOf('--scale');
  const value = at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith('--scale='))?.slice(8);
  const scale = (value ?? 'smoke') as Scale;
  if (!SCALES.includes(scale)) {
    throw new Error(`--scale must be one of ${SCALES.join(', ')}, not ${value}`);
  }
  return scale;
}

/** `--only prefix`: run just the measures whose name starts with it (e.g. programmes). */
function parseOnly(argv: string[]): string | undefined {
  const at = argv.indexOf('--only');
  return at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith('--only='))?.slice(7);
}

async function main(): Promise<void> {
  // `--fuzz`: the hostile-input fuzzer at volume instead of the measures (test/fuzz/bench.ts).
  if (process.argv.includes('--fuzz')) return runFuzzBench(process.argv.slice(2));
  const scale = parseScale(process.argv.slice(2));
  const only = parseOnly(process.argv.slice(2));
  const results: MeasureResult[] = [];
  for (const measure of MEASURES) {
    if (only && !measure.name.startsWith(only)) continue;
    if (measure.needsDatabase && !process.env.DATABASE_URL) {
      console.error(`skip ${measure.name}: needs DATABASE_URL`);
      continue;
    }
    const result = await measure.run({ scale, databaseUrl: process.env.DATABASE_URL });
    results.push(result);
    console.log(JSON.stringify(result));
  }
  writeFileSync(join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
