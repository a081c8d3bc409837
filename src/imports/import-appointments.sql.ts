import { EntityManager } from 'typeorm';
import {
  KEY_POST_BY_DEFAULT,
  POST_TYPE_LABELS,
  POST_TYPES,
  SINGLE_HOLDER_BY_DEFAULT,
} from '../posts/post-types';
import { PERSON_AGE_LIMITS } from '../people/person-dates';
import {
  appendError,
  quote,
  resolveRowUnits,
  UNIT_IN_FILE,
  settleOutcome,
  unitsMadeByFile,
} from './import-units.sql';
import { peopleMadeByFile } from './import-people.sql';

/**
 * Validation and writing of the appointments rows of an import (who was elected or appointed to
 * which post of a unit, from when), set-based over import_rows. Parameters: $1 the import id,
 * $2 the importer's scope prefixes.
 *
 * - The person is one in the importer's scope (by CCCD, then by the HR system's id), or one the
 *   people sheet of the same workbook creates (people are written before appointments).
 * - The post is the unit's active post of the post type; of several, the one titled with the
 *   post type's name, else the row is refused so the posts are imported first. A unit with no
 *   such post gets it, with the defaults of POST /posts, as the posts kind would create it: a
 *   federation's first file is usually "who holds what", and asking for a posts sheet first
 *   would only repeat the post types.
 * - An appointment is matched by person, post and start date (cancelled ones never match); an
 *   empty end date, term or method keeps the stored value.
 * - The rules of POST /appointments hold: a single-holder post has one holder at a time (the
 *   error names the other holder), nobody holds the same post twice at once, the start lies in
 *   the term, the end is not before the start — against stored appointments and other rows.
 */
const ROWS = `r.import_id = $1 AND r.kind = 'appointments'`;

const DMY = (col: string) => `to_char(${col}, 'DD/MM/YYYY')`;

const inList = (set: ReadonlySet<string>) =>
  POST_TYPES.filter((t) => set.has(t))
    .map((t) => `'${t}'`)
    .join(', ');

/** The post type's Vietnamese name: the title POST /posts gives a post without one. */
const LABEL_OF = (col: string) =>
  `CASE ${col} ${POST_TYPES.map((t) => `WHEN '${t}' THEN ${quote(POST_TYPE_LABELS[t].vi)}`).join(' ')} END`;

/** The reference as the file wrote it (CCCD or external id). */
const REF = `coalesce(r.national_id, r.external_id)`;

/** A people row of the same import that creates the person this row names. */
const PERSON_IN_FILE = `EXISTS (SELECT 1 FROM import_rows u WHERE u.import_id = $1
                           AND u.kind = 'people' AND u.outcome = 'created'
                           AND (u.national_id = r.national_id
                                OR u.external_id = coalesce(r.external_id, r.national_id)))`;

/** Same unit reference as another kind's row (by code or by path, as the file wrote it). */
const SAME_UNIT = (other: string) =>
  `(${other}.unit_code = r.unit_code OR ${other}.unit_path = r.unit_path)`;

/**
 * Sets post_id (and single_holder) of the rows whose unit is known: the only active post of the
 * type, or of several the one titled with the post type's name.
 */
const resolvePostSql = (extra: string) => `
  WITH c AS (
    SELECT r.row_no, count(*) AS n,
           (array_agg(p.id ORDER BY p.created_at) FILTER (WHERE p.title = ${LABEL_OF('r.post_type')}))[1] AS labelled,
           (array_agg(p.id))[1] AS only_one
      FROM import_rows r
      JOIN posts p ON p.org_unit_id = r.unit_id AND p.post_type::text = r.post_type
                  AND p.status = 'active'
     WHERE ${ROWS} AND r.post_id IS NULL AND ${extra}
     GROUP BY r.row_no)
  UPDATE import_rows r SET post_id = CASE WHEN c.n = 1 THEN c.only_one ELSE c.labelled END,
                           single_holder = p.single_holder
    FROM c JOIN posts p ON p.id = CASE WHEN c.n = 1 THEN c.only_one ELSE c.labelled END
   WHERE ${ROWS} AND r.row_no = c.row_no`;

