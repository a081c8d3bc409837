import { Actor, scopeConditionRaw } from '../auth/actor';

/**
 * Which programmes an officer may see, as SQL over the owner unit's path `o.path` and the
 * programme status `pr.status` (positional parameters from `$start`) — the same rule as
 * courses: 'write' inside the officer's training:manage subtree; 'use' (read, assign) inside
 * the scope of `permission`, or a published programme of a unit above the officer (a national
 * programme is in every federation's catalogue).
 */
export function programmeScopeRaw(
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
    sql: `(${inside.sql} OR (pr.status = 'published' AND (${above})))`,
    params: [...inside.params, ...paths],
  };
}
