import { PGlite } from '@electric-sql/pglite';
import { ItemResponseRow, itemStatistics, ItemStatistics } from './item-statistics';
import { ItemStatisticsSqlRow, itemStatisticsSql } from './item-statistics-sql';

/**
 * The SQL statistics against the accumulator on the same responses, in an embedded PostgreSQL
 * (PGlite, in memory). Nothing special was needed to load it under jest: the unit project's
 * transformIgnorePatterns already lets @electric-sql through to swc (as the e2e project's does).
 * It is imported statically, as src/database/pglite.ts does: with `await import()` TypeScript
 * took the package's ESM typings, whose PGlite is not the CJS one the `db` variable named.
 */

/**
 * The fixture of item-statistics.spec.ts (figures worked by hand there; the option keys it also
 * has play no part in SQL): per attempt, the points on q1 (of 1), q2 (of 2) and q3 (of 1), then
 * the seconds spent on each.
 */
const FIXTURE: [string, number, number, number, number | null, number | null, number | null][] = [
  ['A1', 1, 2, 0, 20, 60, 15],
  ['A2', 1, 2, 1, 30, 50, 10],
  ['A3', 1, 1, 0, 25, 70, 12],
  ['A4', 0, 1, 1, 45, 80, 18],
  ['A5', 0, 0, 1, null, 40, 20],
];
const FIXTURE_MAX = [1, 2, 1];

function fixtureRows(): ItemResponseRow[] {
  return FIXTURE.flatMap(([attemptId, p1, p2, p3, s1, s2, s3]) => {
    const points = [p1, p2, p3];
    const seconds = [s1, s2, s3];
    const attemptPoints = p1 + p2 + p3;
    return points.map((p, i) => ({
      questionVersionId: `q${i + 1}`,
      attemptId,
      points: p,
      maxPoints: FIXTURE_MAX[i],
      correct: p === FIXTURE_MAX[i],
      chosen: null,
      secondsSpent: seconds[i],
      attemptPoints,
      attemptMaxPoints: 4,
    }));
  });
}

/**
 * A larger set: 400 attempts at 8 items of 1–4 points, driven by a learner ability so that items
 * discriminate, with partial credit, unrecorded times, ungraded (correct null) responses and one
 * item keyed against ability. Deterministic (a linear congruential generator).
 */
function generatedRows(): ItemResponseRow[] {
  let seed = 20261207;
  const random = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const items = Array.from({ length: 8 }, (_, i) => ({ id: `g${i}`, max: 1 + (i % 4) }));
  const rows: ItemResponseRow[] = [];
  for (let a = 0; a < 400; a++) {
    const ability = random();
    const responses = items.map((item, i) => {
      // g3 is answered right by the weaker learners: a negative discrimination.
      const chance = i === 3 ? 1 - ability : ability * 0.8 + 0.1;
      const earned = Array.from({ length: item.max }, () => (random() < chance ? 1 : 0));
      const points = earned.reduce<number>((s, e) => s + e, 0);
      return {
        questionVersionId: item.id,
        attemptId: `a${a}`,
        points,
        maxPoints: item.max,
        correct: i === 7 && random() < 0.2 ? null : points === item.max,
        chosen: null,
        secondsSpent: random() < 0.1 ? null : Math.round(5 + random() * 120),
        attemptPoints: 0,
        attemptMaxPoints: 20,
      };
    });
    const total = responses.reduce((s, r) => s + r.points, 0);
    for (const r of responses) rows.push({ ...r, attemptPoints: total });
  }
  return rows;
}

/** The rows as a VALUES subquery with the columns itemStatisticsSql expects. */
function valuesSql(rows: ItemResponseRow[]): string {
  const text = (s: string) => `'${s.replaceAll("'", "''")}'`;
  const values = rows.map(
    (r) =>
      `(${text(r.questionVersionId)}, ${text(r.attemptId)}, ${r.points}::numeric, ` +
      `${r.maxPoints}::numeric, ${r.correct === null ? 'NULL' : String(r.correct)}::boolean, ` +
      `${r.secondsSpent ?? 'NULL'}::int, ${r.attemptPoints}::numeric)`,
  );
  return (
    `SELECT * FROM (VALUES ${values.join(',\n')}) AS v(question_version_id, attempt_id, ` +
    `points, max_points, correct, seconds_spent, attempt_points)`
  );
}

