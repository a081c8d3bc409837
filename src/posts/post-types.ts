/**
 * The posts (chức danh) a union organisation fills. Shared by posts, role profiles (competencies)
 * and planning: one list, one set of labels.
 */
export const POST_TYPES = [
  'chair',
  'vice_chair',
  'standing_member',
  'executive_member',
  'inspection_chair',
  'inspection_member',
  'women_head',
] as const;
export type PostType = (typeof POST_TYPES)[number];

export const POST_TYPE_LABELS: Record<PostType, { vi: string; en: string }> = {
  chair: { vi: 'Chủ tịch', en: 'Chair' },
  vice_chair: { vi: 'Phó Chủ tịch', en: 'Vice-chair' },
  standing_member: { vi: 'Ủy viên Ban Thường vụ', en: 'Standing committee member' },
  executive_member: { vi: 'Ủy viên Ban Chấp hành', en: 'Executive committee member' },
  inspection_chair: { vi: 'Chủ nhiệm Ủy ban Kiểm tra', en: 'Inspection committee chair' },
  inspection_member: { vi: 'Ủy viên Ủy ban Kiểm tra', en: 'Inspection committee member' },
  women_head: { vi: 'Trưởng Ban Nữ công', en: "Head of the women's committee" },
};

/** Posts that only one person holds at a time, unless a post says otherwise. */
export const SINGLE_HOLDER_BY_DEFAULT: ReadonlySet<PostType> = new Set<PostType>([
  'chair',
  'inspection_chair',
  'women_head',
]);

/** Key posts (the leadership pipeline of cadre planning), unless a post says otherwise. */
export const KEY_POST_BY_DEFAULT: ReadonlySet<PostType> = new Set<PostType>([
  'chair',
  'vice_chair',
]);

export function isPostType(value: unknown): value is PostType {
  return typeof value === 'string' && (POST_TYPES as readonly string[]).includes(value);
}
