import fc from 'fast-check';
import globalSetup from '../support/global-setup';
import globalTeardown from '../support/global-teardown';
import { createTestApp } from '../support/test-app';
import { JwtService } from '@nestjs/jwt';
import {
  installRowDeltas,
  loadRealIds,
  newTally,
  operationProperty,
  operationSeed,
  renewTokens,
} from './fuzzer';
import { describeCase, FuzzCase, fuzzOperations } from './operations';

/** The value after `--name` or in `--name=value`. */
function option(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  if (at >= 0) return argv[at + 1];
  return argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

interface Failure {
  operation: string;
  seed: number;
  path: string;
  error: string;
  case: string;
}

/**
 * `npm run bench -- --fuzz [--fuzz-runs N] [--seed S] [--fuzz-only TEXT]`: the generator of
 * test/fuzz/fuzz.e2e-spec.ts at volume — N cases (default 2,000) for every write operation and
 * GET list, on a fresh copy of the seeded database (PostgreSQL when DATABASE_URL is set, else
 * PGlite). The run's seed is printed first; `--seed S` replays it, `--fuzz-only` keeps the
 * operations whose "METHOD /path" contains TEXT. Prints one JSON summary; exits 1 on a failure.
 */
export async function runFuzzBench(argv: string[]): Promise<void> {
  const runs = Number(option(argv, '--fuzz-runs') ?? 2000);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error('--fuzz-runs must be a positive integer');
  const seedText = option(argv, '--seed');
  const seed = seedText === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(seedText);
  if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
  const only = option(argv, '--fuzz-only');
  const operations = fuzzOperations().filter((op) => !only || op.key.includes(only));
  const replay =
    `npm run bench -- --fuzz --seed ${seed} --fuzz-runs ${runs}` +
    (only ? ` --fuzz-only ${JSON.stringify(only)}` : '');
  console.error(
    `fuzz: seed ${seed}, ${runs} cases × ${operations.length} operations (replay: ${replay})`,
  );

  await globalSetup();
  const started = process.hrtime.bigint();
  const tally = newTally();
  const failures: Failure[] = [];
  const t = await createTestApp();
  try {
    const countSql = await installRowDeltas(t.dataSource);
    const realIds = await loadRealIds(t.dataSource);
    const jwt = t.app.get(JwtService);
    for (const op of operations) {
      renewTokens(t, jwt);
      const opSeed = operationSeed(seed, op);
      const before = tally.requests;
      const details = await fc.check(operationProperty(t, countSql, op, tally, realIds), {
        seed: opSeed,
        numRuns: runs,
        endOnFailure: true,
      });
      if (details.failed) {
        const [c] = (details.counterexample ?? []) as [FuzzCase?];
        failures.push({
          operation: op.key,
          seed: opSeed,
          path: details.counterexamplePath ?? '',
          error: String(
            (details.errorInstance as Error | undefined)?.message ??
              'too many skips or interrupted',
          ),
          case: c ? describeCase(c) : '',
        });
      }
      console.error(
        `${details.failed ? 'FAIL' : 'ok  '} ${op.key}: ${tally.requests - before} requests`,
      );
    }
  } finally {
    await t.close();
    await globalTeardown();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const summary = {
    name: 'fuzz',
    seed,
    runsPerOperation: runs,
    operations: operations.length,
    requests: tally.requests,
    byClass: tally.byClass,
    serverErrors: tally.byClass['5xx'] ?? 0,
    byCode: Object.fromEntries(Object.entries(tally.byCode).sort(([, a], [, b]) => b - a)),
    failures,
    seconds: Number(seconds.toFixed(1)),
  };
  console.log(JSON.stringify(summary, null, 2));
  if (failures.length > 0) {
    console.error(
      `fuzz: ${failures.length} operation(s) failed; replay one with ` +
        `npm run bench -- --fuzz --seed ${seed} --fuzz-runs ${runs} --fuzz-only "<operation>"`,
    );
    process.exitCode = 1;
  }
}
