import type { SeedContext } from '../seed/demo-seed';
import { DEMO_UNITS, demoPeople } from '../seed/demo-data';
import {
  KEY_POST_BY_DEFAULT,
  POST_TYPE_LABELS,
  PostType,
  SINGLE_HOLDER_BY_DEFAULT,
} from './post-types';

export const DEMO_TERM = { name: 'Nhiệm kỳ 2023–2028', start: '2023-07-01', end: '2028-06-30' };
const DEMO_POST_TYPES: PostType[] = ['chair', 'vice_chair', 'executive_member'];

/**
 * For every demo grassroots union: the 2023–2028 term, the chair, vice-chair and executive
 * member posts, and the demo cadres elected to them at the start of the term. Set-based and
 * idempotent (skips what exists, never double-books a single-holder post).
 */
export async function seedPosts({ em, unitIds, personIds }: SeedContext): Promise<void> {
  const units = DEMO_UNITS.filter((u) => u.level === 'grassroots')
    .map((u) => unitIds.get(u.code))
    .filter((id): id is string => !!id);
  await em.query(
    `INSERT INTO terms (org_unit_id, name, start_date, end_date)
     SELECT u.id, $2, $3::date, $4::date FROM unnest($1::uuid[]) AS u(id)
      WHERE NOT EXISTS (SELECT 1 FROM terms t WHERE t.org_unit_id = u.id
                           AND t.start_date <= $4::date AND $3::date <= t.end_date)`,
    [units, DEMO_TERM.name, DEMO_TERM.start, DEMO_TERM.end],
  );
  await em.query(
    `INSERT INTO posts (org_unit_id, post_type, title, employment, single_holder, key_post)
     SELECT u.id, x.post_type::post_type, x.title, 'part_time', x.single_holder, x.key_post
       FROM unnest($1::uuid[]) AS u(id)
      CROSS JOIN unnest($2::text[], $3::text[], $4::boolean[], $5::boolean[])
            AS x(post_type, title, single_holder, key_post)
     ON CONFLICT (org_unit_id, post_type, title) WHERE status = 'active' DO NOTHING`,
    [
      units,
      DEMO_POST_TYPES,
      DEMO_POST_TYPES.map((t) => POST_TYPE_LABELS[t].vi),
      DEMO_POST_TYPES.map((t) => SINGLE_HOLDER_BY_DEFAULT.has(t)),
      DEMO_POST_TYPES.map((t) => KEY_POST_BY_DEFAULT.has(t)),
    ],
  );
  const cadres = demoPeople().filter(
    (p) => p.post !== 'staff' && personIds.has(p.key) && unitIds.has(p.unit),
  );
  await em.query(
    `INSERT INTO appointments (person_id, post_id, term_id, method, start_date, status)
     SELECT d.person_id, p.id, t.id, 'elected', $4::date, 'active'
       FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS d(person_id, unit_id, post_type)
       JOIN posts p ON p.org_unit_id = d.unit_id AND p.post_type = d.post_type::post_type
                   AND p.status = 'active' AND p.title = $5::jsonb ->> d.post_type
       JOIN terms t ON t.org_unit_id = d.unit_id AND t.start_date = $4::date
      WHERE NOT EXISTS (SELECT 1 FROM appointments a WHERE a.post_id = p.id
                           AND a.status <> 'cancelled'
                           AND (a.person_id = d.person_id OR p.single_holder)
                           AND (a.end_date IS NULL OR a.end_date >= $4::date))`,
    [
      cadres.map((p) => personIds.get(p.key)),
      cadres.map((p) => unitIds.get(p.unit)),
      cadres.map((p) => p.post),
      DEMO_TERM.start,
      JSON.stringify(Object.fromEntries(DEMO_POST_TYPES.map((t) => [t, POST_TYPE_LABELS[t].vi]))),
    ],
  );
}
