import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, scopeConditionRaw } from '../auth/actor';
import { TableCell, TableSpec } from '../common/csv/table';
import { DomainError } from '../common/errors/domain-error';
import { streamQuery } from '../common/sql/query-stream';
import { CoursesService } from '../courses/courses.service';
import { AssessmentEntity, QuestionEntity } from './assessment.entities';
import { notFound } from './assessments.service';
import { BankQuestionStatisticsDto, ItemStatisticsReportDto } from './dto/item-statistics.dto';
import { QuestionBanksService } from './question-banks.service';
import { drawnItemStatistics } from './drawn-item-statistics';
import { pointsFor } from './grading';
import {
  ItemFlag,
  ItemStatsAccumulator,
  LOW_DISCRIMINATION,
  MIN_ATTEMPTS_FOR_FLAGS,
  TOO_EASY_FACILITY,
  TOO_HARD_FACILITY,
} from './questions/item-statistics';

interface ResponseRow {
  attempt_id: string;
  points_earned: string;
  points_total: number;
  question_id: string;
  selected: string[] | null;
}

export const FLAG_WORDS: Record<ItemFlag, string> = {
  too_easy: 'Quá dễ',
  too_hard: 'Quá khó',
  negative_discrimination: 'Phân biệt ngược',
  low_discrimination: 'Phân biệt kém',
};

const KIND_WORDS: Record<string, string> = {
  single: 'Một đáp án',
  multiple: 'Nhiều đáp án',
  true_false: 'Đúng/Sai',
  short_answer: 'Trả lời ngắn',
  numeric: 'Số',
  ordering: 'Sắp xếp',
  matching: 'Ghép nối',
  essay: 'Tự luận',
};

const THRESHOLDS = {
  tooEasyFacility: TOO_EASY_FACILITY,
  tooHardFacility: TOO_HARD_FACILITY,
  lowDiscrimination: LOW_DISCRIMINATION,
  minAttemptsForFlags: MIN_ATTEMPTS_FOR_FLAGS,
};

/** The most option columns of the table (an inline question has at most 10 options). */
const OPTION_COLUMNS = 10;

export const ITEM_STATISTICS_TABLE: TableSpec = {
  sheetName: 'Thống kê câu hỏi',
  columns: [
    { header: 'Câu', width: 6 },
    { header: 'Loại', width: 14 },
    { header: 'Nội dung câu hỏi', width: 60 },
    { header: 'Điểm', width: 7 },
    { header: 'Lượt làm', width: 10 },
    { header: 'Bỏ trống', width: 10 },
    { header: 'Tỉ lệ điểm đạt được', width: 12 },
    { header: 'Tỉ lệ làm đúng', width: 12 },
    { header: 'Độ phân biệt', width: 12 },
    { header: 'Cảnh báo', width: 24 },
    { header: 'Đáp án đúng', width: 12 },
    ...Array.from({ length: OPTION_COLUMNS }, (_, i) => ({
      header: `Chọn phương án ${i + 1}`,
      width: 12,
    })),
  ],
};

/**
 * Item statistics of a course's final assessment (issue 16, item 4) over the submitted attempts
 * of the learners in the reader's subtree (a provincial officer reading a national course sees
 * their own province's learners): per question, its facility, its discrimination against the
 * rest of the test, how often each option was chosen, and flags. The right options are marked
 * only for those who may change the course, as in the assessment's own staff view. Each
 * response is graded again from the stored choice (the same rule as at submission), streamed
 * through a cursor so that a large exam is never held in memory.
 */
