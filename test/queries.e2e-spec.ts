import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { EntityManager } from 'typeorm';
import * as enrolments from '../src/courses/enrolments.queries';
import * as nominations from '../src/planning/nominations.queries';
import { createTestApp, TestApp } from './support/test-app';

type Module = Record<string, unknown>;

/** One run of a query on the demo data: the rows it returns and the columns its type names. */
interface Run {
  rows: (em: EntityManager, ids: Ids) => Promise<unknown[]>;
  columns: readonly string[];
}
interface Ids {
  cycleId: string;
  nominationId: string;
  reviewId: string;
  learnerId: string;
}

/**
 * Every exported function of every `*.queries.ts` (issue 12, item 9), with plausible
 * parameters. A query file added or a function exported without a line here fails the suite.
 */
const QUERIES: Record<string, { module: Module; runs: Record<string, Run> }> = {
  'src/courses/enrolments.queries.ts': {
    module: enrolments,
    runs: {
      findMyEnrolmentsPage: {
        rows: (em, ids) =>
          enrolments.findMyEnrolmentsPage(em, { personId: ids.learnerId, limit: 5 }),
        columns: enrolments.MY_ENROLMENT_ROW_COLUMNS,
      },
    },
  },
  'src/planning/nominations.queries.ts': {
    module: nominations,
    runs: {
      findNominationOfCycle: {
        rows: async (em, ids) => {
          const row = await nominations.findNominationOfCycle(em, ids.cycleId, ids.nominationId);
          return row ? [row] : [];
        },
        columns: nominations.NOMINATION_ROW_COLUMNS,
      },
      findNominationsPageOfCycle: {
        rows: (em, ids) =>
          nominations.findNominationsPageOfCycle(em, { cycleId: ids.cycleId, limit: 5 }),
        columns: nominations.NOMINATION_ROW_COLUMNS,
      },
      findReviewOfCycle: {
        rows: async (em, ids) => {
          const row = await nominations.findReviewOfCycle(em, ids.cycleId, ids.reviewId, true);
          return row ? [row] : [];
        },
        columns: nominations.REVIEW_ROW_COLUMNS,
      },
      findReviewsPageOfCycle: {
        rows: (em, ids) =>
          nominations.findReviewsPageOfCycle(em, { cycleId: ids.cycleId, limit: 5, year: 2026 }),
        columns: nominations.REVIEW_ROW_COLUMNS,
      },
    },
  },
};

function queryFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? queryFiles(join(dir, e.name))
      : e.name.endsWith('.queries.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

describe('purpose-named queries return the columns of their row types', () => {
  let t: TestApp;
  const root = join(__dirname, '..');

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('lists every query file and every exported query', () => {
    const files = queryFiles(join(root, 'src')).map((f) => relative(root, f));
    expect(files.sort()).toEqual(Object.keys(QUERIES).sort());
    for (const { module, runs } of Object.values(QUERIES)) {
      const exported = Object.entries(module)
        .filter(([, v]) => typeof v === 'function')
        .map(([k]) => k);
      expect(exported.sort()).toEqual(Object.keys(runs).sort());
    }
  });

  it('runs each query once on the demo data, in a transaction rolled back', async () => {
    const runner = t.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      const em = runner.manager;
      // A review entry to read: the demo data has nominations but no yearly review yet.
      const [nomination] = await em.query<{ id: string; cycle_id: string }[]>(
        `SELECT id, cycle_id FROM nominations ORDER BY created_at, id LIMIT 1`,
      );
      const [review] = await em.query<{ id: string }[]>(
        `INSERT INTO nomination_reviews (nomination_id, cycle_id, review_year, readiness_before, flags)
         SELECT id, cycle_id, 2026, readiness, '{}' FROM nominations WHERE id = $1
         RETURNING id`,
        [nomination.id],
      );
      const [learner] = await em.query<{ person_id: string }[]>(
        `SELECT person_id FROM enrolments ORDER BY enrolled_at, id LIMIT 1`,
      );
      const ids: Ids = {
        learnerId: learner.person_id,
        cycleId: nomination.cycle_id,
        nominationId: nomination.id,
        reviewId: review.id,
      };
      for (const [file, { runs }] of Object.entries(QUERIES)) {
        for (const [name, run] of Object.entries(runs)) {
          const rows = await run.rows(em, ids);
          expect({ query: `${file} ${name}`, returned: rows.length > 0 }).toEqual({
            query: `${file} ${name}`,
            returned: true,
          });
          expect({ query: name, columns: Object.keys(rows[0] as object).sort() }).toEqual({
            query: name,
            columns: [...run.columns].sort(),
          });
        }
      }
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
