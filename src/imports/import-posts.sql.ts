import { EntityManager } from 'typeorm';
import { KEY_POST_BY_DEFAULT, POST_TYPES, SINGLE_HOLDER_BY_DEFAULT } from '../posts/post-types';
import { appendError, resolveRowUnits, settleOutcome, unitsMadeByFile } from './import-units.sql';

/**
 * Validation and writing of the posts rows of an import (a unit's chức danh), set-based over
 * import_rows. A post is matched by unit, post type and title among the unit's active posts;
 * an empty cell keeps the stored value, and a new post takes the defaults of POST /posts.
 */
const ROWS = `r.import_id = $1 AND r.kind = 'posts'`;

const inList = (set: ReadonlySet<string>) =>
  POST_TYPES.filter((t) => set.has(t))
    .map((t) => `'${t}'`)
    .join(', ');

export async function validatePosts(
  em: EntityManager,
  importId: string,
  scope: string[],
  label: (key: string) => string,
): Promise<void> {
  const run = (sql: string) => em.query(sql, [importId, scope]);
  await resolveRowUnits(run, 'posts', label('orgUnit'));
  await run(
    `WITH d AS (
       SELECT coalesce(unit_code, unit_path) AS u, post_type, title,
              array_agg(row_no ORDER BY row_no) AS rows
         FROM import_rows
        WHERE import_id = $1 AND kind = 'posts' AND post_type IS NOT NULL
          AND $2::text[] IS NOT NULL
        GROUP BY 1, 2, 3 HAVING count(*) > 1)
     UPDATE import_rows r SET ${appendError(
       label('title'),
       `'Chức danh "' || r.title || '" của đơn vị này trùng với dòng ' || array_to_string(array_remove(d.rows, r.row_no), ', ') || ' trong tệp.'`,
       `'Post "' || r.title || '" of this unit repeats on row ' || array_to_string(array_remove(d.rows, r.row_no), ', ') || '.'`,
     )}
       FROM d
      WHERE ${ROWS} AND coalesce(r.unit_code, r.unit_path) = d.u AND r.post_type = d.post_type
        AND r.title = d.title`,
  );
  await run(
    `UPDATE import_rows r SET target_id = p.id FROM posts p
      WHERE ${ROWS} AND p.org_unit_id = r.unit_id AND p.post_type::text = r.post_type
        AND p.title = r.title AND p.status = 'active' AND $2::text[] IS NOT NULL`,
  );
  // Whether one person or several hold a post decides the overlap checks of its appointments:
  // changed deliberately through PATCH /posts/:id, not by a spreadsheet.
  await run(
    `UPDATE import_rows r SET ${appendError(
      label('singleHolder'),
      `'Không đổi "một người đảm nhiệm" của chức danh đã có khi nhập tệp.'`,
      `'Whether an existing post has one holder is not changed by an import.'`,
    )}
       FROM posts p
      WHERE ${ROWS} AND p.id = r.target_id AND r.single_holder IS NOT NULL
        AND r.single_holder <> p.single_holder AND $2::text[] IS NOT NULL`,
  );
  await run(
    settleOutcome(
      ROWS,
      `EXISTS (SELECT 1 FROM posts p WHERE p.id = r.target_id AND (
              coalesce(r.employment, p.employment::text) IS DISTINCT FROM p.employment::text
           OR coalesce(r.key_post, p.key_post) IS DISTINCT FROM p.key_post))`,
    ),
  );
}

export async function applyPosts(em: EntityManager, importId: string): Promise<void> {
  await em.query(unitsMadeByFile(ROWS, `'created'`), [importId]);
  await em.query(
    `INSERT INTO posts (org_unit_id, post_type, title, employment, single_holder, key_post)
     SELECT r.unit_id, r.post_type::post_type, r.title,
            coalesce(r.employment, 'part_time')::post_employment,
            coalesce(r.single_holder, r.post_type IN (${inList(SINGLE_HOLDER_BY_DEFAULT)})),
            coalesce(r.key_post, r.post_type IN (${inList(KEY_POST_BY_DEFAULT)}))
       FROM import_rows r
      WHERE ${ROWS} AND r.outcome = 'created'`,
    [importId],
  );
  await em.query(
    `UPDATE posts p
        SET employment = coalesce(r.employment::post_employment, p.employment),
            key_post = coalesce(r.key_post, p.key_post), updated_at = now()
       FROM import_rows r
      WHERE ${ROWS} AND r.outcome = 'updated' AND p.id = r.target_id`,
    [importId],
  );
}
