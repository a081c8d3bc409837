import type { EntityManager } from 'typeorm';

/**
 * SQL over "the same course": every version of a course shares its code (K01 v1, v2 …), so a
 * course is its code and a version is one row of `courses`. Other modules that keep a course id
 * (a programme's set, a development plan) use these instead of comparing ids, so that work done
 * on any version counts and new enrolments go to the current version. The arguments are SQL
 * expressions of course ids; served by uq_courses_code_version and ux_courses_published_code.
 */

/** The ids of every version of the course of `courseId`, as a subquery. */
export const courseVersionsSql = (courseId: string): string =>
  `(SELECT v.id FROM courses v JOIN courses f ON f.code = v.code WHERE f.id = ${courseId})`;

/** True when the course ids `a` and `b` are versions of the same course. */
export const sameCourseSql = (a: string, b: string): string => `${a} IN ${courseVersionsSql(b)}`;

/**
 * The id of the current (published) version of the course of `courseId`, or null when the
 * course is retired or was never published.
 */
export const currentVersionSql = (courseId: string): string =>
  `(SELECT v.id FROM courses v JOIN courses f ON f.code = v.code
     WHERE f.id = ${courseId} AND v.status = 'published')`;

/**
 * The id of the version of the course of `courseId` that is offered or was last offered: the
 * latest version that is not a draft. Its status tells whether the course takes enrolments
 * ('published') or is retired ('archived').
 */
export const latestReleasedVersionSql = (courseId: string): string =>
  `(SELECT v.id FROM courses v JOIN courses f ON f.code = v.code
     WHERE f.id = ${courseId} AND v.status <> 'draft'
     ORDER BY v.version_no DESC LIMIT 1)`;

/** Whether any of these courses has another version: bulk writers skip the family checks if not. */
export async function haveOtherVersions(
  em: EntityManager,
  courseIds: readonly string[],
): Promise<boolean> {
  const [row] = await em.query<{ any: boolean }[]>(
    `SELECT EXISTS (SELECT 1 FROM courses v JOIN courses f ON f.code = v.code
                     WHERE f.id = ANY($1::uuid[]) AND v.id <> f.id) AS any`,
    [courseIds],
  );
  return row.any;
}
