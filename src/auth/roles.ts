export const ROLES = ['admin', 'hr', 'training_officer', 'learner'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What each role may do. A route names one permission; a grant of a role at an org unit gives
 * that role's permissions over the unit's whole subtree.
 */
export const PERMISSIONS = {
  'org-units:read': ['admin', 'hr', 'training_officer', 'learner'],
  'org-units:write': ['admin', 'hr'],
  'people:read': ['admin', 'hr', 'training_officer'],
  'people:write': ['admin', 'hr'],
  'people:read-national-id': ['admin', 'hr'],
  'accounts:manage': ['admin'],
  'training:read': ['admin', 'hr', 'training_officer'],
  'training:manage': ['admin', 'training_officer'],
  /** Suspend, reinstate, revoke and reissue certificates of people in the grant's subtree. */
  'certificates:manage': ['admin', 'training_officer'],
  'hr:manage': ['admin', 'hr'],
  'competencies:read': ['admin', 'hr', 'training_officer', 'learner'],
  'competencies:manage': ['admin', 'hr'],
  'competencies:rate': ['admin', 'hr', 'training_officer'],
  'self:use': ['admin', 'hr', 'training_officer', 'learner'],
  /** Whole-system operations (the daily scan on demand): administrators only. */
  'operations:run': ['admin'],
  /** The audit log of changes (planning, rotations …) within the grant's subtree. */
  'audit:read': ['admin', 'hr'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function rolesWith(permission: Permission): readonly Role[] {
  return PERMISSIONS[permission];
}
