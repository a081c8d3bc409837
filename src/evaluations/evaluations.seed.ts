import type { SeedContext } from '../seed/demo-seed';
import { demoPeople } from '../seed/demo-data';
import { DEFAULT_EVALUATION_POLICY, levelForScore } from './evaluation-policy';

/**
 * The cadre with two "not completed" years in a row: the executive member of CĐCS Hợp tác xã
 * Đồ gỗ Đồng Kỵ (Từ Sơn, Bắc Ninh) — the Bắc Ninh list for 2025 warns about them.
 */
export const DEMO_CONSECUTIVE_NOT_COMPLETED = 'BN-TS-GO-executive_member';

/** Fixed scores for a few people the README and tests name; the rest follow a formula. */
const FIXED: Record<string, [number, number]> = {
  'chutich.mayhadong': [84.5, 91],
  [DEMO_CONSECUTIVE_NOT_COMPLETED]: [45.5, 42],
  // Not completed once only, in 2025: listed, never flagged.
  'BN-YP-BAOBI-executive_member': [61, 47.25],
};

/**
 * Evaluations for 2024 and 2025 of every demo cadre (the grassroots chairs, vice-chairs and
 * executive members), by HR Hà Nội for Hà Nội and by the administrator for Bắc Ninh.
 * Idempotent: a year already evaluated is left alone.
 */
export async function seedEvaluations({ em, personIds }: SeedContext): Promise<void> {
  const hanoiEvaluator = personIds.get('hr.hanoi');
  const otherEvaluator = personIds.get('admin');
  if (!hanoiEvaluator || !otherEvaluator) return;
  const rows: [string, number, number, string, string][] = [];
  demoPeople()
    .filter((p) => p.post !== 'staff' && personIds.has(p.key))
    .forEach((p, i) => {
      const [s2024, s2025] = FIXED[p.key] ?? [
        55 + ((i * 37) % 45) + ((i * 3) % 4) / 4,
        55 + ((i * 53 + 11) % 45) + ((i * 7) % 4) / 4,
      ];
      const evaluator = p.unit.startsWith('HN') ? hanoiEvaluator : otherEvaluator;
      for (const [year, score] of [
        [2024, s2024],
        [2025, s2025],
      ] as const) {
        rows.push([
          personIds.get(p.key)!,
          year,
          score,
          levelForScore(score, DEFAULT_EVALUATION_POLICY.thresholds),
          evaluator,
        ]);
      }
    });
  await em.query(
    `INSERT INTO evaluations (person_id, year, revision, score, level, evaluator_person_id,
                              comments)
     SELECT r.person_id, r.year, 1, r.score, r.level::evaluation_level, r.evaluator, NULL
       FROM unnest($1::uuid[], $2::int[], $3::numeric[], $4::text[], $5::uuid[])
            AS r(person_id, year, score, level, evaluator)
     ON CONFLICT (person_id, year) WHERE superseded_at IS NULL DO NOTHING`,
    [
      rows.map((r) => r[0]),
      rows.map((r) => r[1]),
      rows.map((r) => r[2]),
      rows.map((r) => r[3]),
      rows.map((r) => r[4]),
    ],
  );
}
