import { EntityManager } from 'typeorm';
import { canSitUnder, ORG_LEVELS } from '../org-units/org-unit.types';

/**
 * Validation and writing of the org_units rows of an import, set-based over the staging table
 * import_rows: each rule is one UPDATE that appends its error to the rows that break it.
 * Parameters of every statement: $1 the import id, $2 the importer's scope prefixes ('/1/7/%').
 */

/** The (level, parent level) pairs canSitUnder allows, as SQL VALUES. */
const ALLOWED_PAIRS = ORG_LEVELS.flatMap((l) =>
  ORG_LEVELS.filter((p) => canSitUnder(l, p)).map((p) => `('${l}', '${p}')`),
).join(', ');

const ROWS = `r.import_id = $1 AND r.kind = 'org_units'`;

/** SQL appending one error to r.errors; `vi` and `en` are SQL text expressions. */
export const appendError = (column: string, vi: string, en: string) =>
  `errors = r.errors || jsonb_build_array(jsonb_build_object(
     'column', ${quote(column)}, 'message', ${vi}, 'messageEn', ${en}))`;

/**
 * The final outcome of a kind's rows — error, created (no match), updated when `changed` (an SQL
 * condition on r and its matched record r.target_id), else unchanged — written only where it
 * differs from the one staged ('created', or 'error' for rows refused in JS): only rows with an
 * error or a match can differ, and a file of new records is not rewritten row by row.
 */
export const settleOutcome = (rows: string, changed: string) =>
  `UPDATE import_rows r SET outcome = s.outcome
     FROM (SELECT r.row_no,
                  CASE WHEN r.errors <> '[]' THEN 'error'
                       WHEN r.target_id IS NULL THEN 'created'
                       WHEN ${changed} THEN 'updated'
                       ELSE 'unchanged' END AS outcome
             FROM import_rows r
            WHERE ${rows} AND $2::text[] IS NOT NULL
              AND (r.errors <> '[]' OR r.target_id IS NOT NULL OR r.outcome IS NULL)) s
    WHERE ${rows} AND r.row_no = s.row_no AND r.outcome IS DISTINCT FROM s.outcome`;

/**
 * At apply: the unit of rows that name one the same import has just created (by code).
 * `outcomes` the rows concerned ("'created'", "'created', 'updated'").
 */
export const unitsMadeByFile = (rows: string, outcomes: string) =>
  `UPDATE import_rows r SET unit_id = o.id FROM org_units o
    WHERE ${rows} AND r.unit_id IS NULL AND r.outcome IN (${outcomes}) AND o.code = r.unit_code`;

/** A string literal for SQL; the texts quoted are the file's own header cells. */
export const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** A row's unit that the same import creates (a workbook with the units sheet too). */
export const UNIT_IN_FILE = `EXISTS (SELECT 1 FROM import_rows u WHERE u.import_id = $1
                         AND u.kind = 'org_units' AND u.outcome = 'created'
                         AND u.code = r.unit_code)`;

/**
 * A row's unit (`unit_code`, else `unit_path`) found open in the scope $2 of a kind's rows,
 * into `unit_id`; a unit found nowhere (nor created by the same file) is the row's error in
 * `column`. `when` narrows the rows checked (the accounts kind: only when the importer
 * administers some scope), `within` words the scope the message names.
 */
