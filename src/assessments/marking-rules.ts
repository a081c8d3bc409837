import { detail, DomainError, LocalizedDetail } from '../common/errors/domain-error';
import { decimalPlaces } from '../common/http/validators';
import { round2 } from './grading';
import { RubricCriterion } from './questions/question-model';

/** How an assessment is marked by people: one marker, or two with a third on disagreement. */
export interface MarkingRule {
  secondMarking: boolean;
  /** Two marks further apart than this go to a third marker; null: always averaged. */
  threshold: number | null;
}

/** The current (not superseded) marks of one answer, by marker number. */
export interface CurrentMarks {
  1?: number;
  2?: number;
  3?: number;
}

export type MarkerSlot = 1 | 2 | 3;

/** Whether marks 1 and 2 disagree by more than the threshold (never with a null threshold). */
export function disagree(rule: MarkingRule, m1: number, m2: number): boolean {
  return rule.threshold !== null && Math.abs(m1 - m2) > rule.threshold;
}

/**
 * The slot the answer waits for next: the first mark; the second when the assessment asks
 * for second marking; the third only when the first two disagree beyond the threshold. Null
 * when the answer has what it needs.
 */
export function nextSlot(rule: MarkingRule, marks: CurrentMarks): MarkerSlot | null {
  const m1 = marks[1];
  if (m1 === undefined) return 1;
  if (!rule.secondMarking) return null;
  const m2 = marks[2];
  if (m2 === undefined) return 2;
  return disagree(rule, m1, m2) && marks[3] === undefined ? 3 : null;
}

/**
 * The final points of a marked answer, or null while it waits: without second marking the
 * first mark; with it the average of the first two when they agree within the threshold,
 * else the third mark.
 */
export function finalPoints(rule: MarkingRule, marks: CurrentMarks): number | null {
  const m1 = marks[1];
  if (m1 === undefined) return null;
  if (!rule.secondMarking) return m1;
  const m2 = marks[2];
  if (m2 === undefined) return null;
  if (!disagree(rule, m1, m2)) return round2((m1 + m2) / 2);
  return marks[3] ?? null;
}

/**
 * Checks the points given per rubric criterion: every key of the rubric and no other, each a
 * number from 0 to its maxPoints with at most 2 decimals. Details name `criteria.<key>`.
 */
export function checkCriteria(
  rubric: readonly RubricCriterion[],
  criteria: Record<string, unknown>,
): LocalizedDetail[] {
  const out: LocalizedDetail[] = [];
  const keys = new Set(rubric.map((c) => c.key));
  for (const key of Object.keys(criteria)) {
    if (!keys.has(key)) {
      out.push(
        detail(
          `criteria.${key}`,
          'Không có tiêu chí này trong thang chấm của câu hỏi.',
          'The question’s rubric has no such criterion.',
        ),
      );
    }
  }
  for (const c of rubric) {
    const v = criteria[c.key];
    const field = `criteria.${c.key}`;
    if (v === undefined) {
      out.push(detail(field, 'Thiếu điểm của tiêu chí này.', 'The criterion needs its points.'));
    } else if (typeof v !== 'number' || !Number.isFinite(v) || decimalPlaces(v) > 2) {
      out.push(
        detail(
          field,
          'Phải là một số có tối đa 2 chữ số thập phân.',
          'Must be a number with at most 2 decimal places.',
        ),
      );
    } else if (v < 0 || v > c.maxPoints) {
      out.push(
        detail(
          field,
          `Phải từ 0 đến ${c.maxPoints} điểm.`,
          `Must be from 0 to ${c.maxPoints} points.`,
        ),
      );
    }
  }
  return out;
}

/**
 * The points an item earns from its criteria: the rubric's total scaled to the item's points
 * (a draw rule may give the question other points than its version's), to the cent.
 */
export function rubricItemPoints(
  criteria: Record<string, number>,
  itemPoints: number,
  versionPoints: number,
): number {
  const sum = Object.values(criteria).reduce((s, v) => s + v, 0);
  return versionPoints > 0 ? round2((itemPoints * sum) / versionPoints) : 0;
}

/**
 * The position of an answer in an attempt as the path gives it: a whole number from 1, else
 * 400 naming `position` (never a 500 from SQL).
 */
export function parsePosition(value: string): number {
  if (/^[1-9][0-9]{0,5}$/.test(value)) return Number(value);
  throw new DomainError('VALIDATION_FAILED', {}, [
    detail(
      'position',
      'Phải là số thứ tự của câu trong lượt làm bài (1, 2, 3 …).',
      'Must be the position of an answer in the attempt (1, 2, 3 …).',
    ),
  ]);
}
