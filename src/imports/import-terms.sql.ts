import { EntityManager } from 'typeorm';
import { appendError, resolveRowUnits, settleOutcome, unitsMadeByFile } from './import-units.sql';

/**
 * Validation and writing of the terms rows of an import (a unit's nhiệm kỳ), set-based over
 * import_rows. A term is matched by unit and name; terms of a unit never overlap (both dates
 * inclusive), whether the other term is stored or in the same file.
 */
const ROWS = `r.import_id = $1 AND r.kind = 'terms'`;

const DMY = (col: string) => `to_char(${col}, 'DD/MM/YYYY')`;

export async function validateTerms(
  em: EntityManager,
  importId: string,
  scope: string[],
  label: (key: string) => string,
): Promise<void> {
  const run = (sql: string) => em.query(sql, [importId, scope]);
  await resolveRowUnits(run, 'terms', label('orgUnit'));
  await run(
    `UPDATE import_rows r SET target_id = t.id FROM terms t
      WHERE ${ROWS} AND t.org_unit_id = r.unit_id AND t.name = r.name
        AND $2::text[] IS NOT NULL`,
  );
  // Another row of the file for the same unit whose dates meet these (or the same name).
  await run(
    `WITH d AS (
       SELECT a.row_no, string_agg(b.row_no::text, ', ' ORDER BY b.row_no) AS rows
         FROM import_rows a JOIN import_rows b
           ON b.import_id = a.import_id AND b.kind = a.kind AND b.row_no <> a.row_no
          AND coalesce(b.unit_code, b.unit_path) = coalesce(a.unit_code, a.unit_path)
          AND (b.name = a.name
               OR (b.start_date <= a.end_date AND a.start_date <= b.end_date))
        WHERE a.import_id = $1 AND a.kind = 'terms' AND $2::text[] IS NOT NULL
        GROUP BY a.row_no)
     UPDATE import_rows r SET ${appendError(
       label('name'),
       `'Nhiệm kỳ trùng tên hoặc trùng thời gian với dòng ' || d.rows || ' trong tệp.'`,
       `'The term has the name or overlaps the dates of row ' || d.rows || '.'`,
     )}
       FROM d
      WHERE ${ROWS} AND r.row_no = d.row_no`,
  );
  await run(
    `UPDATE import_rows r SET ${appendError(
      label('startDate'),
      `'Trùng thời gian với nhiệm kỳ "' || t.name || '" (' || ${DMY('t.start_date')} || ' – ' || ${DMY('t.end_date')} || ').'`,
      `'Overlaps the term "' || t.name || '" (' || ${DMY('t.start_date')} || ' – ' || ${DMY('t.end_date')} || ').'`,
    )}
       FROM terms t
      WHERE ${ROWS} AND t.org_unit_id = r.unit_id AND t.id IS DISTINCT FROM r.target_id
        AND t.start_date <= r.end_date AND r.start_date <= t.end_date
        AND $2::text[] IS NOT NULL`,
  );
  // The dates of a term that people already hold posts in are corrected through PATCH
  // /terms/:id, which checks the appointments still fit.
  await run(
    `UPDATE import_rows r SET ${appendError(
      label('startDate'),
      `'Nhiệm kỳ đã có người được bầu, bổ nhiệm: hãy sửa ngày của nhiệm kỳ trên hệ thống.'`,
      `'People hold posts in this term: correct its dates in the system.'`,
    )}
       FROM terms t
      WHERE ${ROWS} AND t.id = r.target_id
        AND (t.start_date, t.end_date) IS DISTINCT FROM (r.start_date, r.end_date)
        AND EXISTS (SELECT 1 FROM appointments a WHERE a.term_id = t.id)
        AND $2::text[] IS NOT NULL`,
  );
  await run(
    settleOutcome(
      ROWS,
      `EXISTS (SELECT 1 FROM terms t WHERE t.id = r.target_id
                      AND (t.start_date, t.end_date) IS DISTINCT FROM (r.start_date, r.end_date))`,
    ),
  );
}

export async function applyTerms(em: EntityManager, importId: string): Promise<void> {
  await em.query(unitsMadeByFile(ROWS, `'created'`), [importId]);
  await em.query(
    `UPDATE terms t SET start_date = r.start_date, end_date = r.end_date
       FROM import_rows r
      WHERE ${ROWS} AND r.outcome = 'updated' AND t.id = r.target_id`,
    [importId],
  );
  await em.query(
    `INSERT INTO terms (org_unit_id, name, start_date, end_date)
     SELECT r.unit_id, r.name, r.start_date, r.end_date FROM import_rows r
      WHERE ${ROWS} AND r.outcome = 'created'`,
    [importId],
  );
}