export async function resolveRowUnits(
  run: (sql: string) => Promise<unknown>,
  kind: string,
  column: string,
  opts: { when?: string; within?: 'scope' | 'administered' } = {},
): Promise<void> {
  const rows = `r.import_id = $1 AND r.kind = '${kind}' AND ${opts.when ?? '$2::text[] IS NOT NULL'}`;
  const [vi, en] =
    opts.within === 'administered'
      ? ['trong phạm vi quản trị của bạn', 'in the scope you administer']
      : ['trong phạm vi của bạn', 'in your scope'];
  const unit = `coalesce(r.unit_code, replace(r.unit_path, '/', ' / '))`;
  await run(
    // Most rows were given their unit as they were staged (import-run's unitsByCode): the few
    // left are looked up one by one through the code's unique index. (A join here lets the
    // planner, told that few rows lack a unit, loop over all the units for each of them.)
    `WITH f AS (
       SELECT r.row_no, (SELECT o.id FROM org_units o
                          WHERE o.code = r.unit_code AND o.status = 'active'
                            AND o.path LIKE ANY($2::text[])) AS id
         FROM import_rows r
        WHERE ${rows} AND r.unit_id IS NULL AND r.unit_code IS NOT NULL)
     UPDATE import_rows r SET unit_id = f.id FROM f
      WHERE ${rows} AND r.row_no = f.row_no AND f.id IS NOT NULL`,
  );
  await run(resolvePathSql('unit_path', kind, 'unit_id'));
  await run(
    `UPDATE import_rows r SET ${appendError(
      column,
      `'Không tìm thấy đơn vị "' || ${unit} || '" ${vi}.'`,
      `'Unit "' || ${unit} || '" was not found ${en}.'`,
    )}
      WHERE ${rows} AND r.unit_id IS NULL
        AND (r.unit_code IS NOT NULL OR r.unit_path IS NOT NULL) AND NOT ${UNIT_IN_FILE}`,
  );
}

/** A path of folded names ('a/b/c') → the one unit in scope it names, walking down the tree. */
export const resolvePathSql = (
  column: 'parent_path' | 'unit_path',
  kind: string,
  target: string,
) => `
  WITH RECURSIVE refs AS (
    SELECT DISTINCT ${column} AS ref, string_to_array(${column}, '/') AS parts
      FROM import_rows WHERE import_id = $1 AND kind = '${kind}' AND ${column} IS NOT NULL),
  walk AS (
    SELECT f.ref, f.parts, 1 AS i, o.id FROM refs f JOIN org_units o ON o.search_name = f.parts[1]
    UNION ALL
    SELECT w.ref, w.parts, w.i + 1, c.id FROM walk w
      JOIN org_units c ON c.parent_id = w.id AND c.search_name = w.parts[w.i + 1]
     WHERE w.i < array_length(w.parts, 1)),
  found AS (
    SELECT w.ref, (array_agg(w.id))[1] AS id, count(*) AS n FROM walk w
      JOIN org_units o ON o.id = w.id
     WHERE w.i = array_length(w.parts, 1) AND o.path LIKE ANY($2::text[])
     GROUP BY w.ref)
  UPDATE import_rows r SET ${target} = found.id FROM found
   WHERE r.import_id = $1 AND r.kind = '${kind}' AND r.${column} = found.ref AND found.n = 1`;