@Injectable()
export class ItemStatisticsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly courses: CoursesService,
    private readonly banks: QuestionBanksService,
  ) {}

  /**
   * A bank question's statistics per version over every drawn attempt that showed it, of
   * learners in the reader's training:read subtree; right options for the bank's writers.
   */
  async bankQuestionReport(
    actor: Actor,
    bankId: string,
    questionId: string,
  ): Promise<BankQuestionStatisticsDto> {
    const bank = await this.banks.findBank(actor, bankId, 'use');
    const [q] = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM bank_questions WHERE id = $1 AND bank_id = $2`,
      [questionId, bankId],
    );
    if (!q) throw new DomainError('BANK_QUESTION_NOT_FOUND');
    const scope = scopeConditionRaw('o.path', actor.scopePaths('training:read'), 2);
    const drawn = await drawnItemStatistics(this.dataSource, { questionId }, scope, bank.writable);
    return { bankId, questionId, thresholds: THRESHOLDS, ...drawn };
  }

  async report(actor: Actor, assessmentId: string): Promise<ItemStatisticsReportDto> {
    const em = this.dataSource.manager;
    const a = await em.findOneBy(AssessmentEntity, { id: assessmentId });
    if (!a) throw new DomainError('ASSESSMENT_NOT_FOUND');
    await this.courses.findForStaff(actor, a.courseId, 'use', em).catch(notFound);
    const author = await this.courses.findForStaff(actor, a.courseId, 'write', em).then(
      () => true,
      (e: unknown) => {
        if (e instanceof DomainError) return false;
        throw e;
      },
    );
    const scope = scopeConditionRaw('o.path', actor.scopePaths('training:read'), 2);
    const thresholds = THRESHOLDS;
    if (a.drawn) {
      const drawn = await drawnItemStatistics(this.dataSource, { assessmentId }, scope, author);
      return { assessmentId: a.id, title: a.title, thresholds, ...drawn };
    }
    const questions = await em.find(QuestionEntity, {
      where: { assessmentId },
      order: { position: 'ASC' },
    });
    const byId = new Map(questions.map((q) => [q.id, q]));
    const rows = streamQuery<ResponseRow>(
      this.dataSource,
      `SELECT t.id AS attempt_id, t.points_earned, t.points_total, q.id AS question_id,
              ans.selected
         FROM assessment_attempts t
         JOIN people p ON p.id = t.person_id
         JOIN org_units o ON o.id = p.home_org_unit_id
         JOIN assessment_questions q ON q.assessment_id = t.assessment_id
         LEFT JOIN attempt_answers ans ON ans.attempt_id = t.id AND ans.question_id = q.id
                                      AND ans.saved_at <= t.deadline
        WHERE t.assessment_id = $1 AND t.submitted_at IS NOT NULL AND ${scope.sql}
        ORDER BY t.id, q.position`,
      [assessmentId, ...scope.params],
    );
    const acc = new ItemStatsAccumulator();
    const attempts = new Set<string>();
    for await (const r of rows) {
      const q = byId.get(r.question_id)!;
      const points = pointsFor(q, r.selected ?? [], a.partialCredit);
      attempts.add(r.attempt_id);
      acc.add({
        questionVersionId: q.id,
        attemptId: r.attempt_id,
        points,
        maxPoints: q.points,
        correct: points === q.points,
        chosen: r.selected ?? [],
        secondsSpent: null,
        attemptPoints: Number(r.points_earned),
        attemptMaxPoints: r.points_total,
      });
    }
    const stats = new Map(
      acc
        .result(new Map(questions.map((q) => [q.id, q.options.map((o) => o.key)])))
        .map((s) => [s.questionVersionId, s]),
    );
    return {
      assessmentId: a.id,
      title: a.title,
      submittedAttempts: attempts.size,
      thresholds,
      items: questions.map((q) => {
        const s = stats.get(q.id);
        const right = new Set(q.correct);
        return {
          questionId: q.id,
          version: null,
          position: q.position,
          kind: q.kind,
          prompt: q.prompt,
          points: q.points,
          attempts: s?.attempts ?? 0,
          answered: s?.answered ?? 0,
          unanswered: s?.unanswered ?? 0,
          facility: s?.facility ?? null,
          correctShare: s?.correctShare ?? null,
          discrimination: s?.discrimination ?? null,
          averageSeconds: s?.averageSeconds ?? null,
          flags: s?.flags ?? [],
          options: q.options.map((o) => ({
            key: o.key,
            text: o.text,
            correct: author ? right.has(o.key) : null,
            count: s?.optionUse[o.key]?.count ?? 0,
            share: s?.optionUse[o.key]?.share ?? 0,
          })),
        };
      }),
    };
  }

  /** The report as table rows (one per question) for CSV and Excel. */
  async tableRows(actor: Actor, assessmentId: string): Promise<TableCell[][]> {
    const report = await this.report(actor, assessmentId);
    return report.items.map((i) => [
      i.position,
      KIND_WORDS[i.kind] ?? i.kind,
      i.version === null ? i.prompt : `${i.prompt} (phiên bản ${i.version})`,
      i.points,
      i.attempts,
      i.unanswered,
      i.facility,
      i.correctShare,
      i.discrimination,
      i.flags.map((f) => FLAG_WORDS[f]).join('; '),
      i.options.some((o) => o.correct === null)
        ? null
        : i.options
            .filter((o) => o.correct)
            .map((o) => o.key)
            .join(', '),
      ...Array.from({ length: OPTION_COLUMNS }, (_, k) => {
        const o = i.options[k];
        return o ? `${o.key}: ${o.count} (${Math.round(o.share * 1000) / 10}%)` : null;
      }),
    ]);
  }
}