export async function validateAppointments(
  em: EntityManager,
  importId: string,
  scope: string[],
  label: (key: string) => string,
): Promise<void> {
  const run = (sql: string) => em.query(sql, [importId, scope]);
  // The unit, in scope and open.
  await resolveRowUnits(run, 'appointments', label('orgUnit'));
  // The person: in scope only, so that a CCCD outside it reads as unknown (and reveals nothing).
  await run(
    `UPDATE import_rows r SET person_id = p.id
       FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
      WHERE ${ROWS} AND p.national_id = r.national_id AND o.path LIKE ANY($2::text[])`,
  );
  await run(
    `UPDATE import_rows r SET person_id = p.id
       FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
      WHERE ${ROWS} AND r.person_id IS NULL AND p.external_id = coalesce(r.external_id, r.national_id)
        AND o.path LIKE ANY($2::text[])`,
  );
  await run(
    `UPDATE import_rows r SET ${appendError(
      label('person'),
      `'Không tìm thấy cán bộ có số CCCD hoặc mã cán bộ "' || ${REF} || '" trong phạm vi của bạn; hãy nhập cán bộ trước.'`,
      `'No person with national ID or external id "' || ${REF} || '" in your scope; import the person first.'`,
    )}
      WHERE ${ROWS} AND r.person_id IS NULL AND ${REF} IS NOT NULL AND NOT ${PERSON_IN_FILE}
        AND $2::text[] IS NOT NULL`,
  );
  await run(
    `UPDATE import_rows r SET ${appendError(
      label('person'),
      `'Cán bộ ' || p.full_name || ' không còn hoạt động.'`,
      `'The person ' || p.full_name || ' is no longer active.'`,
    )}
       FROM people p
      WHERE ${ROWS} AND p.id = r.person_id AND p.status <> 'active' AND $2::text[] IS NOT NULL`,
  );
  // Nobody holds a union post before the age of work (the birth date stored, or the one the
  // people sheet of the file gives a new person).
  await run(
    `WITH b AS (
       SELECT r.row_no, (coalesce(p.birth_date,
                (SELECT u.birth_date FROM import_rows u WHERE u.import_id = $1
                    AND u.kind = 'people' AND u.outcome = 'created'
                    AND (u.national_id = r.national_id
                         OR u.external_id = coalesce(r.external_id, r.national_id))
                  LIMIT 1))
              + interval '${PERSON_AGE_LIMITS.min} years')::date AS adult
         FROM import_rows r LEFT JOIN people p ON p.id = r.person_id
        WHERE ${ROWS} AND $2::text[] IS NOT NULL)
     UPDATE import_rows r SET ${appendError(
       label('startDate'),
       `'Không được sớm hơn ngày ' || ${DMY('b.adult')} || ', khi cán bộ đủ ${PERSON_AGE_LIMITS.min} tuổi.'`,
       `'Cannot be earlier than ' || ${DMY('b.adult')} || ', when the person turns ${PERSON_AGE_LIMITS.min}.'`,
     )}
       FROM b
      WHERE ${ROWS} AND r.row_no = b.row_no AND r.start_date < b.adult`,
  );
  // The post: several active posts of the type and none titled with its name is ambiguous.
  await run(resolvePostSql('$2::text[] IS NOT NULL'));
  await run(
    `UPDATE import_rows r SET ${appendError(
      label('postType'),
      `'Đơn vị có nhiều chức danh ' || ${LABEL_OF('r.post_type')} || ', không rõ chức danh nào; hãy nhập chức danh trước.'`,
      `'The unit has several ' || r.post_type || ' posts and none is plainly titled; import the posts first.'`,
    )}
      WHERE ${ROWS} AND r.post_id IS NULL AND r.unit_id IS NOT NULL AND $2::text[] IS NOT NULL
        AND (SELECT count(*) FROM posts p WHERE p.org_unit_id = r.unit_id
               AND p.post_type::text = r.post_type AND p.status = 'active') > 1`,
  );
  // A post still to be made (by the posts sheet of this file, or by this import): its holders
  // rule is the sheet's, else the post type's default.
  await run(
    `UPDATE import_rows r SET single_holder = coalesce(
       (SELECT bool_or(coalesce(u.single_holder, u.post_type IN (${inList(SINGLE_HOLDER_BY_DEFAULT)})))
          FROM import_rows u WHERE u.import_id = $1 AND u.kind = 'posts' AND u.outcome = 'created'
           AND ${SAME_UNIT('u')} AND u.post_type = r.post_type),
       r.post_type IN (${inList(SINGLE_HOLDER_BY_DEFAULT)}))
      WHERE ${ROWS} AND r.post_id IS NULL AND r.post_type IS NOT NULL AND $2::text[] IS NOT NULL`,
  );
  // The existing appointment; an empty end date, term or method keeps what it holds.
  await run(
    `UPDATE import_rows r
        SET target_id = a.id, end_date = coalesce(r.end_date, a.end_date),
            method = coalesce(r.method, a.method::text)
       FROM appointments a
      WHERE ${ROWS} AND a.person_id = r.person_id AND a.post_id = r.post_id
        AND a.start_date = r.start_date AND a.status <> 'cancelled' AND $2::text[] IS NOT NULL`,
  );
  await run(
    `UPDATE import_rows r SET method = 'elected'
      WHERE ${ROWS} AND r.method IS NULL AND $2::text[] IS NOT NULL`,
  );
  // The term: a stored term of the unit, or one the terms sheet of this file creates.
  await run(
    `UPDATE import_rows r SET term_id = t.id FROM terms t
      WHERE ${ROWS} AND t.org_unit_id = r.unit_id AND t.name = r.term_name
        AND $2::text[] IS NOT NULL`,
  );
  await run(
    `UPDATE import_rows r SET term_id = a.term_id FROM appointments a
      WHERE ${ROWS} AND a.id = r.target_id AND r.term_name IS NULL AND $2::text[] IS NOT NULL`,
  );
  await run(
    `UPDATE import_rows r SET ${appendError(
      label('term'),
      `'Đơn vị không có nhiệm kỳ "' || r.term_name || '".'`,
      `'The unit has no term "' || r.term_name || '".'`,
    )}
      WHERE ${ROWS} AND r.term_name IS NOT NULL AND r.term_id IS NULL
        AND (r.unit_id IS NOT NULL OR ${UNIT_IN_FILE}) AND $2::text[] IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM import_rows u WHERE u.import_id = $1 AND u.kind = 'terms'
                          AND u.outcome = 'created' AND ${SAME_UNIT('u')}
                          AND u.name = r.term_name)`,
  );
  // The start lies in the term (the dates a terms row of the file gives it, else the stored).
  await run(
    `WITH d AS (
       SELECT r.row_no,
              coalesce(f.start_date, t.start_date) AS ts, coalesce(f.end_date, t.end_date) AS te
         FROM import_rows r
         LEFT JOIN terms t ON t.id = r.term_id
         LEFT JOIN import_rows f ON f.import_id = $1 AND f.kind = 'terms'
              AND f.outcome IN ('created', 'updated') AND ${SAME_UNIT('f')}
              AND f.name = coalesce(r.term_name, t.name)
        WHERE ${ROWS} AND (r.term_id IS NOT NULL OR r.term_name IS NOT NULL)
          AND $2::text[] IS NOT NULL)
     UPDATE import_rows r SET ${appendError(
       label('startDate'),
       `'Ngoài nhiệm kỳ ' || ${DMY('d.ts')} || ' – ' || ${DMY('d.te')} || '.'`,
       `'Outside the term ' || ${DMY('d.ts')} || ' – ' || ${DMY('d.te')} || '.'`,
     )}
       FROM d
      WHERE ${ROWS} AND r.row_no = d.row_no AND (r.start_date < d.ts OR r.start_date > d.te)`,
  );
  // The same appointment twice in the file.
  await run(
    `WITH d AS (
       SELECT coalesce(national_id, external_id) AS who, coalesce(unit_code, unit_path) AS u,
              post_type, start_date, array_agg(row_no ORDER BY row_no) AS rows
         FROM import_rows
        WHERE import_id = $1 AND kind = 'appointments' AND post_type IS NOT NULL
          AND start_date IS NOT NULL AND $2::text[] IS NOT NULL
        GROUP BY 1, 2, 3, 4 HAVING count(*) > 1)
     UPDATE import_rows r SET ${appendError(
       label('startDate'),
       `'Quyết định này trùng với dòng ' || array_to_string(array_remove(d.rows, r.row_no), ', ') || ' trong tệp.'`,
       `'The same appointment is on row ' || array_to_string(array_remove(d.rows, r.row_no), ', ') || '.'`,
     )}
       FROM d
      WHERE ${ROWS} AND ${REF} = d.who AND coalesce(r.unit_code, r.unit_path) = d.u
        AND r.post_type = d.post_type AND r.start_date = d.start_date`,
  );
  // Rows of the file that meet on the same post.
  await run(
    `WITH d AS (
       SELECT a.row_no,
              string_agg(b.row_no::text || ' (' || coalesce(h.full_name, b.name,
                         coalesce(b.national_id, b.external_id)) || ')', ', '
                         ORDER BY b.row_no) AS rows
         FROM import_rows a JOIN import_rows b
           ON b.import_id = a.import_id AND b.kind = a.kind AND b.row_no <> a.row_no
          AND coalesce(b.unit_id::text, b.unit_code, b.unit_path)
              = coalesce(a.unit_id::text, a.unit_code, a.unit_path)
          AND b.post_type = a.post_type
          AND (a.single_holder OR coalesce(b.person_id::text, b.national_id, b.external_id)
                                  = coalesce(a.person_id::text, a.national_id, a.external_id))
          AND b.start_date <= coalesce(a.end_date, 'infinity'::date)
          AND a.start_date <= coalesce(b.end_date, 'infinity'::date)
         LEFT JOIN people h ON h.id = b.person_id
        WHERE a.import_id = $1 AND a.kind = 'appointments' AND $2::text[] IS NOT NULL
        GROUP BY a.row_no)
     UPDATE import_rows r SET ${appendError(
       label('startDate'),
       `'Trùng thời gian trên cùng chức danh với dòng ' || d.rows || ' trong tệp.'`,
       `'Overlaps row ' || d.rows || ' on the same post.'`,
     )}
       FROM d
      WHERE ${ROWS} AND r.row_no = d.row_no`,
  );
  // Stored appointments of the post met by this one's dates. A stored appointment another
  // valid row of the file changes was compared by the file's dates above (ending the old
  // chair's term and recording the new chair in one file is the usual handover); checked after
  // the file's own rows so that a refused change leaves the stored dates to compare with.
  await run(
    `UPDATE import_rows r SET ${appendError(
      label('startDate'),
      `CASE WHEN a.person_id = r.person_id
         THEN 'Cán bộ này đã giữ chức danh "' || p.title || '" trong thời gian trùng (' || ${DMY('a.start_date')} || ' – ' || coalesce(${DMY('a.end_date')}, '…') || ').'
         ELSE 'Chức danh "' || p.title || '" chỉ do một người đảm nhiệm: trùng thời gian với ' || h.full_name || ' (' || ${DMY('a.start_date')} || ' – ' || coalesce(${DMY('a.end_date')}, '…') || ').' END`,
      `CASE WHEN a.person_id = r.person_id
         THEN 'This person already holds "' || p.title || '" in an overlapping period (' || ${DMY('a.start_date')} || ' – ' || coalesce(${DMY('a.end_date')}, '…') || ').'
         ELSE 'The post "' || p.title || '" has one holder at a time: overlaps ' || h.full_name || ' (' || ${DMY('a.start_date')} || ' – ' || coalesce(${DMY('a.end_date')}, '…') || ').' END`,
    )}
       FROM appointments a JOIN posts p ON p.id = a.post_id JOIN people h ON h.id = a.person_id
      WHERE ${ROWS} AND a.post_id = r.post_id AND a.status <> 'cancelled'
        AND a.id IS DISTINCT FROM r.target_id
        AND (r.single_holder OR a.person_id = r.person_id)
        AND a.start_date <= coalesce(r.end_date, 'infinity'::date)
        AND r.start_date <= coalesce(a.end_date, 'infinity'::date)
        AND NOT EXISTS (SELECT 1 FROM import_rows o WHERE o.import_id = $1
                          AND o.kind = 'appointments' AND o.target_id = a.id
                          AND o.errors = '[]')
        AND $2::text[] IS NOT NULL`,
  );
  await run(
    settleOutcome(
      ROWS,
      `EXISTS (SELECT 1 FROM appointments a WHERE a.id = r.target_id AND (
              r.end_date IS DISTINCT FROM a.end_date
           OR r.method IS DISTINCT FROM a.method::text
           OR (r.term_name IS NOT NULL AND r.term_id IS DISTINCT FROM a.term_id)))`,
    ),
  );
}

