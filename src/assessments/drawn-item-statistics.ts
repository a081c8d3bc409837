import { DataSource } from 'typeorm';
import { streamQuery } from '../common/sql/query-stream';
import { ItemStatisticsItemDto } from './dto/item-statistics.dto';
import { ItemStatsAccumulator } from './questions/item-statistics';
import { ChoiceOption, QuestionBody, QuestionResponse } from './questions/question-model';

interface ItemRow {
  attempt_id: string;
  points_earned: string;
  points_total: number;
  question_id: string;
  version: number;
  points: number;
  final_points: string | null;
  correct: boolean | null;
  response: QuestionResponse | null;
}

interface VersionRow {
  question_id: string;
  version: number;
  prompt: string;
  body: QuestionBody;
}

/** Which drawn items a report counts: one assessment's, or one bank question's everywhere. */
export type DrawnItemFilter = { assessmentId: string } | { questionId: string };

const TRUE_FALSE: ChoiceOption[] = [
  { key: 'true', text: 'Đúng' },
  { key: 'false', text: 'Sai' },
];

/** The options a version's report counts choices of (choice kinds only). */
function choicesOf(body: QuestionBody): ChoiceOption[] {
  if (body.kind === 'single' || body.kind === 'multiple') return body.options;
  if (body.kind === 'true_false') return TRUE_FALSE;
  return [];
}

function rightKeys(body: QuestionBody): Set<string> {
  if (body.kind === 'single') return new Set([body.correct]);
  if (body.kind === 'multiple') return new Set(body.correct);
  if (body.kind === 'true_false') return new Set([String(body.correct)]);
  return new Set();
}

/** The option keys a response chose (choice kinds), else null. */
function chosenKeys(body: QuestionBody, r: QuestionResponse | null): string[] | null {
  if (body.kind === 'single') return typeof r === 'string' ? [r] : [];
  if (body.kind === 'multiple') return Array.isArray(r) ? r.map(String) : [];
  if (body.kind === 'true_false') return typeof r === 'boolean' ? [String(r)] : [];
  return null;
}

function answered(r: QuestionResponse | null): boolean {
  if (r === null || r === undefined) return false;
  if (typeof r === 'string') return r.trim() !== '';
  if (Array.isArray(r)) return r.length > 0;
  if (typeof r === 'object') return Object.keys(r).length > 0;
  return true;
}

/**
 * Item statistics of drawn questions (issue 16, item 4), per question version: over released
 * attempts of learners whose home unit is in `scope` (a path condition on `o.path` with its
 * parameters from $2), streamed. Each version is its own item: a revised question starts again.
 * Right options are marked only for `author`s.
 */
export async function drawnItemStatistics(
  dataSource: DataSource,
  filter: DrawnItemFilter,
  scope: { sql: string; params: string[] },
  author: boolean,
): Promise<{ submittedAttempts: number; items: ItemStatisticsItemDto[] }> {
  const where =
    'assessmentId' in filter
      ? 't.assessment_id = $1'
      : 'i.attempt_id = t.id AND i.question_id = $1';
  const key = 'assessmentId' in filter ? filter.assessmentId : filter.questionId;
  const from = `assessment_attempts t
         JOIN people p ON p.id = t.person_id
         JOIN org_units o ON o.id = p.home_org_unit_id
         JOIN attempt_items i ON i.attempt_id = t.id
        WHERE ${where} AND t.released_at IS NOT NULL AND ${scope.sql}`;
  const versions = await dataSource.query<VersionRow[]>(
    `SELECT v.question_id, v.version, v.prompt, v.body
       FROM bank_question_versions v
      WHERE (v.question_id, v.version) IN (SELECT DISTINCT i.question_id, i.version FROM ${from})`,
    [key, ...scope.params],
  );
  const byKey = new Map(versions.map((v) => [`${v.question_id}:${v.version}`, v]));
  // For one question, the attempt's total counts every item of the attempt (the rest of the test).
  const rows = streamQuery<ItemRow>(
    dataSource,
    `SELECT t.id AS attempt_id, t.points_earned, t.points_total, i.question_id, i.version,
            i.points, i.final_points, i.correct, i.response
       FROM ${from}
      ORDER BY t.id, i.position`,
    [key, ...scope.params],
  );
  const acc = new ItemStatsAccumulator();
  const attempts = new Set<string>();
  const maxPoints = new Map<string, number>();
  for await (const r of rows) {
    const id = `${r.question_id}:${r.version}`;
    const v = byKey.get(id)!;
    attempts.add(r.attempt_id);
    maxPoints.set(id, r.points);
    acc.add({
      questionVersionId: id,
      attemptId: r.attempt_id,
      points: Number(r.final_points ?? 0),
      maxPoints: r.points,
      correct: r.correct,
      chosen: chosenKeys(v.body, r.response),
      answered: answered(r.response),
      secondsSpent: null,
      attemptPoints: Number(r.points_earned),
      attemptMaxPoints: r.points_total,
    });
  }
  const stats = acc.result(
    new Map(
      versions.map((v) => [`${v.question_id}:${v.version}`, choicesOf(v.body).map((o) => o.key)]),
    ),
  );
  const items = stats
    .map((s) => {
      const v = byKey.get(s.questionVersionId)!;
      const right = rightKeys(v.body);
      return {
        questionId: v.question_id,
        version: v.version,
        position: 0,
        kind: v.body.kind,
        prompt: v.prompt,
        points: maxPoints.get(s.questionVersionId) ?? 0,
        attempts: s.attempts,
        answered: s.answered,
        unanswered: s.unanswered,
        facility: s.facility,
        correctShare: s.correctShare,
        discrimination: s.discrimination,
        averageSeconds: s.averageSeconds,
        flags: s.flags,
        options: choicesOf(v.body).map((o) => ({
          key: o.key,
          text: o.text,
          correct: author ? right.has(o.key) : null,
          count: s.optionUse[o.key]?.count ?? 0,
          share: s.optionUse[o.key]?.share ?? 0,
        })),
      };
    })
    .sort((a, b) => a.prompt.localeCompare(b.prompt, 'vi') || a.version - b.version)
    .map((item, i) => ({ ...item, position: i + 1 }));
  return { submittedAttempts: attempts.size, items };
}
