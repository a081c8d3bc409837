import { Actor, scopeConditionRaw } from '../auth/actor';
import { catalogueScopeRaw } from '../auth/catalogue-scope';
import { FRAMEWORK_OWNER_LEVELS } from './competency.types';

/**
 * Which frameworks an actor reads, as SQL over the owner unit's path `o.path`, with positional
 * parameters from `$start`: those owned by a unit inside the actor's subtrees, or by a unit on
 * the way from one of them up to the root (a national framework is everyone's framework).
 */
export function frameworkReadScope(actor: Actor, start: number): { sql: string; params: string[] } {
  return catalogueScopeRaw(actor, 'competencies:read', start, 'TRUE');
}

/**
 * Which frameworks an actor manages: owned by a unit in the actor's competencies:manage
 * subtrees, at the level of the confederation, a federation or a sectoral union.
 */
export function frameworkManageScope(
  actor: Actor,
  start: number,
): { sql: string; params: string[] } {
  const inside = scopeConditionRaw('o.path', actor.scopePaths('competencies:manage'), start);
  const levels = FRAMEWORK_OWNER_LEVELS.map((l) => `'${l}'`).join(', ');
  return { sql: `(${inside.sql} AND o.level IN (${levels}))`, params: inside.params };
}
