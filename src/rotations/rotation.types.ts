/**
 * A rotation (luân chuyển) moves a cadre on a planning list to an existing post elsewhere for a
 * set period. planned → active (start) → completed; planned or active → cancelled.
 */
export const ROTATION_STATUSES = ['planned', 'active', 'completed', 'cancelled'] as const;
export type RotationStatus = (typeof ROTATION_STATUSES)[number];

/** What people read for a status, beside the code. */
export const ROTATION_STATUS_LABELS: Record<RotationStatus, { vi: string; en: string }> = {
  planned: { vi: 'Đã lên kế hoạch', en: 'Planned' },
  active: { vi: 'Đang luân chuyển', en: 'Active' },
  completed: { vi: 'Đã hoàn thành', en: 'Completed' },
  cancelled: { vi: 'Đã hủy', en: 'Cancelled' },
};

/** The transitions the API allows: anything else answers 409 ROTATION_STATUS_INVALID. */
export const ROTATION_TRANSITIONS: Record<RotationStatus, readonly RotationStatus[]> = {
  planned: ['active', 'cancelled'],
  active: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

/**
 * The rotation rules of regulation 65-QĐ/TW (docs/domain.md#rotation), as configurable defaults
 * provided under ROTATION_POLICY.
 */
export interface RotationPolicy {
  /**
   * The planned end lies at least this many months after the start (usually 3 years); a
   * rotation completed before it needs a reason, recorded with it.
   */
  minMonths: number;
  /**
   * Years of service the person has left at the start, before their statutory retirement date
   * (at least 10, "5 in some cases": a deployment lowers it); 0 turns the check off.
   */
  minServiceYearsLeft: number;
  /** Only approved nominees of a planning cycle (not draft, not closed) are rotated. */
  requireApprovedNominee: boolean;
  /**
   * Whether completing (or cancelling an active) rotation appoints the person back to the post
   * they left, when the request does not say. Off by default: the home post has usually been
   * filled meanwhile, and what follows a rotation is a new assignment decided by HR.
   */
  returnToHomePostByDefault: boolean;
}

export const DEFAULT_ROTATION_POLICY: RotationPolicy = {
  minMonths: 36,
  minServiceYearsLeft: 10,
  requireApprovedNominee: true,
  returnToHomePostByDefault: false,
};

export const ROTATION_POLICY = Symbol('ROTATION_POLICY');
