import type { LocalizedDetail } from '../common/errors/domain-error';
import { interpolate } from '../common/http/language';
import type { OrgLevel } from '../org-units/org-unit.types';

/**
 * The wording of every error detail the competency module writes, in Vietnamese and English.
 * A detail carries both; the exception filter answers the caller's language (and the CSV import
 * report picks it by the same Accept-Language). `{name}` placeholders are filled from params.
 */
const TEXTS = {
  codeInvalid: {
    vi: 'Mã không hợp lệ: chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch dưới; tối đa 40 ký tự.',
    en: 'Invalid code: letters, digits, dots, hyphens and underscores only, at most 40 characters.',
  },
  codeTaken: {
    vi: 'Mã {code} đã được dùng cho một khung năng lực khác.',
    en: 'Code {code} is already used by another framework.',
  },
  ownerLevel: {
    vi: 'Đơn vị này là {level}; khung năng lực chỉ thuộc Tổng Liên đoàn, liên đoàn lao động tỉnh, thành phố hoặc công đoàn ngành trung ương.',
    en: 'This unit is {levelEn}; a framework belongs only to the confederation, a provincial federation or a central sectoral union.',
  },
  policyYearsOnlyHighest: {
    vi: 'Số năm chỉ dùng cho chính sách lấy mức cao nhất còn hiệu lực trong N năm.',
    en: 'Years apply only to the highest-valid-within-N-years policy.',
  },
  levelsInOrder: {
    vi: 'Các mức phải được đánh số liên tục từ 1 đến {levels}; ở vị trí này phải là mức {expected}.',
    en: 'Levels must be numbered 1 to {levels} in order; expected level {expected} here.',
  },
  proficientOffScale: {
    vi: 'Mức thành thạo phải là một mức của thang (1–{levels}).',
    en: 'The proficient level must be a level of the scale (1–{levels}).',
  },
  levelOffScale: {
    vi: 'Phải là một mức của thang (1–{levels}).',
    en: 'Must be a level of the scale (1–{levels}).',
  },
  domainTwice: {
    vi: 'Mã nhóm năng lực {code} bị trùng.',
    en: 'Domain code {code} appears twice.',
  },
  competencyTwice: {
    vi: 'Mã năng lực {code} bị trùng.',
    en: 'Competency code {code} appears twice.',
  },
  domainUnknown: {
    vi: 'Phiên bản không có nhóm năng lực {code}.',
    en: 'The version has no domain {code}.',
  },
  indicatorTwice: {
    vi: 'Mức {level} đã có một chỉ báo hành vi.',
    en: 'Level {level} already has a behaviour indicator.',
  },
  selfRatingMissing: {
    vi: 'Chưa tự đánh giá năng lực {code}.',
    en: 'Competency {code} is not rated.',
  },
  ratedOnFuture: {
    vi: 'Ngày đánh giá không được sau hôm nay.',
    en: 'The rating date must not be in the future.',
  },
  validUntilBeforeRatedOn: {
    vi: 'Ngày hết hiệu lực không được trước ngày đánh giá.',
    en: 'The valid-until date must be on or after the rating date.',
  },
  codeOrId: {
    vi: 'Nêu năng lực bằng mã hoặc bằng mã định danh, không dùng cả hai.',
    en: 'Name the competency by code or by id, not both.',
  },
  notInVersion: {
    vi: 'Không phải năng lực của phiên bản này.',
    en: 'Not a competency of this version.',
  },
  codeNotInVersion: {
    vi: 'Phiên bản này không có năng lực {code}.',
    en: 'This version has no competency {code}.',
  },
  ratedTwice: {
    vi: 'Năng lực {code} được đánh giá hai lần.',
    en: 'Competency {code} is rated twice.',
  },
  requiredTwice: {
    vi: 'Năng lực {code} được nêu hai lần.',
    en: 'Competency {code} is listed twice.',
  },
  // Reading an IMS CASE package.
  caseNotPackage: {
    vi: 'Phải là một gói CASE: đối tượng JSON có CFDocument, CFItems và CFAssociations.',
    en: 'Must be a CASE package: a JSON object with CFDocument, CFItems and CFAssociations.',
  },
  mustBeObject: { vi: 'Phải là một đối tượng.', en: 'Must be an object.' },
  mustBeArray: { vi: 'Phải là một danh sách.', en: 'Must be an array.' },
  required: { vi: 'Trường này là bắt buộc.', en: 'This field is required.' },
  caseNoItems: {
    vi: 'Gói CASE không có mục nào để tạo năng lực.',
    en: 'The CASE package has no items to make competencies of.',
  },
  caseIdentifierTwice: {
    vi: 'Mã định danh {identifier} đã dùng cho một mục khác của gói.',
    en: 'Identifier {identifier} is already used by another item of the package.',
  },
  caseNodeIdentifiers: {
    vi: 'Liên kết phải nêu mã định danh của nút nguồn và nút đích.',
    en: 'The association must give the identifiers of its origin and destination nodes.',
  },
  caseParentUnknown: {
    vi: 'Liên kết “là con của” trỏ tới {identifier}, không phải tài liệu hay một mục của gói.',
    en: 'The isChildOf association points at {identifier}, which is neither the document nor an item of the package.',
  },
  caseCycle: {
    vi: 'Mục này nằm trong một vòng lặp quan hệ cha – con.',
    en: 'This item is part of a parent–child cycle.',
  },
  caseCodeMissing: {
    vi: 'Gói CASE không có mã khung năng lực; hãy nêu mã trong yêu cầu.',
    en: 'The CASE package carries no framework code; give one in the request.',
  },
} as const;

export type DetailText = keyof typeof TEXTS;

/** One detail of `field` in both languages. */
export function detail(
  field: string,
  key: DetailText,
  params: Record<string, string | number> = {},
): LocalizedDetail {
  const text = TEXTS[key];
  return { field, vi: interpolate(text.vi, params), en: interpolate(text.en, params) };
}

/** Org levels as people name them, for details about a unit's level. */
const ORG_LEVEL_NAMES: Record<OrgLevel, { vi: string; en: string }> = {
  confederation: { vi: 'Tổng Liên đoàn', en: 'the confederation' },
  federation: { vi: 'liên đoàn lao động tỉnh, thành phố', en: 'a provincial federation' },
  sectoral: { vi: 'công đoàn ngành trung ương', en: 'a central sectoral union' },
  upper: {
    vi: 'công đoàn cấp trên trực tiếp cơ sở',
    en: 'an upper-level union directly above grassroots',
  },
  grassroots: { vi: 'công đoàn cơ sở', en: 'a grassroots union' },
  sub_unit: { vi: 'công đoàn bộ phận, tổ công đoàn', en: 'a union section or group' },
};

/** The detail of a framework owner at a level that owns no framework. */
export function ownerLevelDetail(level: OrgLevel): LocalizedDetail {
  return detail('ownerOrgUnitId', 'ownerLevel', {
    level: ORG_LEVEL_NAMES[level].vi,
    levelEn: ORG_LEVEL_NAMES[level].en,
  });
}