export async function validateUnits(
  em: EntityManager,
  importId: string,
  scope: string[],
  label: (key: string) => string,
): Promise<void> {
  const run = (sql: string) => em.query(sql, [importId, scope]);
  await run(
    `WITH d AS (
       SELECT code AS v, array_agg(row_no ORDER BY row_no) AS rows FROM import_rows
        WHERE import_id = $1 AND kind = 'org_units' AND code IS NOT NULL
          AND $2::text[] IS NOT NULL
        GROUP BY code HAVING count(*) > 1)
     UPDATE import_rows r SET ${appendError(
       label('code'),
       `'Mã đơn vị "' || r.code || '" trùng với dòng ' || array_to_string(array_remove(d.rows, r.row_no), ', ') || ' trong tệp.'`,
       `'Unit code "' || r.code || '" repeats on row ' || array_to_string(array_remove(d.rows, r.row_no), ', ') || '.'`,
     )}
       FROM d
      WHERE ${ROWS} AND r.code = d.v`,
  );
  await run(
    `UPDATE import_rows r SET target_id = o.id FROM org_units o
      WHERE ${ROWS} AND o.code = r.code AND $2::text[] IS NOT NULL`,
  );
  await run(
    `UPDATE import_rows r SET ${appendError(
      label('code'),
      `'Mã đơn vị "' || r.code || '" đã được dùng cho một đơn vị ngoài phạm vi của bạn.'`,
      `'Unit code "' || r.code || '" belongs to a unit outside your scope.'`,
    )}
       FROM org_units o
      WHERE ${ROWS} AND o.id = r.target_id AND NOT o.path LIKE ANY($2::text[])`,
  );
  // The parent: an existing unit in scope (by code or path of names), or a row of the file.
  await run(
    `UPDATE import_rows r SET parent_id = o.id FROM org_units o
      WHERE ${ROWS} AND o.code = r.parent_code AND o.path LIKE ANY($2::text[])
        AND o.status = 'active'`,
  );
  await run(resolvePathSql('parent_path', 'org_units', 'parent_id'));
  const parentLabel = label('parentCode');
  await run(
    `UPDATE import_rows r SET ${appendError(
      parentLabel,
      `'Không tìm thấy đơn vị cấp trên "' || coalesce(r.parent_code, replace(r.parent_path, '/', ' / ')) || '" trong phạm vi của bạn.'`,
      `'Parent unit "' || coalesce(r.parent_code, replace(r.parent_path, '/', ' / ')) || '" was not found in your scope.'`,
    )}
      WHERE ${ROWS} AND r.parent_id IS NULL AND $2::text[] IS NOT NULL
        AND (r.parent_code IS NOT NULL OR r.parent_path IS NOT NULL)
        AND NOT EXISTS (SELECT 1 FROM import_rows f
                         WHERE f.import_id = $1 AND f.kind = 'org_units' AND f.code = r.parent_code
                           AND f.row_no <> r.row_no AND f.target_id IS NULL)`,
  );
  await run(
    `UPDATE import_rows r SET ${appendError(
      parentLabel,
      `'Đơn vị mới cần có đơn vị cấp trên.'`,
      `'A new unit needs a parent unit.'`,
    )}
      WHERE ${ROWS} AND r.target_id IS NULL AND r.parent_code IS NULL AND r.parent_path IS NULL
        AND $2::text[] IS NOT NULL`,
  );
  // An existing unit keeps its place and level: a move rewrites a subtree's paths and is a
  // deliberate act (PATCH /org-units/:id/move), not a side effect of a spreadsheet.
  await run(
    `UPDATE import_rows r SET ${appendError(
      parentLabel,
      `'Không chuyển đơn vị đã có sang đơn vị cấp trên khác khi nhập tệp.'`,
      `'An existing unit is not moved to another parent by an import.'`,
    )}
       FROM org_units o
      WHERE ${ROWS} AND o.id = r.target_id AND o.path LIKE ANY($2::text[])
        AND ((r.parent_id IS NOT NULL AND r.parent_id IS DISTINCT FROM o.parent_id)
          OR (r.parent_id IS NULL AND r.parent_code IS NOT NULL))`,
  );
  await run(
    `UPDATE import_rows r SET ${appendError(
      label('level'),
      `'Không đổi cấp của đơn vị đã có khi nhập tệp.'`,
      `'The level of an existing unit is not changed by an import.'`,
    )}
       FROM org_units o
      WHERE ${ROWS} AND o.id = r.target_id AND r.level IS NOT NULL AND o.level::text <> r.level
        AND o.path LIKE ANY($2::text[])`,
  );
  // Levels: a unit sits only under a level canSitUnder allows (existing parent or file parent).
  await run(
    `UPDATE import_rows r SET ${appendError(
      label('level'),
      `'Cấp "' || r.level || '" không thể trực thuộc đơn vị cấp "' || p.level || '".'`,
      `'Level "' || r.level || '" cannot sit under a unit of level "' || p.level || '".'`,
    )}
       FROM (SELECT r2.row_no, coalesce(o.level::text, f.level) AS level
               FROM import_rows r2
               LEFT JOIN org_units o ON o.id = r2.parent_id
               LEFT JOIN import_rows f ON r2.parent_id IS NULL AND f.import_id = r2.import_id
                    AND f.kind = r2.kind AND f.code = r2.parent_code AND f.target_id IS NULL
              WHERE r2.import_id = $1 AND r2.kind = 'org_units' AND r2.target_id IS NULL) p
      WHERE ${ROWS} AND p.row_no = r.row_no AND r.level IS NOT NULL AND p.level IS NOT NULL
        AND $2::text[] IS NOT NULL
        AND (r.level, p.level) NOT IN (VALUES ${ALLOWED_PAIRS})`,
  );
  // New units whose chain of parents in the file does not reach a valid existing unit: the
  // parent row has an error, or the rows form a cycle.
  await run(
    `WITH RECURSIVE ok AS (
       SELECT r.code FROM import_rows r
        WHERE ${ROWS} AND r.target_id IS NULL AND r.parent_id IS NOT NULL AND r.errors = '[]'
       UNION
       SELECT c.code FROM import_rows c JOIN ok ON c.parent_code = ok.code
        WHERE c.import_id = $1 AND c.kind = 'org_units' AND c.target_id IS NULL
          AND c.parent_id IS NULL AND c.errors = '[]')
     UPDATE import_rows r SET ${appendError(
       parentLabel,
       `'Đơn vị cấp trên "' || r.parent_code || '" trong tệp có lỗi hoặc tạo thành vòng lặp.'`,
       `'Parent unit "' || r.parent_code || '" in the file has errors or forms a cycle.'`,
     )}
      WHERE ${ROWS} AND r.target_id IS NULL AND r.parent_id IS NULL AND r.errors = '[]'
        AND $2::text[] IS NOT NULL AND r.code NOT IN (SELECT code FROM ok)`,
  );
  await run(
    settleOutcome(
      ROWS,
      `EXISTS (SELECT 1 FROM org_units o WHERE o.id = r.target_id
                      AND (o.name IS DISTINCT FROM r.name
                        OR coalesce(r.sector, o.sector::text) IS DISTINCT FROM o.sector::text
                        OR coalesce(r.province_code, o.province_code) IS DISTINCT FROM o.province_code
                        OR coalesce(r.member_count, o.member_count) IS DISTINCT FROM o.member_count))`,
    ),
  );
}

