import { RawDetail, RequestValidationError } from '../common/http/validation';
import { CourseSetInputDto } from './dto/programme.dto';
import { ProgrammeEntity } from './programme.entities';
import { windowTooLong } from './recertification-dates';

/**
 * The rules a programme's fields obey together, beyond each field's own validation: 400
 * VALIDATION_FAILED with details worded in Vietnamese (English with Accept-Language: en).
 */

/** The due and recertification fields after an update, checked as a whole. */
export type Rules = Pick<
  ProgrammeEntity,
  'dueRuleKind' | 'dueDays' | 'dueDate' | 'recertValidityMonths' | 'recertWindowDays'
>;

/** A field's fault worded in both languages (the answer carries the caller's). */
const fault = (field: string, vi: string, en: string): RawDetail => ({
  field,
  constraint: 'programmeRule',
  vi,
  en,
});

/**
 * The due and recertification rules as a whole (create, and update after merging with what is
 * stored). `changed` names the fields the request sends, so a fault is pinned on the field the
 * caller touched. A recertification window must be shorter than the validity at its shortest,
 * or it would open before the completion it renews.
 */
export function checkRules(r: Rules, changed: (keyof Rules)[] = []): void {
  const details: RawDetail[] = [];
  if (r.dueRuleKind === 'days_after_assignment') {
    if (!r.dueDays) {
      details.push(
        fault(
          'dueDays',
          'Bắt buộc khi hạn hoàn thành tính theo số ngày sau khi giao.',
          'required for days_after_assignment',
        ),
      );
    }
    if (r.dueDate) {
      details.push(
        fault('dueDate', 'Chỉ dùng khi hạn hoàn thành là một ngày cố định.', 'only for fixed_date'),
      );
    }
  } else {
    if (!r.dueDate) {
      details.push(
        fault(
          'dueDate',
          'Bắt buộc khi hạn hoàn thành là một ngày cố định.',
          'required for fixed_date',
        ),
      );
    }
    if (r.dueDays) {
      details.push(
        fault(
          'dueDays',
          'Chỉ dùng khi hạn hoàn thành tính theo số ngày sau khi giao.',
          'only for days_after_assignment',
        ),
      );
    }
  }
  if (r.recertWindowDays !== null && r.recertValidityMonths === null) {
    details.push(
      fault(
        'recertWindowDays',
        'Cần khai báo thời hạn hiệu lực (số tháng) trước khi đặt thời gian mở bồi dưỡng lại.',
        'needs recertValidityMonths',
      ),
    );
  }
  if (r.recertWindowDays !== null && r.recertValidityMonths !== null) {
    const field =
      changed.includes('recertValidityMonths') && !changed.includes('recertWindowDays')
        ? 'recertValidityMonths'
        : 'recertWindowDays';
    const tooLong = recertWindowFault(field, r.recertValidityMonths, r.recertWindowDays);
    if (tooLong) details.push(tooLong);
  }
  if (details.length) throw new RequestValidationError(details);
}

export function checkSets(sets: CourseSetInputDto[]): void {
  const details: RawDetail[] = [];
  const seen = new Set<string>();
  sets.forEach((s, i) => {
    if (s.rule === 'at_least_n' && s.minCount !== undefined && s.minCount > s.courseIds.length) {
      details.push(
        fault(
          `sets[${i}].minCount`,
          `Không được lớn hơn số khóa học của nhóm (${s.courseIds.length}).`,
          `must be at most the set size (${s.courseIds.length})`,
        ),
      );
    }
    if (s.rule !== 'at_least_n' && s.minCount !== undefined) {
      details.push(
        fault(
          `sets[${i}].minCount`,
          'Chỉ dùng cho nhóm “hoàn thành tối thiểu N khóa”.',
          'only for at_least_n',
        ),
      );
    }
    s.courseIds.forEach((c, j) => {
      if (seen.has(c)) {
        details.push(
          fault(
            `sets[${i}].courseIds[${j}]`,
            'Khóa học đã có trong chương trình.',
            'course already in the programme',
          ),
        );
      }
      seen.add(c);
    });
  });
  if (details.length) throw new RequestValidationError(details);
}

/**
 * A recertification window must be shorter than the validity at its shortest, or it would open
 * before the completion it renews (and the next cycle be assigned at once). Null when it is.
 */
export function recertWindowFault(
  field: string,
  validityMonths: number,
  windowDays: number,
): RawDetail | null {
  const max = windowTooLong(validityMonths, windowDays);
  if (max === null) return null;
  return fault(
    field,
    `Thời gian mở bồi dưỡng lại (${windowDays} ngày) phải ngắn hơn thời hạn hiệu lực: ${validityMonths} tháng có thể chỉ dài ${max + 1} ngày, nên tối đa là ${max} ngày.`,
    `The recertification window (${windowDays} days) must be shorter than the validity: ${validityMonths} months can be as short as ${max + 1} days, so at most ${max} days.`,
  );
}
