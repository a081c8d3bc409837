import { DEFAULT_MONTHS_AHEAD } from '../src/reports/dto/pipeline.dto';
import { PipelineFactsService } from '../src/reports/pipeline-facts.service';
import {
  PIPELINE_SUMMARY_LIVE_SQL,
  PipelineSummaryRow,
  pipelineParams,
} from '../src/reports/pipeline.sql';
import { bearer, createTestApp, TestApp } from './support/test-app';
import { addMonths } from '../src/common/dates/calendar';
import { todayVn } from '../src/common/dates/vietnam-dates';

interface Figures {
  keyPosts: number;
  coveredPosts: number;
  atRiskPosts: number;
  nominees: number;
  women: number;
  under40: number;
  nineBox: Record<string, number>;
}

/**
 * The pipeline summary is read from precomputed facts that triggers mark stale and the report
 * refreshes. Here every kind of source change — nominations, cycles, appointments, terms, posts,
 * people, evaluations, unit moves, the day turning — is made straight in SQL (the triggers are
 * the database's, whoever writes) and the API's figures are compared with the same summary
 * computed live from the source tables, on the national root and on Hà Nội.
 */
describe('pipeline facts stay equal to the live figures', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let root: string;
  let hanoi: string;
  const today = todayVn();

  beforeAll(async () => {
    t = await createTestApp();
    admin = bearer(t.tokens.admin);
    root = await t.unitId('VGCL');
    hanoi = await t.unitId('HN');
  });

  afterAll(async () => {
    await t.close();
  });

  const q = <T>(sql: string, params: unknown[] = []) => t.dataSource.query<T[]>(sql, params);

  async function viaApi(unitId: string): Promise<Figures> {
    const res = await t.http
      .get(`/api/v1/org-units/${unitId}/pipeline`)
      .query({ limit: 1 })
      .set(admin)
      .expect(200);
    const body = res.body as {
      summary: {
        keyPosts: number;
        coveredPosts: number;
        atRiskPosts: number;
        nominees: number;
        women: { count: number };
        under40: { count: number };
      };
      nineBox: { performance: string; potential: string; count: number }[];
    };
    const s = body.summary;
    return {
      keyPosts: s.keyPosts,
      coveredPosts: s.coveredPosts,
      atRiskPosts: s.atRiskPosts,
      nominees: s.nominees,
      women: s.women.count,
      under40: s.under40.count,
      nineBox: Object.fromEntries(
        body.nineBox
          .filter((c) => c.count > 0)
          .map((c) => [`${c.performance}/${c.potential}`, c.count]),
      ),
    };
  }

  async function live(unitId: string): Promise<Figures> {
    const [{ path }] = await q<{ path: string }>('SELECT path FROM org_units WHERE id = $1', [
      unitId,
    ]);
    const [row] = await q<PipelineSummaryRow>(
      PIPELINE_SUMMARY_LIVE_SQL,
      pipelineParams({
        subtreePath: path,
        asOf: today,
        horizon: addMonths(today, DEFAULT_MONTHS_AHEAD),
      }),
    );
    const boxes = typeof row.nine_box === 'string' ? JSON.parse(row.nine_box) : row.nine_box;
    return {
      keyPosts: Number(row.key_posts),
      coveredPosts: Number(row.covered_posts),
      atRiskPosts: Number(row.at_risk_posts),
      nominees: Number(row.nominees),
      women: Number(row.women),
      under40: Number(row.under40),
      nineBox: Object.fromEntries(
        (boxes as { performance: string; potential: string; count: number }[]).map((c) => [
          `${c.performance}/${c.potential}`,
          Number(c.count),
        ]),
      ),
    };
  }

  /** The API's figures for root and Hà Nội, each equal to the live statement's. */
  async function expectMatch(): Promise<{ national: Figures; hn: Figures }> {
    const national = await viaApi(root);
    expect(national).toEqual(await live(root));
    const hn = await viaApi(hanoi);
    expect(hn).toEqual(await live(hanoi));
    return { national, hn };
  }

  /** A live nomination of a key post in Hà Nội, with its post and person. */
  async function hanoiNomination(where = 'TRUE') {
    const [row] = await q<{ id: string; post_id: string; person_id: string; cycle_id: string }>(
      `SELECT n.id, n.post_id, n.person_id, n.cycle_id
         FROM nominations n
         JOIN planning_cycles c ON c.id = n.cycle_id
         JOIN posts p ON p.id = n.post_id
         JOIN org_units o ON o.id = p.org_unit_id
        WHERE o.path LIKE (SELECT path FROM org_units WHERE id = $1) || '%'
          AND p.key_post AND n.status <> 'removed' AND c.status IN ('open', 'approved')
          AND ${where}
        ORDER BY n.id LIMIT 1`,
      [hanoi],
    );
    if (!row) throw new Error(`no live Hà Nội nomination where ${where}`);
    return row;
  }

  it('starts equal, with nominees and key posts in the demo data', async () => {
    const { national, hn } = await expectMatch();
    expect(hn.keyPosts).toBeGreaterThan(0);
    expect(hn.nominees).toBeGreaterThan(0);
    expect(national.keyPosts).toBeGreaterThanOrEqual(hn.keyPosts);
    const [{ n }] = await q<{ n: number }>('SELECT count(*)::int AS n FROM pipeline_dirty_posts');
    expect(Number(n)).toBe(0);
  });

  it('follows a readiness change that covers a post, and a removal that uncovers it', async () => {
    const before = await expectMatch();
    const nom = await hanoiNomination(
      `NOT EXISTS (SELECT 1 FROM nominations n2 JOIN planning_cycles c2 ON c2.id = n2.cycle_id
                    WHERE n2.post_id = n.post_id AND n2.readiness = 'ready_now'
                      AND n2.status <> 'removed' AND c2.status IN ('open', 'approved'))`,
    );
    await q(`UPDATE nominations SET readiness = 'ready_now' WHERE id = $1`, [nom.id]);
    const covered = await expectMatch();
    expect(covered.hn.coveredPosts).toBe(before.hn.coveredPosts + 1);

    await q(
      `UPDATE nominations SET status = 'removed', removal_reason = 'other', removed_at = now()
        WHERE id = $1`,
      [nom.id],
    );
    const removed = await expectMatch();
    expect(removed.hn.coveredPosts).toBe(before.hn.coveredPosts);
  });

  it('follows a cycle leaving and re-entering the open states', async () => {
    const before = await expectMatch();
    const nom = await hanoiNomination();
    const [{ status }] = await q<{ status: string }>(
      'SELECT status FROM planning_cycles WHERE id = $1',
      [nom.cycle_id],
    );
    await q(`UPDATE planning_cycles SET status = 'closed' WHERE id = $1`, [nom.cycle_id]);
    const closed = await expectMatch();
    expect(closed.hn.nominees).toBeLessThan(before.hn.nominees);
    await q(`UPDATE planning_cycles SET status = $2 WHERE id = $1`, [nom.cycle_id, status]);
    expect((await expectMatch()).hn.nominees).toBe(before.hn.nominees);
  });

  it('follows holders leaving, terms starting, and posts ceasing to be key', async () => {
    const before = await expectMatch();
    // End every current holding of one held key post: it falls vacant.
    const [post] = await q<{ id: string }>(
      `SELECT f.post_id AS id FROM pipeline_post_facts f
        WHERE f.path LIKE (SELECT path FROM org_units WHERE id = $1) || '%' AND NOT f.vacant
          AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.post_id = f.post_id
                             AND a.status = 'active' AND a.start_date >= $2::date - 1)
        ORDER BY f.post_id LIMIT 1`,
      [hanoi, today],
    );
    expect(post).toBeDefined();
    await q(
      `UPDATE appointments SET status = 'ended', end_date = $2::date - 1
        WHERE post_id = $1 AND status = 'active'`,
      [post.id, today],
    );
    await expectMatch();
    const [fact] = await q<{ vacant: boolean }>(
      'SELECT vacant FROM pipeline_post_facts WHERE post_id = $1',
      [post.id],
    );
    expect(fact.vacant).toBe(true);

    // A term ending within the horizon, for a unit of a covered post: still not at risk; and
    // for an uncovered one elsewhere the live statement decides, the facts must agree.
    await q(
      `INSERT INTO terms (org_unit_id, name, start_date, end_date)
       SELECT DISTINCT f.org_unit_id, 'Nhiệm kỳ rút ngắn', $2::date - 30, $2::date + 30
         FROM pipeline_post_facts f
        WHERE f.path LIKE (SELECT path FROM org_units WHERE id = $1) || '%' AND f.term_end IS NULL`,
      [hanoi, today],
    );
    await expectMatch();

    await q(`UPDATE posts SET key_post = FALSE WHERE id = $1`, [post.id]);
    const unkeyed = await expectMatch();
    expect(unkeyed.hn.keyPosts).toBe(before.hn.keyPosts - 1);
  });

  it('follows a nominee’s gender, birth date and new evaluation', async () => {
    const nom = await hanoiNomination();
    const before = await expectMatch();
    const [{ gender }] = await q<{ gender: string }>('SELECT gender FROM people WHERE id = $1', [
      nom.person_id,
    ]);
    const flipped = gender === 'female' ? 'male' : 'female';
    await q(
      `UPDATE people SET gender = $2, birth_date = $3::date - interval '30 years'
        WHERE id = $1`,
      [nom.person_id, flipped, today],
    );
    const after = await expectMatch();
    expect(after.hn.women).toBe(before.hn.women + (flipped === 'female' ? 1 : -1));

    await q(
      `UPDATE evaluations SET superseded_at = now() WHERE person_id = $1 AND superseded_at IS NULL`,
      [nom.person_id],
    );
    await q(
      `INSERT INTO evaluations (person_id, year, revision, score, level, evaluator_person_id)
       SELECT $1, 2099, 1, 95, 'excellent', $1`,
      [nom.person_id],
    );
    await expectMatch();
    const [fact] = await q<{ performance: string }>(
      'SELECT performance FROM pipeline_nominee_facts WHERE person_id = $1',
      [nom.person_id],
    );
    expect(fact.performance).toBe('high');
  });

  it('counts a person nominated for two posts once, with the best readiness, and keeps the solo flag right', async () => {
    const nom = await hanoiNomination(`n.readiness <> 'ready_now'`);
    // A second key post planned by the same cycle, made for the test (the demo's own posts are
    // changed by the tests above).
    const [other] = await q<{ post_id: string }>(
      `WITH p AS (
         INSERT INTO posts (org_unit_id, post_type, title, employment, single_holder, key_post)
         SELECT c.org_unit_id, 'vice_chair', 'Phó Chủ tịch phụ trách thử nghiệm', 'full_time',
                FALSE, TRUE
           FROM planning_cycles c WHERE c.id = $1
         RETURNING id)
       INSERT INTO planning_cycle_posts (cycle_id, post_id) SELECT $1, p.id FROM p
       RETURNING post_id`,
      [nom.cycle_id],
    );
    expect(other).toBeDefined();
    const before = await expectMatch();
    const [second] = await q<{ id: string }>(
      `INSERT INTO nominations (cycle_id, post_id, person_id, readiness, status, first_time)
       VALUES ($1, $2, $3, 'ready_now', 'proposed', FALSE) RETURNING id`,
      [nom.cycle_id, other.post_id, nom.person_id],
    );
    const twice = await expectMatch();
    expect(twice.hn.nominees).toBe(before.hn.nominees);
    const solo = () =>
      q<{ solo: boolean }>('SELECT solo FROM pipeline_nominee_facts WHERE person_id = $1', [
        nom.person_id,
      ]);
    expect((await solo()).map((r) => r.solo)).toEqual([false, false]);

    await q(
      `UPDATE nominations SET status = 'removed', removal_reason = 'moved', removed_at = now()
        WHERE id = $1`,
      [second.id],
    );
    await expectMatch();
    expect((await solo()).map((r) => r.solo)).toEqual([true]);
  });

  it('follows a unit moved to another federation', async () => {
    const before = await expectMatch();
    const [unit] = await q<{ id: string }>(
      `SELECT o.id FROM org_units o
        WHERE o.path LIKE (SELECT path FROM org_units WHERE id = $1) || '%' AND o.depth = 2
          AND EXISTS (SELECT 1 FROM pipeline_post_facts f WHERE f.path LIKE o.path || '%')
        ORDER BY o.path LIMIT 1`,
      [hanoi],
    );
    const bacninh = await t.unitId('BN');
    await t.http
      .post(`/api/v1/org-units/${unit.id}/move`)
      .set(admin)
      .send({ parentId: bacninh })
      .expect(200);
    const after = await expectMatch();
    expect(after.hn.keyPosts).toBeLessThan(before.hn.keyPosts);
    expect(after.national.keyPosts).toBe(before.national.keyPosts);
    expect(await viaApi(bacninh)).toEqual(await live(bacninh));
  });

  it('leaves out the key posts of an archived unit, and takes them back when it returns', async () => {
    const before = await expectMatch();
    const [unit] = await q<{ id: string; posts: number }>(
      `SELECT f.org_unit_id AS id, count(*)::int AS posts FROM pipeline_post_facts f
        WHERE f.path LIKE (SELECT path FROM org_units WHERE id = $1) || '%'
        GROUP BY f.org_unit_id ORDER BY f.org_unit_id LIMIT 1`,
      [hanoi],
    );
    await q(`UPDATE org_units SET status = 'archived' WHERE id = $1`, [unit.id]);
    const archived = await expectMatch();
    expect(archived.hn.keyPosts).toBe(before.hn.keyPosts - Number(unit.posts));
    await q(`UPDATE org_units SET status = 'active' WHERE id = $1`, [unit.id]);
    expect((await expectMatch()).hn.keyPosts).toBe(before.hn.keyPosts);
  });

  it('never rebuilds backwards for a caller whose day is already behind the facts', async () => {
    const facts = t.app.get(PipelineFactsService);
    await facts.refresh(today);
    const [{ rebuilt_at: stamp }] = await q<{ rebuilt_at: Date }>(
      'SELECT rebuilt_at FROM pipeline_facts_state WHERE id = 1',
    );
    await expect(facts.refresh(addMonths(today, -1))).resolves.toEqual({ kind: 'fresh', posts: 0 });
    const [state] = await q<{ as_of: string; rebuilt_at: Date }>(
      'SELECT as_of::text AS as_of, rebuilt_at FROM pipeline_facts_state WHERE id = 1',
    );
    expect(state.as_of).toBe(today);
    expect(state.rebuilt_at).toEqual(stamp);
  });

  it('rebuilds everything when the day turns, and drains nothing twice', async () => {
    const facts = t.app.get(PipelineFactsService);
    await expectMatch();
    const indexes = () =>
      q<{ indexdef: string }>(
        `SELECT indexdef FROM pg_indexes
          WHERE tablename IN ('pipeline_post_facts', 'pipeline_nominee_facts') ORDER BY indexname`,
      );
    const before = await indexes();
    expect(before.length).toBeGreaterThanOrEqual(7);
    await q(`UPDATE pipeline_facts_state SET as_of = as_of - 1`);
    await expect(facts.refresh(today)).resolves.toMatchObject({ kind: 'rebuilt' });
    // The rebuild drops the secondary indexes while it fills the tables, then builds them again.
    expect(await indexes()).toEqual(before);
    await expect(facts.refresh(today)).resolves.toEqual({ kind: 'fresh', posts: 0 });
    await q(`UPDATE posts SET updated_at = now() WHERE key_post`);
    const marked = await facts.refresh(today);
    expect(marked.kind).toBe('posts');
    expect(marked.posts).toBeGreaterThan(0);
    await expect(facts.refresh(today)).resolves.toEqual({ kind: 'fresh', posts: 0 });
    await expectMatch();
  });

  it('rebuilds from the statutory roadmap when the roadmap table changes', async () => {
    const facts = t.app.get(PipelineFactsService);
    await expectMatch();
    const retiresOn = async () =>
      Object.fromEntries(
        (
          await q<{ post_id: string; retires_on: string | null }>(
            `SELECT post_id, retires_on::text AS retires_on FROM pipeline_post_facts`,
          )
        ).map((r) => [r.post_id, r.retires_on]),
      );
    const before = await retiresOn();
    // Every holder's retirement date in the facts is the SQL function's.
    const [{ wrong }] = await q<{ wrong: number }>(
      `SELECT count(*)::int AS wrong FROM pipeline_post_facts f
        WHERE f.retires_on IS DISTINCT FROM (
          SELECT min(retirement_date(pe.birth_date, pe.gender))
            FROM appointments a JOIN people pe ON pe.id = a.person_id
           WHERE a.post_id = f.post_id AND a.status <> 'cancelled' AND a.start_date <= $1::date
             AND (a.end_date IS NULL OR a.end_date >= $1::date))`,
      [today],
    );
    expect(Number(wrong)).toBe(0);
    // A change of law: everyone retires ten years earlier. The facts are marked for a rebuild.
    await q(`UPDATE retirement_age_roadmap SET age_months = age_months - 120`);
    const [state] = await q<{ as_of: string | null }>(
      'SELECT as_of::text AS as_of FROM pipeline_facts_state WHERE id = 1',
    );
    expect(state.as_of).toBeNull();
    const earlier = await expectMatch();
    const changed = await retiresOn();
    const moved = Object.keys(before).filter((id) => before[id] !== null);
    expect(moved.length).toBeGreaterThan(0);
    for (const id of moved) expect(changed[id]! < before[id]!).toBe(true);
    await q(`UPDATE retirement_age_roadmap SET age_months = age_months + 120`);
    await expect(facts.refresh(today)).resolves.toMatchObject({ kind: 'rebuilt' });
    expect(await retiresOn()).toEqual(before);
    expect((await expectMatch()).hn.atRiskPosts).toBeLessThanOrEqual(earlier.hn.atRiskPosts);
  });

  it('leaves no mark behind for a write that rolls back', async () => {
    const facts = t.app.get(PipelineFactsService);
    await facts.refresh(today);
    const nom = await hanoiNomination();
    await t.dataSource
      .transaction(async (em) => {
        await em.query(`UPDATE nominations SET readiness = 'ready_now' WHERE id = $1`, [nom.id]);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    const [{ n }] = await q<{ n: number }>('SELECT count(*)::int AS n FROM pipeline_dirty_posts');
    expect(Number(n)).toBe(0);
  });
});
