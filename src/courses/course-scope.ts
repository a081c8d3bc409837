import { Actor } from '../auth/actor';
import { catalogueScopeRaw } from '../auth/catalogue-scope';

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
  return catalogueScopeRaw(
    actor,
    permission,
    start,
    mode === 'write' ? null : `c.status <> 'draft'`,
  );
}
