import type { EntityManager } from 'typeorm';
import { defaultValidUntil, LearningSource } from './competency.types';

/** Evidence that names a competency by lineage (course links, question tags). */
export interface LineageEvidenceRow {
  personId: string;
  /** competencies.lineage_id: "the same competency" in every version of its framework. */
  lineageId: string;
  level: number;
  source: LearningSource;
  /** yyyy-MM-dd */
  ratedOn: string;
  /** What produced it: 'enrolment' or 'attempt', and its id. */
  sourceType: string;
  sourceId: string;
}

/**
 * Learning evidence by competency lineage, in one INSERT … SELECT: each row becomes one rating
 * per PUBLISHED framework version that holds a competency of that lineage (a draft or retired
 * version takes no new ratings). A level the version's scale lacks is skipped for that version
 * (the rating's composite foreign key to framework_levels would refuse it). Idempotent per
 * (source type, source id, competency) through uq_competency_ratings_source, so a retried or
 * concurrent completion or grading adds nothing twice. Runs in the caller's transaction; returns
 * how many ratings were added.
 */
export async function appendLineageEvidence(
  em: EntityManager,
  rows: readonly LineageEvidenceRow[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await em.query<unknown[]>(
    `INSERT INTO competency_ratings (person_id, competency_id, version_id, level, source,
                                     rated_on, valid_until, source_type, source_id)
     SELECT x.person_id, c.id, c.version_id, x.level, x.source::rating_source,
            x.rated_on, x.valid_until, x.source_type, x.source_id
       FROM jsonb_to_recordset($1::jsonb)
         AS x(person_id uuid, lineage_id uuid, level int, source text, rated_on date,
              valid_until date, source_type text, source_id uuid)
       JOIN competencies c ON c.lineage_id = x.lineage_id
       JOIN framework_versions v ON v.id = c.version_id AND v.status = 'published'
       JOIN framework_levels l ON l.version_id = c.version_id AND l.level = x.level
     ON CONFLICT (source_type, source_id, competency_id) WHERE source_id IS NOT NULL
     DO NOTHING
     RETURNING id`,
    [
      JSON.stringify(
        rows.map((r) => ({
          person_id: r.personId,
          lineage_id: r.lineageId,
          level: r.level,
          source: r.source,
          rated_on: r.ratedOn,
          valid_until: defaultValidUntil(r.source, r.ratedOn),
          source_type: r.sourceType,
          source_id: r.sourceId,
        })),
      ),
    ],
  );
  return inserted.length;
}
