import { Permission, rolesWith, Role } from './roles';

export interface ActorGrant {
  role: Role;
  orgUnitId: string;
  /** Materialized path of the grant's org unit: the grant covers every path with this prefix. */
  path: string;
}

/**
 * Who is calling: the account, the person behind it and the subtrees each role covers.
 * Services take it explicitly and filter every query by `scopePaths(permission)`.
 */
export class Actor {
  constructor(
    readonly userId: string,
    readonly personId: string,
    readonly email: string,
    readonly sessionId: string,
    readonly grants: readonly ActorGrant[],
  ) {}

  can(permission: Permission): boolean {
    const roles = rolesWith(permission);
    return this.grants.some((g) => roles.includes(g.role));
  }

  hasRole(role: Role): boolean {
    return this.grants.some((g) => g.role === role);
  }

  /** The smallest set of subtree prefixes over which the actor holds `permission`. */
  scopePaths(permission: Permission): string[] {
    const roles = rolesWith(permission);
    const paths = [
      ...new Set(this.grants.filter((g) => roles.includes(g.role)).map((g) => g.path)),
    ];
    return paths.filter((p) => !paths.some((q) => q !== p && p.startsWith(q)));
  }

  covers(permission: Permission, path: string): boolean {
    return this.scopePaths(permission).some((prefix) => path.startsWith(prefix));
  }
}

/**
 * A SQL condition "the path column lies in one of these subtrees", with its parameters.
 * Each prefix is its own LIKE so that the planner can use the btree index on the C-collated path.
 */
export function scopeCondition(
  pathColumn: string,
  paths: readonly string[],
  paramPrefix = 'scope',
): { sql: string; params: Record<string, string> } {
  if (paths.length === 0) return { sql: 'FALSE', params: {} };
  const params: Record<string, string> = {};
  const parts = paths.map((p, i) => {
    params[`${paramPrefix}${i}`] = `${p}%`;
    return `${pathColumn} LIKE :${paramPrefix}${i}`;
  });
  return { sql: parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`, params };
}

/** The same condition for raw SQL with positional parameters starting at `$start`. */
export function scopeConditionRaw(
  pathColumn: string,
  paths: readonly string[],
  start: number,
): { sql: string; params: string[] } {
  if (paths.length === 0) return { sql: 'FALSE', params: [] };
  const parts = paths.map((_, i) => `${pathColumn} LIKE $${start + i}`);
  return {
    sql: parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`,
    params: paths.map((p) => `${p}%`),
  };
}