function expectSame(sql: ItemStatisticsSqlRow[], js: ItemStatistics[]): void {
  const byId = new Map(js.map((s) => [s.questionVersionId, s]));
  expect(sql.map((r) => r.question_version_id)).toEqual([...byId.keys()].sort());
  for (const row of sql) {
    const item = byId.get(row.question_version_id)!;
    expect(row.attempts).toBe(item.attempts);
    expect(row.facility).toBeCloseTo(item.facility, 4);
    expect(row.correct_share).toBeCloseTo(item.correctShare, 4);
    if (item.discrimination === null) expect(row.discrimination).toBeNull();
    else expect(row.discrimination).toBeCloseTo(item.discrimination, 4);
    if (item.averageSeconds === null) expect(row.average_seconds).toBeNull();
    else expect(row.average_seconds).toBeCloseTo(item.averageSeconds, 1);
  }
}

describe('item statistics in SQL', () => {
  let db: PGlite;

  // A new in-memory cluster runs initdb in WebAssembly: about 5 s on an idle machine, 16 s seen
  // on a loaded two-core one, so the hook gets more than the 30 s default.
  beforeAll(async () => {
    db = new PGlite();
    await db.waitReady;
  }, 120_000);

  afterAll(async () => {
    await db.close();
  });

  async function run(rows: ItemResponseRow[]): Promise<ItemStatisticsSqlRow[]> {
    return (await db.query<ItemStatisticsSqlRow>(itemStatisticsSql(valuesSql(rows)))).rows;
  }

  it('agrees with the accumulator on the hand-worked fixture', async () => {
    const rows = fixtureRows();
    const sql = await run(rows);
    expectSame(sql, itemStatistics(rows));
    // The hand-worked figures themselves (item-statistics.spec.ts shows the arithmetic).
    expect(sql).toEqual([
      {
        question_version_id: 'q1',
        attempts: 5,
        facility: 0.6,
        correct_share: 0.6,
        discrimination: 0.3273,
        average_seconds: 30,
      },
      {
        question_version_id: 'q2',
        attempts: 5,
        facility: 0.6,
        correct_share: 0.4,
        discrimination: 0.5345,
        average_seconds: 60,
      },
      {
        question_version_id: 'q3',
        attempts: 5,
        facility: 0.6,
        correct_share: 0.6,
        discrimination: -0.4901,
        average_seconds: 15,
      },
    ]);
  });

  it('agrees with the accumulator on 400 generated attempts', async () => {
    const rows = generatedRows();
    const js = itemStatistics(rows);
    // The generator does what it says: g3 discriminates negatively, the others positively.
    for (const item of js) {
      if (item.questionVersionId === 'g3') expect(item.discrimination).toBeLessThan(0);
      else expect(item.discrimination).toBeGreaterThan(0.2);
    }
    expect(js.find((s) => s.questionVersionId === 'g3')!.flags).toContain(
      'negative_discrimination',
    );
    expectSame(await run(rows), js);
  });

  it('agrees when attempt totals are large next to their spread', async () => {
    const rows = fixtureRows().map((r) => ({ ...r, attemptPoints: r.attemptPoints + 1e9 }));
    const sql = await run(rows);
    expectSame(sql, itemStatistics(rows));
    expect(sql.map((r) => r.discrimination)).toEqual([0.3273, 0.5345, -0.4901]);
  });

  it('gives no discrimination when an item or the rest of the test does not vary', async () => {
    const base = {
      maxPoints: 1,
      chosen: null,
      secondsSpent: null,
      attemptMaxPoints: 10,
    };
    const rows: ItemResponseRow[] = [
      // Everyone right on "easy", totals varying.
      ...[3, 5, 7].map((t, i) => ({
        ...base,
        questionVersionId: 'easy',
        attemptId: `e${i}`,
        points: 1,
        correct: true,
        attemptPoints: t,
      })),
      // "flat": x = [1, 0] but rest = [2, 2].
      {
        ...base,
        questionVersionId: 'flat',
        attemptId: 'f0',
        points: 1,
        correct: true,
        attemptPoints: 3,
      },
      {
        ...base,
        questionVersionId: 'flat',
        attemptId: 'f1',
        points: 0,
        correct: false,
        attemptPoints: 2,
      },
      // "one": a single attempt.
      {
        ...base,
        questionVersionId: 'one',
        attemptId: 'o0',
        points: 1,
        correct: true,
        attemptPoints: 1,
      },
    ];
    const sql = await run(rows);
    expectSame(sql, itemStatistics(rows));
    expect(sql.map((r) => [r.question_version_id, r.discrimination, r.average_seconds])).toEqual([
      ['easy', null, null],
      ['flat', null, null],
      ['one', null, null],
    ]);
  });
});