/**
 * Writes the valid rows: every new unit in one INSERT … SELECT, its materialized path /…/seq/
 * built by a recursive walk down from the existing parents through the file's own parent codes
 * (each row's seq and id drawn once, in the materialized list of new units; the parent foreign
 * key is checked at the end of the statement, when every level is in). Then the changes
 * of existing units in one UPDATE … FROM. The staged rows are not rewritten: the units a later
 * kind names are found by code (unitsMadeByFile).
 */
export async function applyUnits(em: EntityManager, importId: string): Promise<void> {
  // The sequence once (not a catalog lookup per row), by its oid.
  const [{ seq }] = await em.query<{ seq: string }[]>(
    `SELECT pg_get_serial_sequence('org_units', 'seq')::regclass::oid::text AS seq`,
  );
  const next = `nextval(${Number(seq)}::oid::regclass)`;
  await em.query(
    `WITH RECURSIVE todo AS MATERIALIZED (
       SELECT ${next} AS seq, gen_random_uuid() AS id, r.code, r.name, r.search_name,
              r.sort_key, r.level, r.sector, r.province_code, r.parent_id, r.parent_code,
              r.member_count
         FROM import_rows r
        WHERE ${ROWS} AND r.outcome = 'created' AND r.target_id IS NULL),
     tree AS (
       SELECT t.*, t.parent_id AS parent, p.path || t.seq || '/' AS path, p.depth + 1 AS depth
         FROM todo t JOIN org_units p ON p.id = t.parent_id
       UNION ALL
       SELECT c.*, w.id, w.path || c.seq || '/', w.depth + 1
         FROM tree w JOIN todo c ON c.parent_code = w.code AND c.parent_id IS NULL
        WHERE w.depth < 100)
     INSERT INTO org_units (id, seq, code, name, search_name, sort_key, level, sector,
                            province_code, parent_id, path, depth, member_count)
     SELECT id, seq, code, name, search_name, sort_key, level::org_level, sector::org_sector,
            province_code, parent, path, depth, coalesce(member_count, 0)
       FROM tree`,
    [importId],
  );
  await em.query(
    `UPDATE org_units o
        SET name = r.name, search_name = r.search_name, sort_key = r.sort_key,
            sector = coalesce(r.sector::org_sector, o.sector),
            province_code = coalesce(r.province_code, o.province_code),
            member_count = coalesce(r.member_count, o.member_count), updated_at = now()
       FROM import_rows r
      WHERE ${ROWS} AND r.outcome = 'updated' AND o.id = r.target_id`,
    [importId],
  );
}