/** Writes the valid rows, after the units, terms, posts and people of the same file. */
export async function applyAppointments(em: EntityManager, importId: string): Promise<void> {
  const run = (sql: string) => em.query(sql, [importId]);
  const live = `r.outcome IN ('created', 'updated')`;
  await run(unitsMadeByFile(ROWS, `'created', 'updated'`));
  await run(peopleMadeByFile(ROWS));
  // Posts: the posts sheet of the file has been written; what is still missing is made.
  await run(resolvePostSql(live));
  await run(
    `INSERT INTO posts (org_unit_id, post_type, title, employment, single_holder, key_post)
     SELECT DISTINCT r.unit_id, r.post_type::post_type, ${LABEL_OF('r.post_type')},
            'part_time'::post_employment, r.post_type IN (${inList(SINGLE_HOLDER_BY_DEFAULT)}),
            r.post_type IN (${inList(KEY_POST_BY_DEFAULT)})
       FROM import_rows r
      WHERE ${ROWS} AND r.post_id IS NULL AND r.outcome = 'created'`,
  );
  await run(resolvePostSql(live));
  await run(
    `UPDATE import_rows r SET term_id = t.id FROM terms t
      WHERE ${ROWS} AND r.term_id IS NULL AND ${live} AND t.org_unit_id = r.unit_id
        AND t.name = r.term_name`,
  );
  await run(
    `UPDATE appointments a
        SET end_date = r.end_date, method = r.method::appointment_method,
            term_id = coalesce(r.term_id, a.term_id),
            status = CASE WHEN r.end_date IS NULL THEN 'active' ELSE 'ended' END::appointment_status,
            ended_by = CASE WHEN r.end_date IS NULL THEN NULL
                            WHEN a.end_date IS NOT DISTINCT FROM r.end_date THEN a.ended_by
                            ELSE i.actor_user_id END,
            updated_at = now()
       FROM import_rows r JOIN imports i ON i.id = r.import_id
      WHERE ${ROWS} AND r.outcome = 'updated' AND a.id = r.target_id`,
  );
  await run(
    `INSERT INTO appointments (person_id, post_id, term_id, method, start_date, end_date, status,
                               created_by, ended_by)
     SELECT r.person_id, r.post_id, r.term_id, r.method::appointment_method, r.start_date,
            r.end_date,
            CASE WHEN r.end_date IS NULL THEN 'active' ELSE 'ended' END::appointment_status,
            i.actor_user_id, CASE WHEN r.end_date IS NULL THEN NULL ELSE i.actor_user_id END
       FROM import_rows r JOIN imports i ON i.id = r.import_id
      WHERE ${ROWS} AND r.outcome = 'created'`,
  );
}
