import { rowColumns, Queryable } from '../common/sql/row-columns';
import { Gender } from '../people/person.types';
import { PostType } from '../posts/post-types';
import { ReviewFlagsDto } from './dto/planning.dto';
import { NominationStatus, Readiness, RemovalReason, ReviewDecision } from './planning.types';

/** A nomination with its post and nominee, as every nomination read returns it. */
export interface NominationRow {
  id: string;
  cycle_id: string;
  post_id: string;
  post_title: string;
  post_type: PostType;
  post_org_unit_id: string;
  person_id: string;
  full_name: string;
  gender: Gender | null;
  birth_date: string | null;
  readiness: Readiness;
  readiness_override_reason: string | null;
  status: NominationStatus;
  removal_reason: RemovalReason | null;
  removal_note: string | null;
  first_time: boolean;
  proposed_by: string | null;
  approved_by: string | null;
  approved_at: Date | string | null;
  removed_by: string | null;
  removed_at: Date | string | null;
  created_at: Date | string;
}

export const NOMINATION_ROW_COLUMNS = rowColumns<NominationRow>({
  id: true,
  cycle_id: true,
  post_id: true,
  post_title: true,
  post_type: true,
  post_org_unit_id: true,
  person_id: true,
  full_name: true,
  gender: true,
  birth_date: true,
  readiness: true,
  readiness_override_reason: true,
  status: true,
  removal_reason: true,
  removal_note: true,
  first_time: true,
  proposed_by: true,
  approved_by: true,
  approved_at: true,
  removed_by: true,
  removed_at: true,
  created_at: true,
});

const NOMINATION_SELECT = `SELECT n.id, n.cycle_id, n.post_id, po.title AS post_title,
  po.post_type, po.org_unit_id AS post_org_unit_id, n.person_id, pe.full_name, pe.gender,
  pe.birth_date::text AS birth_date, n.readiness, n.readiness_override_reason, n.status,
  n.removal_reason, n.removal_note, n.first_time, n.proposed_by,
  n.approved_by, n.approved_at, n.removed_by, n.removed_at, n.created_at
  FROM nominations n
  JOIN posts po ON po.id = n.post_id
  JOIN people pe ON pe.id = n.person_id`;

/** One nomination of a cycle (row-locked with `lock`, inside a transaction). */
export async function findNominationOfCycle(
  db: Queryable,
  cycleId: string,
  id: string,
  lock = false,
): Promise<NominationRow | undefined> {
  const [row] = await db.query<NominationRow[]>(
    `${NOMINATION_SELECT}
      WHERE n.id = $1 AND n.cycle_id = $2
      ${lock ? 'FOR UPDATE OF n' : ''}`,
    [id, cycleId],
  );
  return row;
}

/** One keyset page (limit + 1 rows) of a cycle's nominations by post, readiness and id. */
export async function findNominationsPageOfCycle(
  db: Queryable,
  q: {
    cycleId: string;
    limit: number;
    postId?: string;
    status?: NominationStatus;
    after?: readonly [string, Readiness, string];
  },
): Promise<NominationRow[]> {
  const params: unknown[] = [q.cycleId, q.limit + 1];
  let filters = '';
  if (q.postId) {
    params.push(q.postId);
    filters += ` AND n.post_id = $${params.length}::uuid`;
  }
  if (q.status) {
    params.push(q.status);
    filters += ` AND n.status = $${params.length}::nomination_status`;
  }
  if (q.after) {
    params.push(...q.after);
    const i = params.length;
    filters += ` AND (n.post_id, n.readiness, n.id)
                   > ($${i - 2}::uuid, $${i - 1}::nomination_readiness, $${i}::uuid)`;
  }
  return db.query<NominationRow[]>(
    `${NOMINATION_SELECT}
      WHERE n.cycle_id = $1 ${filters}
      ORDER BY n.post_id, n.readiness, n.id
      LIMIT $2`,
    params,
  );
}

/** A yearly review entry with its nomination's post and nominee. */
export interface ReviewRow {
  id: string;
  nomination_id: string;
  cycle_id: string;
  review_year: number;
  person_id: string;
  full_name: string;
  post_id: string;
  post_title: string;
  readiness_before: Readiness;
  readiness_after: Readiness | null;
  decision: ReviewDecision | null;
  flags: ReviewFlagsDto;
  note: string | null;
  reviewer: string | null;
  decided_at: Date | string | null;
  created_at: Date | string;
}

export const REVIEW_ROW_COLUMNS = rowColumns<ReviewRow>({
  id: true,
  nomination_id: true,
  cycle_id: true,
  review_year: true,
  person_id: true,
  full_name: true,
  post_id: true,
  post_title: true,
  readiness_before: true,
  readiness_after: true,
  decision: true,
  flags: true,
  note: true,
  reviewer: true,
  decided_at: true,
  created_at: true,
});

const REVIEW_SELECT = `SELECT r.id, r.nomination_id, r.cycle_id, r.review_year, n.person_id,
  pe.full_name, n.post_id, po.title AS post_title, r.readiness_before, r.readiness_after,
  r.decision, r.flags, r.note, r.reviewer, r.decided_at, r.created_at
  FROM nomination_reviews r
  JOIN nominations n ON n.id = r.nomination_id
  JOIN posts po ON po.id = n.post_id
  JOIN people pe ON pe.id = n.person_id`;

/** One review entry of a cycle (row-locked with `lock`, inside a transaction). */
export async function findReviewOfCycle(
  db: Queryable,
  cycleId: string,
  id: string,
  lock = false,
): Promise<ReviewRow | undefined> {
  const [row] = await db.query<ReviewRow[]>(
    `${REVIEW_SELECT}
      WHERE r.id = $1 AND r.cycle_id = $2 ${lock ? 'FOR UPDATE OF r' : ''}`,
    [id, cycleId],
  );
  return row;
}

/** One keyset page (limit + 1 rows) of a cycle's review entries, newest year first. */
export async function findReviewsPageOfCycle(
  db: Queryable,
  q: { cycleId: string; limit: number; year?: number; after?: readonly [number, string] },
): Promise<ReviewRow[]> {
  const params: unknown[] = [q.cycleId, q.limit + 1];
  let filters = '';
  if (q.year !== undefined) {
    params.push(q.year);
    filters += ` AND r.review_year = $${params.length}::int`;
  }
  if (q.after) {
    params.push(q.after[0], q.after[1]);
    filters += ` AND (r.review_year, r.id) < ($${params.length - 1}::int, $${params.length}::uuid)`;
  }
  return db.query<ReviewRow[]>(
    `${REVIEW_SELECT}
      WHERE r.cycle_id = $1 ${filters}
      ORDER BY r.review_year DESC, r.id DESC
      LIMIT $2`,
    params,
  );
}
