import { Logger } from '@nestjs/common';
import { DEMO_PROGRAMME } from '../src/programmes/programmes.seed';
import { DemoSeeder } from '../src/seed/seed.module';
import { bearer, createTestApp, TestApp } from './support/test-app';

jest.setTimeout(120_000);

/**
 * Issue 13, item 8: a start with SEED_DEMO=true over demo data that users have changed since
 * (the demo programme archived) failed with PROGRAMME_NOT_PUBLISHED, so the server did not
 * start. Seeding again — through DemoSeeder.onApplicationBootstrap, what a start runs — now
 * skips what users changed with a log line, and puts nothing back.
 */
describe('demo seed over changed demo data', () => {
  let t: TestApp;
  let programmeId: string;
  let logged: string[];

  /** A start's seed: the same provider and hook the app runs on bootstrap. */
  const seedAsAStartDoes = () => t.app.get(DemoSeeder).onApplicationBootstrap();

  const state = async () => {
    const [row] = await t.dataSource.query<
      {
        status: string;
        recert: string | null;
        assignments: number;
        members: number;
        sets: number;
      }[]
    >(
      `SELECT pr.status, pr.recert_programme_id AS recert,
              (SELECT count(*)::int FROM programme_assignments WHERE programme_id = pr.id) AS assignments,
              (SELECT count(*)::int FROM assignment_members m
                 JOIN programme_assignments a ON a.id = m.assignment_id
                WHERE a.programme_id = pr.id) AS members,
              (SELECT count(*)::int FROM programme_course_sets WHERE programme_id = pr.id) AS sets
         FROM programmes pr WHERE pr.code = $1`,
      [DEMO_PROGRAMME.code],
    );
    return row;
  };

  beforeAll(async () => {
    // The template is seeded already: this start seeds again over it, as SEED_DEMO=true does.
    t = await createTestApp({ SEED_DEMO: 'true' });
    [{ id: programmeId }] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM programmes WHERE code = $1`,
      [DEMO_PROGRAMME.code],
    );
  });

  beforeEach(() => {
    logged = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => {
      logged.push(String(message));
    });
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await t.close();
  });

  it('seeds again over unchanged demo data without adding anything', async () => {
    const before = await state();
    expect(before).toMatchObject({ status: 'published', assignments: 1, sets: 1 });
    await expect(seedAsAStartDoes()).resolves.toBeUndefined();
    expect(await state()).toEqual(before);
  });

  it('skips, with a log line, a step that a course archived since makes fail; the rest still seeds', async () => {
    await t.dataSource.query(`UPDATE courses SET status = 'archived' WHERE code = 'K03'`);
    const before = await state();
    try {
      await expect(seedAsAStartDoes()).resolves.toBeUndefined();
    } finally {
      await t.dataSource.query(`UPDATE courses SET status = 'published' WHERE code = 'K03'`);
    }
    expect(await state()).toEqual(before);
    expect(logged).toContainEqual(
      expect.stringMatching(/seedProgrammes skipped.*PROGRAMME_COURSE_UNAVAILABLE/),
    );
    expect(logged).toContainEqual(expect.stringMatching(/demo data loaded/));
  });

  it('starts after the demo programme is archived, and the programme stays archived', async () => {
    await t.http
      .post(`/api/v1/programmes/${programmeId}/archive`)
      .set(bearer(t.tokens.officerHanoi))
      .expect(200);
    // A user also clears the programme's recertification: the seed does not write it back.
    await t.dataSource.query(`UPDATE programmes SET recert_programme_id = NULL WHERE id = $1`, [
      programmeId,
    ]);
    const before = await state();
    expect(before).toMatchObject({ status: 'archived', recert: null });

    await expect(seedAsAStartDoes()).resolves.toBeUndefined();
    await expect(seedAsAStartDoes()).resolves.toBeUndefined();

    expect(await state()).toEqual(before);
    expect(logged).toContainEqual(
      expect.stringMatching(new RegExp(`programme ${DEMO_PROGRAMME.code} is archived`)),
    );
    const res = await t.http
      .get(`/api/v1/programmes/${programmeId}`)
      .set(bearer(t.tokens.officerHanoi))
      .expect(200);
    expect(res.body.status).toBe('archived');
  });
});
