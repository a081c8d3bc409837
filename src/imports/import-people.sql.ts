import { EntityManager } from 'typeorm';
import { appendError, resolveRowUnits, settleOutcome, unitsMadeByFile } from './import-units.sql';

/**
 * Validation and writing of the people rows of an import, set-based over import_rows.
 * Parameters: $1 the import id, $2 the importer's scope prefixes. A person is matched by CCCD
 * first, then by the external id; an empty optional cell keeps the stored value.
 */
const ROWS = `r.import_id = $1 AND r.kind = 'people'`;

export async function validatePeople(
  em: EntityManager,
  importId: string,
  scope: string[],
  label: (key: string) => string,
): Promise<void> {
  const run = (sql: string) => em.query(sql, [importId, scope]);
  for (const [column, key, vi, en] of [
    ['national_id', 'nationalId', 'Số CCCD', 'National ID'],
    ['external_id', 'externalId', 'Mã cán bộ', 'External id'],
  ] as const) {
    await run(
      `WITH d AS (
         SELECT ${column} AS v, array_agg(row_no ORDER BY row_no) AS rows FROM import_rows
          WHERE import_id = $1 AND kind = 'people' AND ${column} IS NOT NULL
            AND $2::text[] IS NOT NULL
          GROUP BY ${column} HAVING count(*) > 1)
       UPDATE import_rows r SET ${appendError(
         label(key),
         `'${vi} trùng với dòng ' || array_to_string(array_remove(d.rows, r.row_no), ', ') || ' trong tệp.'`,
         `'${en} repeats on row ' || array_to_string(array_remove(d.rows, r.row_no), ', ') || '.'`,
       )}
         FROM d
        WHERE ${ROWS} AND r.${column} = d.v`,
    );
  }
  // The home unit, in scope and open.
  await resolveRowUnits(run, 'people', label('orgUnit'));
  // Matching: CCCD first, then external id; both given and naming two people is a conflict.
  await run(
    `UPDATE import_rows r SET target_id = p.id FROM people p
      WHERE ${ROWS} AND p.national_id = r.national_id AND $2::text[] IS NOT NULL`,
  );
  await run(
    `UPDATE import_rows r SET ${appendError(
      label('externalId'),
      `'Mã cán bộ "' || r.external_id || '" đã thuộc về người khác với người có số CCCD này.'`,
      `'External id "' || r.external_id || '" belongs to someone else than this national ID''s holder.'`,
    )}
       FROM people p
      WHERE ${ROWS} AND r.target_id IS NOT NULL AND p.external_id = r.external_id
        AND p.id <> r.target_id AND $2::text[] IS NOT NULL`,
  );
  await run(
    `UPDATE import_rows r SET ${appendError(
      label('externalId'),
      `'Người có số CCCD này đã có mã cán bộ khác ("' || p.external_id || '").'`,
      `'The holder of this national ID has another external id ("' || p.external_id || '").'`,
    )}
       FROM people p
      WHERE ${ROWS} AND p.id = r.target_id AND r.external_id IS NOT NULL
        AND p.external_id IS NOT NULL AND p.external_id <> r.external_id
        AND $2::text[] IS NOT NULL`,
  );
  await run(
    `UPDATE import_rows r SET target_id = p.id FROM people p
      WHERE ${ROWS} AND r.target_id IS NULL AND p.external_id = r.external_id
        AND $2::text[] IS NOT NULL`,
  );
  // A person matched outside the importer's scope is not theirs to change (nor to reveal).
  await run(
    `UPDATE import_rows r SET ${appendError(
      label(`nationalId`),
      `'Số CCCD hoặc mã cán bộ này đã thuộc về một cán bộ ngoài phạm vi của bạn.'`,
      `'This national ID or external id belongs to a person outside your scope.'`,
    )}
       FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
      WHERE ${ROWS} AND p.id = r.target_id AND NOT o.path LIKE ANY($2::text[])`,
  );
  await run(
    settleOutcome(
      ROWS,
      `EXISTS (SELECT 1 FROM people p WHERE p.id = r.target_id AND (
              p.family_name IS DISTINCT FROM r.family_name
           OR p.middle_name IS DISTINCT FROM r.middle_name
           OR p.given_name IS DISTINCT FROM r.given_name
           OR coalesce(r.birth_date, p.birth_date) IS DISTINCT FROM p.birth_date
           OR coalesce(r.gender, p.gender::text) IS DISTINCT FROM p.gender::text
           OR coalesce(r.ethnicity_code, p.ethnicity_code) IS DISTINCT FROM p.ethnicity_code
           OR coalesce(r.national_id, p.national_id) IS DISTINCT FROM p.national_id
           OR coalesce(r.external_id, p.external_id) IS DISTINCT FROM p.external_id
           OR coalesce(r.email, p.email) IS DISTINCT FROM p.email
           OR coalesce(r.phone, p.phone) IS DISTINCT FROM p.phone
           OR coalesce(r.unit_id, p.home_org_unit_id) IS DISTINCT FROM p.home_org_unit_id
           OR (r.unit_id IS NULL AND r.unit_code IS NOT NULL)))`,
    ),
  );
}

/**
 * At apply: the person of appointment and account rows that name one (by CCCD, else external
 * id) the same import has just created.
 */
export const peopleMadeByFile = (rows: string) =>
  `UPDATE import_rows r SET person_id = p.id FROM people p
    WHERE ${rows} AND r.person_id IS NULL AND r.outcome IN ('created', 'updated')
      AND (p.national_id = r.national_id OR p.external_id = coalesce(r.external_id, r.national_id))`;

/** Writes the valid rows: one INSERT … SELECT of the new people, one UPDATE … FROM of the rest. */
export async function applyPeople(em: EntityManager, importId: string): Promise<void> {
  // Units created by the same import are known by now.
  await em.query(unitsMadeByFile(ROWS, `'created', 'updated'`), [importId]);
  await em.query(
    `INSERT INTO people (family_name, middle_name, given_name, full_name, search_name, sort_key,
                         birth_date, gender, ethnicity_code, national_id, external_id, email,
                         phone, home_org_unit_id)
     SELECT r.family_name, r.middle_name, r.given_name, r.name, r.search_name, r.sort_key,
            r.birth_date, r.gender::person_gender, r.ethnicity_code, r.national_id,
            r.external_id, r.email, r.phone, r.unit_id
       FROM import_rows r
      WHERE ${ROWS} AND r.outcome = 'created'`,
    [importId],
  );
  await em.query(
    `UPDATE people p
        SET family_name = r.family_name, middle_name = r.middle_name, given_name = r.given_name,
            full_name = r.name, search_name = r.search_name, sort_key = r.sort_key,
            birth_date = coalesce(r.birth_date, p.birth_date),
            gender = coalesce(r.gender::person_gender, p.gender),
            ethnicity_code = coalesce(r.ethnicity_code, p.ethnicity_code),
            national_id = coalesce(r.national_id, p.national_id),
            external_id = coalesce(r.external_id, p.external_id),
            email = coalesce(r.email, p.email), phone = coalesce(r.phone, p.phone),
            home_org_unit_id = coalesce(r.unit_id, p.home_org_unit_id), updated_at = now()
       FROM import_rows r
      WHERE ${ROWS} AND r.outcome = 'updated' AND p.id = r.target_id`,
    [importId],
  );
}
