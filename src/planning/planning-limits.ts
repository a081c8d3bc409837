import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Bilingual, fill } from '../common/text/bilingual';
import { CYCLE_STATUS_LABELS } from './planning-labels';
import { LIVE_STATUSES } from './planning-rules';
import type { PlanningCycleStatus, PlanningRules } from './planning.types';

/**
 * The planning rules that span cycles, and the locks that make them hold under concurrency.
 *
 * A nomination counts for the caps, the duplicate rule and four eyes of a cycle when it is not
 * removed and its cycle is live (open, submitted, approved) or is that cycle itself: a draft is
 * a sketch that counts for itself only, and when it opens its nominations are checked against
 * the live cycles (conflictsOnOpening) — so neither a second list nor a draft gets round a cap.
 *
 * Locks, always in this order: the cycle row (FOR SHARE to nominate, FOR UPDATE to change the
 * cycle) → the posts concerned (transaction advisory locks, in post id order) → the people
 * concerned (FOR NO KEY UPDATE, in id order). "At most N per post" counts under the post lock,
 * "at most N posts per person" and "once per post" under the person lock, so of two racing
 * requests the second always sees the first.
 */

/** The advisory lock of one unit's cycles (the same key as the trigger of migration
 *  PlanningCycleOnePerTerm). */
export async function lockUnitCycles(em: EntityManager, unitId: string): Promise<void> {
  await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('planning_cycles:' || $1, 0))`, [
    unitId,
  ]);
}

/** The advisory locks of posts' nominations, in a fixed order. */
export async function lockPostNominations(em: EntityManager, postIds: string[]): Promise<void> {
  for (const id of [...new Set(postIds)].sort()) {
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('planning_post:' || $1, 0))`, [
      id,
    ]);
  }
}

/** A condition on `c` (planning_cycles): the cycle counts for the rules of cycle `$cycle`. */
export function countingCycle(cycleParam: string, liveParam: string): string {
  return `(c.status = ANY(${liveParam}::planning_cycle_status[]) OR c.id = ${cycleParam}::uuid)`;
}

/**
 * Refuses a second planning list for a term of a unit (409 PLANNING_CYCLE_EXISTS naming it):
 * no two cycles of one unit that are not closed may overlap. Takes the unit's cycle lock first;
 * the trigger of migration PlanningCycleOnePerTerm holds the same rule for any other writer.
 */
export async function assertOnlyCycleOfTerm(
  em: EntityManager,
  cycle: { id: string | null; orgUnitId: string; termStart: string; termEnd: string },
): Promise<void> {
  await lockUnitCycles(em, cycle.orgUnitId);
  const [other] = await em.query<{ id: string; term_label: string; status: PlanningCycleStatus }[]>(
    `SELECT id, term_label, status FROM planning_cycles
      WHERE org_unit_id = $1 AND status <> 'closed' AND ($2::uuid IS NULL OR id <> $2::uuid)
        AND term_start <= $4::date AND $3::date <= term_end
      ORDER BY term_start, id LIMIT 1`,
    [cycle.orgUnitId, cycle.id, cycle.termStart, cycle.termEnd],
  );
  if (!other) return;
  throw new DomainError(
    'PLANNING_CYCLE_EXISTS',
    { term: other.term_label, status: CYCLE_STATUS_LABELS[other.status] },
    [
      {
        field: cycle.id ? 'status' : 'termStart',
        ...fill(
          {
            vi: 'Kỳ quy hoạch {id} của đơn vị đã bao trùm nhiệm kỳ này.',
            en: 'Planning cycle {id} of the unit already covers this term.',
          },
          { id: other.id },
        ),
      },
    ],
  );
}

interface OpeningRow {
  id: string;
  post_id: string;
  person_id: string;
  full_name: string;
  post_title: string;
  duplicate: boolean;
  on_post: number;
  posts: number;
}

/**
 * Before a draft opens: its nominations, counted with every live cycle's, must keep the caps
 * and name nobody twice for one post. Locks the posts and people concerned (in the global
 * order), then one statement finds every breach; 409 PLANNING_CYCLE_LIMITS_EXCEEDED lists them
 * (one detail per nomination, field `nominations[<id>]`).
 */
