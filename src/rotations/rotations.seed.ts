import { DEFAULT_PLANNING_RULES } from '../planning/planning.types';
import type { SeedContext } from '../seed/demo-seed';

/** The demo's active rotation: the vice-chair of CĐCS Điện tử Thăng Long, to Điện lực Đông Anh. */
export const DEMO_ROTATION = {
  person: 'HN-TL-CANON-vice_chair',
  fromUnit: 'HN-TL-CANON',
  toUnit: 'HN-TL-DIEN',
  postType: 'vice_chair',
  start: '2025-09-01',
  plannedEnd: '2028-08-31',
  purpose:
    'Rèn luyện thực tiễn ở công đoàn cơ sở doanh nghiệp nhà nước trước khi bố trí chức danh Chủ tịch',
};

/**
 * The demo's at-risk post: the chair of CĐCS Cơ khí Đông Anh, whose term ends on 30/06/2028
 * (within 24 months of the demo's dates) and whose only nominee is ready in 3+ years.
 */
export const DEMO_AT_RISK = {
  unit: 'HN-TL-COKHI',
  postType: 'chair',
  nominee: 'HN-TL-COKHI-executive_member',
};

/**
 * Rotation and pipeline demo data (issue 5, item 8), after the planning seed: the rotating
 * cadre is an approved nominee of their union's 2028–2033 cycle (for its chair post), and the
 * at-risk post is planned with a 3+ years nominee only. Idempotent: every insert skips what
 * exists; the rotation is written once, with the appointments it changed.
 */
async function grassrootsCycle(em: SeedContext['em'], unitId: string): Promise<{ id: string }> {
  await em.query(
    `INSERT INTO planning_cycles (org_unit_id, term_label, term_start, term_end, status, rules)
     SELECT $1, '2028–2033', '2028-07-01', '2033-06-30', 'approved', $2::jsonb
      WHERE NOT EXISTS (SELECT 1 FROM planning_cycles
                         WHERE org_unit_id = $1 AND status IN ('open', 'approved'))`,
    [unitId, JSON.stringify(DEFAULT_PLANNING_RULES)],
  );
  const [cycle] = await em.query<{ id: string }[]>(
    `SELECT id FROM planning_cycles WHERE org_unit_id = $1 AND status IN ('open', 'approved')
      ORDER BY created_at, id LIMIT 1`,
    [unitId],
  );
  return cycle;
}

export async function seedRotations({ em, unitIds, personIds }: SeedContext): Promise<void> {
  const hanoi = unitIds.get('HN');
  const person = personIds.get(DEMO_ROTATION.person);
  const atRiskNominee = personIds.get(DEMO_AT_RISK.nominee);
  const proposer = personIds.get('admin');
  const approver = personIds.get('hr.hanoi');
  if (!hanoi || !person || !atRiskNominee || !proposer || !approver) return;

  const nominations: [string, string, string][] = [
    [DEMO_ROTATION.fromUnit, person, 'ready_1_2_years'],
    [DEMO_AT_RISK.unit, atRiskNominee, 'ready_3_plus_years'],
  ];
  for (const [unit, nominee, readiness] of nominations) {
    const [post] = await em.query<{ id: string }[]>(
      `SELECT id FROM posts WHERE org_unit_id = $1 AND post_type = 'chair' AND status = 'active'`,
      [unitIds.get(unit)],
    );
    if (!post) continue;
    // A planning cycle plans the posts of its own unit (the API refuses others), so each
    // grassroots post gets the 2028–2033 cycle of its union.
    const cycle = await grassrootsCycle(em, unitIds.get(unit)!);
    await em.query(
      `INSERT INTO planning_cycle_posts (cycle_id, post_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [cycle.id, post.id],
    );
    await em.query(
      `INSERT INTO nominations (cycle_id, post_id, person_id, readiness, status, proposed_by,
                                approved_by, approved_at, first_time)
       SELECT $1, $2, $3, $4, 'approved', $5, $6, now(), TRUE
        WHERE NOT EXISTS (SELECT 1 FROM nominations WHERE cycle_id = $1 AND post_id = $2
                             AND person_id = $3 AND status <> 'removed')`,
      [cycle.id, post.id, nominee, readiness, proposer, approver],
    );
  }

  const [done] = await em.query<unknown[]>(
    `SELECT 1 FROM rotations WHERE person_id = $1 AND status <> 'cancelled'`,
    [person],
  );
  if (done) return;
  const [from] = await em.query<{ post_id: string; appointment_id: string; unit_id: string }[]>(
    `SELECT p.id AS post_id, a.id AS appointment_id, p.org_unit_id AS unit_id
       FROM posts p JOIN appointments a ON a.post_id = p.id
      WHERE p.org_unit_id = $1 AND p.post_type = $2 AND a.person_id = $3 AND a.status = 'active'`,
    [unitIds.get(DEMO_ROTATION.fromUnit), DEMO_ROTATION.postType, person],
  );
  const [to] = await em.query<{ post_id: string; unit_id: string; term_id: string | null }[]>(
    `SELECT p.id AS post_id, p.org_unit_id AS unit_id,
            (SELECT t.id FROM terms t WHERE t.org_unit_id = p.org_unit_id
                AND t.start_date <= $3::date AND t.end_date >= $3::date) AS term_id
       FROM posts p WHERE p.org_unit_id = $1 AND p.post_type = $2 AND p.status = 'active'`,
    [unitIds.get(DEMO_ROTATION.toUnit), DEMO_ROTATION.postType, DEMO_ROTATION.start],
  );
  if (!from || !to) return;
  await em.query(
    `UPDATE appointments SET end_date = ($2::date - 1), status = 'ended', end_reason = $3,
                             updated_at = now()
      WHERE id = $1`,
    [
      from.appointment_id,
      DEMO_ROTATION.start,
      'Luân chuyển đến Phó Chủ tịch – CĐCS Điện lực Đông Anh',
    ],
  );
  const [started] = await em.query<{ id: string }[]>(
    `INSERT INTO appointments (person_id, post_id, term_id, method, start_date, status)
     VALUES ($1, $2, $3, 'appointed', $4, 'active') RETURNING id`,
    [person, to.post_id, to.term_id, DEMO_ROTATION.start],
  );
  await em.query(
    `INSERT INTO rotations (person_id, from_post_id, from_org_unit_id, to_post_id, to_org_unit_id,
                            start_date, planned_end_date, purpose, status, from_appointment_id,
                            to_appointment_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $10)`,
    [
      person,
      from.post_id,
      from.unit_id,
      to.post_id,
      to.unit_id,
      DEMO_ROTATION.start,
      DEMO_ROTATION.plannedEnd,
      DEMO_ROTATION.purpose,
      from.appointment_id,
      started.id,
    ],
  );
}
