import { EntityManager } from 'typeorm';
import { Actor, scopeConditionRaw } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { courseScopeRaw } from './course-scope';
import { sameCourseSql } from './course-family.sql';
import { SessionStatus } from './session.types';

/** A session row as the services read it, with its course's owner unit. */
export interface SessionRow {
  id: string;
  course_id: string;
  owner_org_unit_id: string;
  course_code: string;
  course_title: string;
  title: string;
  status: SessionStatus;
  venue_name: string | null;
  venue_address: string | null;
  venue_room: string | null;
  venue_capacity: number | null;
  online_url: string | null;
  external_trainers: string[];
  signup_opens_at: Date;
  signup_closes_at: Date;
  min_seats: number;
  max_seats: number;
  cancel_cutoff_hours: number;
  first_starts_at: Date | null;
}

const SESSION_SELECT = `SELECT s.id, s.course_id, c.owner_org_unit_id, c.code AS course_code,
       c.title AS course_title, s.title, s.status, s.venue_name, s.venue_address, s.venue_room,
       s.venue_capacity, s.online_url, s.external_trainers, s.signup_opens_at, s.signup_closes_at,
       s.min_seats, s.max_seats, s.cancel_cutoff_hours,
       (SELECT min(d.starts_at) FROM class_session_days d WHERE d.session_id = s.id) AS first_starts_at
  FROM class_sessions s
  JOIN courses c ON c.id = s.course_id
  JOIN org_units o ON o.id = c.owner_org_unit_id`;

/**
 * Who may reach a session, in one query (the SESSION_NOT_FOUND answer never tells whether it
 * exists elsewhere):
 * - 'manage': a training officer whose training:manage subtree holds the course's owner unit;
 * - 'read': staff with training:read over the course (its catalogue), or a person enrolled in
 *   any version of the course (a learner sees the sessions of what they take, once out of
 *   draft: a session being prepared is the officers' alone).
 * `lock` takes the session row FOR UPDATE: the seat logic serialises on it.
 */
export async function findSession(
  em: EntityManager,
  actor: Actor,
  id: string,
  mode: 'manage' | 'read',
  lock = false,
): Promise<SessionRow> {
  const learnerToo = mode === 'read';
  const scope = courseScopeRaw(actor, mode === 'manage' ? 'write' : 'use', learnerToo ? 3 : 2);
  const learner = learnerToo
    ? ` OR (s.status <> 'draft' AND EXISTS (SELECT 1 FROM enrolments e
                    WHERE e.person_id = $2 AND ${sameCourseSql('e.course_id', 's.course_id')}))`
    : '';
  const rows = await em.query<SessionRow[]>(
    `${SESSION_SELECT} WHERE s.id = $1 AND (${scope.sql}${learner})
     ${lock ? 'FOR UPDATE OF s' : ''}`,
    [id, ...(learnerToo ? [actor.personId] : []), ...scope.params],
  );
  if (!rows[0]) throw new DomainError('SESSION_NOT_FOUND');
  return rows[0];
}

/** Sessions of courses, as SESSION_SELECT gives them, by id (no scope: the caller checked it). */
export function sessionsByIds(em: EntityManager, ids: readonly string[]): Promise<SessionRow[]> {
  return em.query<SessionRow[]>(
    `${SESSION_SELECT} WHERE s.id = ANY($1::uuid[]) ORDER BY first_starts_at, s.id`,
    [ids],
  );
}

/** Whether the actor holds training:manage over the course's owner unit. */
export async function managesCourse(
  em: EntityManager,
  actor: Actor,
  courseId: string,
): Promise<boolean> {
  const scope = courseScopeRaw(actor, 'write', 2);
  const rows = await em.query<unknown[]>(
    `SELECT 1 FROM courses c JOIN org_units o ON o.id = c.owner_org_unit_id
      WHERE c.id = $1 AND ${scope.sql}`,
    [courseId, ...scope.params],
  );
  return rows.length > 0;
}

/**
 * People of a list that lie in the actor's training:manage subtree (by home unit); the others
 * answer PERSON_NOT_FOUND (404) naming each by its place in the list `field`.
 */
export async function assertPeopleInScope(
  em: EntityManager,
  actor: Actor,
  personIds: readonly string[],
  field: string,
): Promise<void> {
  if (!personIds.length) return;
  const scope = scopeConditionRaw('o.path', actor.scopePaths('training:manage'), 2);
  const found = await em.query<{ id: string }[]>(
    `SELECT p.id FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
      WHERE p.id = ANY($1::uuid[]) AND ${scope.sql}`,
    [personIds, ...scope.params],
  );
  const inScope = new Set(found.map((r) => r.id));
  const missing = personIds
    .map((id, i) => ({ id, i }))
    .filter((p) => !inScope.has(p.id))
    .map((p) => ({ field: `${field}[${p.i}]`, message: p.id }));
  if (missing.length) throw new DomainError('PERSON_NOT_FOUND', {}, missing);
}
