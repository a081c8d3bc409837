import { Actor, scopeConditionRaw } from './actor';
import { Permission } from './roles';

/**
 * The one rule of every catalogue (courses, programmes, competency frameworks): an actor reads
 * what a unit of their own subtree owns, and what a unit above them owns once it is visible
 * there (published, or not a draft) — a national course is in every federation's catalogue,
 * a Bắc Ninh draft is not in Hà Nội's. As SQL over the owner unit's path `o.path`, positional
 * parameters from `$start`.
 *
 * `visibleAbove` is the SQL condition that makes a row of a unit above visible ('TRUE' for
 * every row); null keeps the subtree only (writing is never allowed above).
 */
export function catalogueScopeRaw(
  actor: Actor,
  permission: Permission,
  start: number,
  visibleAbove: string | null,
): { sql: string; params: string[] } {
  const paths = actor.scopePaths(permission);
  const inside = scopeConditionRaw('o.path', paths, start);
  if (visibleAbove === null || paths.length === 0) return inside;
  const base = start + inside.params.length;
  const above = paths.map((_, i) => `$${base + i} LIKE o.path || '%'`).join(' OR ');
  const aboveSql = visibleAbove === 'TRUE' ? above : `(${visibleAbove} AND (${above}))`;
  return { sql: `(${inside.sql} OR ${aboveSql})`, params: [...inside.params, ...paths] };
}
