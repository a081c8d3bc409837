import { QueryFailedError } from 'typeorm';
import { prepared } from '../src/common/sql/prepared';
import { createTestApp, TestApp } from './support/test-app';

/**
 * The named prepared statements of the exam's hot path (src/common/sql/prepared.ts), on the
 * database of the run: run again on the same connections, in the caller's transaction when it
 * has one, and failing as TypeORM's own queries fail.
 */
describe('prepared statements', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers the rows each time the same text runs, with new values', async () => {
    const sql = `SELECT $1::int + 1 AS next, $2::text AS word`;
    for (const n of [1, 2, 3, 4, 5, 6, 7]) {
      await expect(prepared(t.dataSource, sql, [n, 'Công đoàn'])).resolves.toEqual([
        { next: n + 1, word: 'Công đoàn' },
      ]);
    }
  });

  it("runs in the caller's transaction: it sees what the transaction set, and nothing after", async () => {
    const sql = `SELECT current_setting('lms.probe', true) AS probe`;
    await t.dataSource.transaction(async (em) => {
      await em.query(`SELECT set_config('lms.probe', $1, true)`, ['Hà Nội']);
      await expect(prepared(em, sql, [])).resolves.toEqual([{ probe: 'Hà Nội' }]);
    });
    const [after] = await prepared<{ probe: string | null }[]>(t.dataSource, sql, []);
    expect(after.probe ?? '').toBe('');
  });

  it('fails with a QueryFailedError carrying the SQLSTATE, as em.query does', async () => {
    const failure = await prepared(t.dataSource, `SELECT 1 / $1::int AS x`, [0]).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(QueryFailedError);
    expect((failure as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe(
      '22012',
    );
  });
});
