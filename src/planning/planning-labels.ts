import type { Bilingual } from '../common/text/bilingual';
import type { SuggestionReason } from './readiness-suggestion';
import type {
  NominationStatus,
  PlanningCycleStatus,
  Readiness,
  RemovalReason,
  ReviewDecision,
} from './planning.types';

/**
 * What people read for the planning codes. The API keeps the stable code and adds its label
 * beside it in the caller's language (Vietnamese unless Accept-Language: en); error messages
 * name statuses and readiness by these labels, never by the code.
 */
export const READINESS_LABELS: Record<Readiness, Bilingual> = {
  ready_now: { vi: 'Sẵn sàng ngay', en: 'Ready now' },
  ready_1_2_years: { vi: 'Sẵn sàng sau 1–2 năm', en: 'Ready in 1–2 years' },
  ready_3_plus_years: { vi: 'Sẵn sàng sau 3 năm trở lên', en: 'Ready in 3 or more years' },
};

export const CYCLE_STATUS_LABELS: Record<PlanningCycleStatus, Bilingual> = {
  draft: { vi: 'Dự thảo', en: 'Draft' },
  open: { vi: 'Đang lập danh sách', en: 'Open' },
  submitted: { vi: 'Đã trình cấp trên', en: 'Submitted' },
  approved: { vi: 'Đã phê duyệt', en: 'Approved' },
  closed: { vi: 'Đã kết thúc', en: 'Closed' },
};

export const NOMINATION_STATUS_LABELS: Record<NominationStatus, Bilingual> = {
  proposed: { vi: 'Đề xuất', en: 'Proposed' },
  approved: { vi: 'Đã phê duyệt', en: 'Approved' },
  removed: { vi: 'Đã đưa ra khỏi quy hoạch', en: 'Removed from the list' },
};

export const REMOVAL_REASON_LABELS: Record<RemovalReason, Bilingual> = {
  over_age: { vi: 'Không còn đủ tuổi quy hoạch', en: 'Over the planning age' },
  discipline: { vi: 'Bị kỷ luật', en: 'Disciplined' },
  not_completed_evaluation: {
    vi: 'Xếp loại Không hoàn thành nhiệm vụ',
    en: 'Evaluated "not completed"',
  },
  moved: { vi: 'Chuyển công tác', en: 'Moved to other work' },
  other: { vi: 'Lý do khác', en: 'Other reason' },
};

export const REVIEW_DECISION_LABELS: Record<ReviewDecision, Bilingual> = {
  kept: { vi: 'Giữ lại trong quy hoạch', en: 'Kept on the list' },
  removed: { vi: 'Đưa ra khỏi quy hoạch', en: 'Removed from the list' },
};

export const SUGGESTION_REASON_LABELS: Record<SuggestionReason, Bilingual> = {
  NO_ROLE_PROFILE: {
    vi: 'Chức danh chưa có khung năng lực yêu cầu',
    en: 'The post has no role profile',
  },
  CRITICAL_GAPS: {
    vi: 'Còn thiếu hụt ở năng lực then chốt',
    en: 'Gaps in critical competencies',
  },
  EVALUATION_BELOW_GOOD: {
    vi: 'Xếp loại gần nhất thấp hơn Hoàn thành tốt nhiệm vụ',
    en: 'Latest evaluation below "good"',
  },
  NO_EVALUATION: { vi: 'Chưa có kết quả đánh giá, xếp loại', en: 'Never evaluated' },
  GAP_OVER_ONE_LEVEL: {
    vi: 'Có năng lực thiếu hụt hơn một bậc',
    en: 'A competency more than one level short',
  },
  NOT_COMPLETED_EVALUATION: {
    vi: 'Xếp loại gần nhất là Không hoàn thành nhiệm vụ',
    en: 'Latest evaluation "not completed"',
  },
};

/** Warnings a planning list answers with when it is submitted: never refusals. */
export const PLANNING_WARNINGS = [
  'no_nominees',
  'women_below_target',
  'under40_below_target',
  'post_without_nominees',
] as const;
export type PlanningWarning = (typeof PLANNING_WARNINGS)[number];

export const PLANNING_WARNING_TEXTS: Record<PlanningWarning, Bilingual> = {
  no_nominees: {
    vi: 'Danh sách quy hoạch chưa có cán bộ nào.',
    en: 'The planning list has no nominees.',
  },
  women_below_target: {
    vi: 'Tỷ lệ cán bộ nữ trong danh sách quy hoạch là {share} ({count}/{total}), thấp hơn mục tiêu {target}.',
    en: 'Women are {share} of the nominees ({count} of {total}), below the {target} target.',
  },
  under40_below_target: {
    vi: 'Tỷ lệ cán bộ dưới 40 tuổi trong danh sách quy hoạch là {share} ({count}/{total}), thấp hơn mục tiêu {target}.',
    en: 'Nominees under 40 are {share} of the list ({count} of {total}), below the {target} target.',
  },
  post_without_nominees: {
    vi: 'Chức danh {post} chưa có cán bộ quy hoạch.',
    en: 'The post {post} has no nominee.',
  },
};
