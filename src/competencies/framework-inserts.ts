import { EntityManager } from 'typeorm';
import { nfc } from '../common/text/vietnamese';
import { CompetencyInputDto, PolicyInputDto, VersionInputDto } from './dto/framework.dto';

/**
 * Framework insert helpers shared by authoring (FrameworkAuthoringService), the demo seed and,
 * through authoring, the exchange import. They check no scope: the caller has already decided
 * that the actor may write (or there is no actor, as in the seed).
 */

export const text = (s: string | undefined | null): string | null =>
  s ? nfc(s.trim()) || null : null;

export function policyColumns(p: PolicyInputDto): { policy: string; years: number | null } {
  return {
    policy: p.kind,
    years: p.kind === 'highest_valid_within_years' ? (p.years ?? null) : null,
  };
}

/**
 * Writes version 1 of a framework with its whole content: one set-based INSERT per table,
 * rows passed as JSON and unpacked by jsonb_to_recordset. Returns the new version's id.
 */
export async function insertVersionUnscoped(
  em: EntityManager,
  frameworkId: string,
  v: VersionInputDto,
): Promise<string> {
  const { policy, years } = policyColumns(v.policy);
  const [version] = await em.query<{ id: string }[]>(
    `INSERT INTO framework_versions (framework_id, version_no, status, proficient_level, policy,
                                     policy_years)
     VALUES ($1, 1, 'draft', $2, $3, $4) RETURNING id`,
    [frameworkId, v.scale.proficientLevel, policy, years],
  );
  await em.query(
    `INSERT INTO framework_levels (version_id, level, name_vi, name_en, description_vi,
                                   description_en)
     SELECT $1, x.level, x.name_vi, x.name_en, x.description_vi, x.description_en
       FROM jsonb_to_recordset($2::jsonb)
         AS x(level int, name_vi text, name_en text, description_vi text, description_en text)`,
    [
      version.id,
      JSON.stringify(
        v.scale.levels.map((l) => ({
          level: l.level,
          name_vi: text(l.nameVi),
          name_en: text(l.nameEn),
          description_vi: text(l.descriptionVi),
          description_en: text(l.descriptionEn),
        })),
      ),
    ],
  );
  await em.query(
    `INSERT INTO competency_domains (version_id, code, name_vi, name_en, position)
     SELECT $1, x.code, x.name_vi, x.name_en, x.position
       FROM jsonb_to_recordset($2::jsonb) AS x(code text, name_vi text, name_en text, position int)`,
    [
      version.id,
      JSON.stringify(
        v.domains.map((d, i) => ({
          code: d.code,
          name_vi: text(d.nameVi),
          name_en: text(d.nameEn),
          position: i + 1,
        })),
      ),
    ],
  );
  await insertCompetenciesUnscoped(em, version.id, v.competencies, 1);
  return version.id;
}

/** Competencies (new lineages) and their indicators, set-based, from `firstPosition` on. */
export async function insertCompetenciesUnscoped(
  em: EntityManager,
  versionId: string,
  competencies: CompetencyInputDto[],
  firstPosition: number,
): Promise<void> {
  await em.query(
    `WITH x AS (
       SELECT gen_random_uuid() AS id, x.*
         FROM jsonb_to_recordset($2::jsonb)
           AS x(code text, domain_code text, name_vi text, name_en text, description_vi text,
                description_en text, position int)
     )
     INSERT INTO competencies (id, lineage_id, version_id, domain_id, code, name_vi, name_en,
                               description_vi, description_en, position)
     SELECT x.id, x.id, $1, d.id, x.code, x.name_vi, x.name_en, x.description_vi,
            x.description_en, x.position
       FROM x JOIN competency_domains d ON d.version_id = $1 AND d.code = x.domain_code`,
    [
      versionId,
      JSON.stringify(
        competencies.map((c, i) => ({
          code: c.code,
          domain_code: c.domainCode,
          name_vi: text(c.nameVi),
          name_en: text(c.nameEn),
          description_vi: text(c.descriptionVi),
          description_en: text(c.descriptionEn),
          position: c.position ?? firstPosition + i,
        })),
      ),
    ],
  );
  await insertIndicatorsUnscoped(
    em,
    versionId,
    competencies.flatMap((c) => c.indicators.map((ind) => ({ code: c.code, ...ind }))),
  );
}

export async function insertIndicatorsUnscoped(
  em: EntityManager,
  versionId: string,
  rows: { code: string; level: number; textVi: string; textEn: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await em.query(
    `INSERT INTO competency_indicators (competency_id, level, text_vi, text_en)
     SELECT c.id, x.level, x.text_vi, x.text_en
       FROM jsonb_to_recordset($2::jsonb) AS x(code text, level int, text_vi text, text_en text)
       JOIN competencies c ON c.version_id = $1 AND c.code = x.code`,
    [
      versionId,
      JSON.stringify(
        rows.map((r) => ({
          code: r.code,
          level: r.level,
          text_vi: text(r.textVi),
          text_en: text(r.textEn),
        })),
      ),
    ],
  );
}
