import type { SeedContext } from '../seed/demo-seed';
import { todayVn } from '../common/dates/vietnam-dates';
import { executeAssignmentRun } from './assignment-run';

export const DEMO_PROGRAMME = {
  code: 'BD-CTCDCS-MOI',
  title: 'Bồi dưỡng chủ tịch CĐCS mới bầu',
  description:
    'Chương trình bắt buộc cho chủ tịch công đoàn cơ sở mới bầu: K01, K02 rồi K03, hoàn thành trong 90 ngày; tái chứng nhận sau 36 tháng.',
  courses: ['K01', 'K02', 'K03'],
  dueDays: 90,
  validityMonths: 36,
  windowDays: 60,
};

/**
 * Issue-6 demo data: the programme "Bồi dưỡng chủ tịch CĐCS mới bầu" (K01 → K02 → K03 in
 * order, due 90 days after assignment, valid 36 months, window 60 days, recertified by itself),
 * owned by LĐLĐ TP Hà Nội and assigned to every grassroots chair under it through the same
 * set-based run the API uses. Idempotent: existing rows are kept, a re-seed adds only new chairs.
 * Once the programme exists it is the officers': a re-seed changes nothing of it, and when it is
 * no longer published (archived, say) the run is skipped with a log line — a start with
 * SEED_DEMO=true never fails, nor puts the programme back, because of it.
 */
export async function seedProgrammes({ em, unitIds, log }: SeedContext): Promise<void> {
  const hanoi = unitIds.get('HN');
  if (!hanoi) return;
  const p = DEMO_PROGRAMME;
  const created = await em.query<{ id: string }[]>(
    `INSERT INTO programmes (code, title, description, owner_org_unit_id, due_rule_kind, due_days,
                             recert_validity_months, recert_window_days, status, published_at)
     VALUES ($1, $2, $3, $4, 'days_after_assignment', $5, $6, $7, 'published', now())
     ON CONFLICT (code) DO NOTHING
     RETURNING id`,
    [p.code, p.title, p.description, hanoi, p.dueDays, p.validityMonths, p.windowDays],
  );
  const [programme] = await em.query<{ id: string; status: string }[]>(
    `SELECT id, status FROM programmes WHERE code = $1`,
    [p.code],
  );
  if (created.length) {
    await em.query(`UPDATE programmes SET recert_programme_id = id WHERE id = $1`, [programme.id]);
    await em.query(
      `WITH s AS (
         INSERT INTO programme_course_sets (programme_id, position, rule)
         VALUES ($1, 1, 'all_in_order')
         RETURNING id
       )
       INSERT INTO programme_set_courses (set_id, course_id, position)
       SELECT s.id, c.id, x.position
         FROM s
         CROSS JOIN unnest($2::text[]) WITH ORDINALITY AS x(code, position)
         JOIN courses c ON c.code = x.code`,
      [programme.id, p.courses],
    );
  }
  if (programme.status !== 'published') {
    log(
      `demo seed: programme ${p.code} is ${programme.status}, not published: its assignment is not run again`,
    );
    return;
  }
  const audience = { postTypes: ['chair'], orgLevels: ['grassroots'] };
  await em.query(
    `INSERT INTO programme_assignments (programme_id, org_unit_id, audience, due_rule_kind,
                                        due_days)
     SELECT $1, $2, $3::jsonb, 'days_after_assignment', $4
      WHERE NOT EXISTS (SELECT 1 FROM programme_assignments
                         WHERE programme_id = $1 AND org_unit_id = $2)`,
    [programme.id, hanoi, JSON.stringify(audience), p.dueDays],
  );
  const [assignment] = await em.query<{ id: string }[]>(
    `SELECT id FROM programme_assignments WHERE programme_id = $1 AND org_unit_id = $2
      ORDER BY created_at LIMIT 1`,
    [programme.id, hanoi],
  );
  await executeAssignmentRun(em, assignment.id, {
    actorUserId: null,
    batchSize: 50_000,
    delayMs: 0,
    today: todayVn(),
  });
}
