import { Actor, scopeConditionRaw } from '../auth/actor';

/**
 * Which courses an officer may see, as SQL over the owner unit's path `o.path` and the course
 * status `c.status`, with positional parameters from `$start`.
 * - 'write': the owner unit lies in the officer's training:manage subtree.
 * - 'use' (read, enrol): the same with the permission given, or a course of a unit above the
 *   officer that is not a draft (a national course is in every federation's catalogue; its
 *   superseded and retired versions stay readable, since learners there may still hold them —
 *   enrolling checks the status on its own).
 */
export function courseScopeRaw(
  actor: Actor,
  mode: 'write' | 'use',
  start: number,
  permission: 'training:manage' | 'training:read' = mode === 'write'
    ? 'training:manage'
    : 'training:read',
): { sql: string; params: string[] } {
  const paths = actor.scopePaths(permission);
  const inside = scopeConditionRaw('o.path', paths, start);
  if (mode === 'write' || paths.length === 0) return inside;
  const base = start + inside.params.length;
  const above = paths.map((_, i) => `$${base + i} LIKE o.path || '%'`).join(' OR ');
  return {
    sql: `(${inside.sql} OR (c.status <> 'draft' AND (${above})))`,
    params: [...inside.params, ...paths],
  };
}
