import { CHAIR_FRAMEWORK_CODE } from '../competencies/competencies.seed';
import type { SeedContext } from '../seed/demo-seed';

/** The starter courses of docs/domain.md#competency-levels-and-policies and the chair competencies each develops (to level 3). */
export const STARTER_COURSE_COMPETENCIES: [course: string, competency: string, level: number][] = [
  ['K01', 'C1', 3],
  ['K01', 'C2', 3],
  ['K01', 'C5', 3],
  ['K02', 'C3', 3],
  ['K03', 'C4', 3],
  ['K04', 'C6', 3],
  ['K05', 'C7', 3],
];

/**
 * Links the starter courses to the competencies of the seeded chair framework (version 1), by
 * lineage. Idempotent: existing links are left alone. Runs after the courses and competencies steps.
 */
export async function seedCourseCompetencies({ em }: SeedContext): Promise<void> {
  await em.query(
    `INSERT INTO course_competencies (course_id, competency_lineage_id, level)
     SELECT k.id, c.lineage_id, x.level
       FROM jsonb_to_recordset($2::jsonb) AS x(course text, competency text, level smallint)
       JOIN courses k ON k.code = x.course AND k.version_no = 1
       JOIN competency_frameworks f ON f.code = $1
       JOIN framework_versions v ON v.framework_id = f.id AND v.version_no = 1
       JOIN competencies c ON c.version_id = v.id AND c.code = x.competency
     ON CONFLICT DO NOTHING`,
    [
      CHAIR_FRAMEWORK_CODE,
      JSON.stringify(
        STARTER_COURSE_COMPETENCIES.map(([course, competency, level]) => ({
          course,
          competency,
          level,
        })),
      ),
    ],
  );
}
