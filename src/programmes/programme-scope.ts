import { Actor } from '../auth/actor';
import { catalogueScopeRaw } from '../auth/catalogue-scope';

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
  return catalogueScopeRaw(
    actor,
    permission,
    start,
    mode === 'write' ? null : `pr.status = 'published'`,
  );
}
