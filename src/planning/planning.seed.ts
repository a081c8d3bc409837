import { POST_TYPE_LABELS } from '../posts/post-types';
import { DEMO_UNITS, demoPeople } from '../seed/demo-data';
import type { SeedContext } from '../seed/demo-seed';
import { checkWorkingYears } from './planning-rules';
import { DEFAULT_PLANNING_RULES, Readiness } from './planning.types';
import { retirementDate } from './retirement';

/** The demo planning list: LĐLĐ TP Hà Nội's own chair and vice-chair for the 2028–2033 term. */
export const DEMO_PLANNING = {
  unit: 'HN',
  termLabel: '2028–2033',
  termStart: '2028-07-01',
  termEnd: '2033-06-30',
  /** Readiness bands per planned post, in the order the eligible cadres are taken. */
  bands: [
    ['chair', 'ready_now'],
    ['chair', 'ready_1_2_years'],
    ['chair', 'ready_3_plus_years'],
    ['vice_chair', 'ready_now'],
    ['vice_chair', 'ready_1_2_years'],
    ['vice_chair', 'ready_3_plus_years'],
  ] as const satisfies readonly (readonly ['chair' | 'vice_chair', Readiness])[],
};

/** Cadres the rotation seed names; kept off this list so the two demos stay independent. */
const RESERVED = new Set(['HN-TL-CANON-vice_chair', 'HN-TL-COKHI-executive_member']);

/**
 * Cadre planning demo data (issue 5, item 8): an approved 2028–2033 cycle for LĐLĐ TP Hà Nội
 * planning the federation's own key posts (created at HN when missing — its grassroots unions'
 * chairs belong to those unions' lists), with grassroots cadres of Hà Nội who pass the age rule
 * in every readiness band, proposed by HR Hà Nội and approved by the administrator.
 * Idempotent: every insert skips what exists.
 */
export async function seedPlanning({ em, unitIds, personIds }: SeedContext): Promise<void> {
  const hanoi = unitIds.get(DEMO_PLANNING.unit);
  const proposer = personIds.get('hr.hanoi');
  const approver = personIds.get('admin');
  if (!hanoi || !proposer || !approver) return;

  const types = ['chair', 'vice_chair'] as const;
  await em.query(
    `INSERT INTO posts (org_unit_id, post_type, title, employment, single_holder, key_post)
     SELECT $1, x.post_type::post_type, x.title, 'full_time', x.single_holder, TRUE
       FROM unnest($2::text[], $3::text[], $4::boolean[]) AS x(post_type, title, single_holder)
     ON CONFLICT (org_unit_id, post_type, title) WHERE status = 'active' DO NOTHING`,
    [hanoi, types, types.map((t) => POST_TYPE_LABELS[t].vi), types.map((t) => t === 'chair')],
  );
  await em.query(
    `INSERT INTO planning_cycles (org_unit_id, term_label, term_start, term_end, status, rules)
     SELECT $1, $2, $3, $4, 'approved', $5::jsonb
      WHERE NOT EXISTS (SELECT 1 FROM planning_cycles WHERE org_unit_id = $1 AND term_start = $3)`,
    [
      hanoi,
      DEMO_PLANNING.termLabel,
      DEMO_PLANNING.termStart,
      DEMO_PLANNING.termEnd,
      JSON.stringify(DEFAULT_PLANNING_RULES),
    ],
  );
  const [cycle] = await em.query<{ id: string }[]>(
    `SELECT id FROM planning_cycles WHERE org_unit_id = $1 AND term_start = $2
      ORDER BY created_at, id LIMIT 1`,
    [hanoi, DEMO_PLANNING.termStart],
  );
  await em.query(
    `INSERT INTO planning_cycle_posts (cycle_id, post_id)
     SELECT $1, p.id FROM posts p
      WHERE p.org_unit_id = $2 AND p.status = 'active' AND p.title = ANY($3::text[])
        AND p.post_type = ANY($4::post_type[])
     ON CONFLICT DO NOTHING`,
    [cycle.id, hanoi, types.map((t) => POST_TYPE_LABELS[t].vi), types],
  );

  const hanoiUnits = new Set(
    DEMO_UNITS.filter((u) => u.code.startsWith('HN-') && u.level === 'grassroots').map(
      (u) => u.code,
    ),
  );
  const eligible = demoPeople().filter(
    (p) =>
      p.post !== 'staff' &&
      hanoiUnits.has(p.unit) &&
      !RESERVED.has(p.key) &&
      personIds.has(p.key) &&
      // The roadmap as the migration wrote it (the seed runs right after the migrations).
      checkWorkingYears(
        p,
        p.birthDate && p.gender ? retirementDate(p.birthDate, p.gender) : null,
        DEMO_PLANNING.termStart,
        DEFAULT_PLANNING_RULES,
      ).ok,
  );
  const picked = DEMO_PLANNING.bands
    .map(([postType, readiness], i) => ({ postType, readiness, person: eligible[i] }))
    .filter((b) => b.person);
  await em.query(
    `INSERT INTO nominations (cycle_id, post_id, person_id, readiness, status, first_time,
                              proposed_by, approved_by, approved_at)
     SELECT $1, p.id, x.person_id, x.readiness::nomination_readiness, 'approved', TRUE, $3, $4,
            now()
       FROM unnest($5::uuid[], $6::text[], $7::text[]) AS x(person_id, post_type, readiness)
       JOIN posts p ON p.org_unit_id = $2 AND p.post_type = x.post_type::post_type
                   AND p.status = 'active' AND p.title = $8::jsonb ->> x.post_type
      WHERE NOT EXISTS (SELECT 1 FROM nominations n WHERE n.cycle_id = $1 AND n.post_id = p.id
                           AND n.person_id = x.person_id AND n.status <> 'removed')`,
    [
      cycle.id,
      hanoi,
      proposer,
      approver,
      picked.map((b) => personIds.get(b.person.key)),
      picked.map((b) => b.postType),
      picked.map((b) => b.readiness),
      JSON.stringify(Object.fromEntries(types.map((t) => [t, POST_TYPE_LABELS[t].vi]))),
    ],
  );
}