export async function checkOpening(
  em: EntityManager,
  cycle: { id: string; org_level: string; rules: PlanningRules },
): Promise<void> {
  const mine = await em.query<{ post_id: string; person_id: string }[]>(
    `SELECT post_id, person_id FROM nominations WHERE cycle_id = $1 AND status <> 'removed'`,
    [cycle.id],
  );
  if (mine.length === 0) return;
  await lockPostNominations(
    em,
    mine.map((m) => m.post_id),
  );
  await em.query(`SELECT id FROM people WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`, [
    [...new Set(mine.map((m) => m.person_id))],
  ]);
  const rows = await em.query<OpeningRow[]>(
    `WITH mine AS (
       SELECT n.id, n.post_id, n.person_id, pe.full_name, po.title AS post_title
         FROM nominations n
         JOIN people pe ON pe.id = n.person_id
         JOIN posts po ON po.id = n.post_id
        WHERE n.cycle_id = $1 AND n.status <> 'removed'
     ),
     counted AS (
       SELECT n.cycle_id, n.post_id, n.person_id
         FROM nominations n
         JOIN planning_cycles c ON c.id = n.cycle_id
         JOIN org_units o ON o.id = c.org_unit_id
        WHERE n.status <> 'removed' AND ${countingCycle('$1', '$2')}
          AND o.level = $3::org_level
          AND (n.person_id IN (SELECT person_id FROM mine) OR n.post_id IN (SELECT post_id FROM mine))
     )
     SELECT m.id, m.post_id, m.person_id, m.full_name, m.post_title,
            EXISTS (SELECT 1 FROM counted x WHERE x.post_id = m.post_id
                       AND x.person_id = m.person_id AND x.cycle_id <> $1) AS duplicate,
            (SELECT count(DISTINCT x.person_id)::int FROM counted x
              WHERE x.post_id = m.post_id) AS on_post,
            (SELECT count(DISTINCT x.post_id)::int FROM counted x
              WHERE x.person_id = m.person_id) AS posts
       FROM mine m
      ORDER BY m.post_title, m.full_name, m.id`,
    [cycle.id, [...LIVE_STATUSES], cycle.org_level],
  );
  const details = rows.flatMap((r) => {
    const breaks: Bilingual[] = [];
    if (r.duplicate) {
      breaks.push({
        vi: 'đã có tên cho chức danh này trong một danh sách quy hoạch khác đang có hiệu lực',
        en: 'is already named for this post on another live planning list',
      });
    }
    if (Number(r.on_post) > cycle.rules.maxNomineesPerPost) {
      breaks.push(
        fill(
          {
            vi: 'chức danh sẽ có {n} cán bộ quy hoạch, vượt mức tối đa {max}',
            en: 'the post would have {n} nominees, over the maximum of {max}',
          },
          { n: Number(r.on_post), max: cycle.rules.maxNomineesPerPost },
        ),
      );
    }
    if (Number(r.posts) > cycle.rules.maxPostsPerPerson) {
      breaks.push(
        fill(
          {
            vi: 'cán bộ sẽ được quy hoạch {n} chức danh cùng cấp, vượt mức tối đa {max}',
            en: 'the person would be planned for {n} posts of the same level, over the maximum of {max}',
          },
          { n: Number(r.posts), max: cycle.rules.maxPostsPerPerson },
        ),
      );
    }
    if (breaks.length === 0) return [];
    return [
      {
        field: `nominations[${r.id}]`,
        ...fill(
          { vi: '{name} – {post}: {what}.', en: '{name} – {post}: {what}.' },
          {
            name: r.full_name,
            post: r.post_title,
            what: {
              vi: breaks.map((b) => b.vi).join('; '),
              en: breaks.map((b) => b.en).join('; '),
            },
          },
        ),
      },
    ];
  });
  if (details.length > 0) {
    throw new DomainError('PLANNING_CYCLE_LIMITS_EXCEEDED', { count: details.length }, details);
  }
}
