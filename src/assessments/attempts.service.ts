import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { ConcurrencyGate } from '../common/concurrency-gate';
import { DomainError } from '../common/errors/domain-error';
import { prepared } from '../common/sql/prepared';
import { ErrorCode } from '../common/errors/error-catalog';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import { appendLineageEvidence } from '../competencies/learning-evidence';
import {
  EnrolmentsService,
  MARK_STARTED_SQL,
  OWN_ENROLMENT_SQL,
} from '../courses/enrolments.service';
import { AssessmentEntity, QuestionEntity } from './assessment.entities';
import { QuestionOption } from './assessment.types';
import { bandLevel, competencyScores } from './competency-bands';
import {
  AttemptDto,
  AttemptResultDto,
  ListMyAttemptsQueryDto,
  MyAttemptDto,
  SavedAnswerDto,
} from './dto/assessment.dto';
import { gradeAttempt, gradeWord } from './grading';
import { reviewQuestions } from './review';
import { DEADLINE_SQL, SITTING_SQL, applyGradingPolicy, sittingLimits } from './attempt-policy';
import { DrawnAttemptsService } from './drawn-attempts.service';
import {
  AssessmentOfRow,
  AttemptRow,
  AttemptViewRow,
  iso,
  reviewIsOpen,
  StartFactsRow,
  startedView,
  statusOf,
  SubmittedOf,
  VIEW_COLUMNS,
  VIEW_FROM,
} from './attempt-rows';
import { isoDateVi } from '../common/dates/vietnam-dates';

/**
 * Starts and submits running at once in a process: under the pool's 10 connections, so that at
 * least 6 stay free for autosaves and everything else during an exam's rush.
 */
export const EXAM_TRANSACTIONS_AT_ONCE = 4;

/**
 * A learner's attempts: start, autosave, submit and grading, their result and review. Attempt
 * rules live in the database where they can: one open attempt per enrolment (partial unique
 * index), attempt numbers unique per enrolment, and the attempt row is locked FOR UPDATE while
 * it is graded, so a second or concurrent submit only reads the stored result. Grading, the
 * enrolment's completion, the training record and the certificate share one transaction.
 * The right answers reach a learner only through the review, when the assessment's review
 * policy allows it.
 */
@Injectable()
export class AttemptsService {
  /**
   * Starts and submits — transactions of a dozen statements each — run at most
   * EXAM_TRANSACTIONS_AT_ONCE at a time in a process, so that the first minute of an exam
   * (hundreds starting) leaves most of the pool to the autosaves of those already writing.
   */
  private readonly heavy = new ConcurrencyGate(EXAM_TRANSACTIONS_AT_ONCE);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly enrolments: EnrolmentsService,
    private readonly drawn: DrawnAttemptsService,
  ) {}

  /**
   * Starts an attempt for the caller, who must be enrolled in the course (else 404). An open
   * attempt still before its deadline is returned as is; one past its deadline is graded first.
   * The deadline is the database server's clock plus the time limit.
   */
  async start(actor: Actor, assessmentId: string): Promise<AttemptDto> {
    const outcome = await this.heavy.run(() => this.startIn(actor, assessmentId));
    if (outcome.refuse) throw new DomainError(outcome.refuse, { maxAttempts: outcome.max });
    // A drawn attempt just made is shown from its draw; anything else is read back.
    return outcome.drawn ? startedView(outcome.drawn) : this.view(actor, outcome.attemptId);
  }

  private startIn(actor: Actor, assessmentId: string) {
    return this.dataSource.transaction(async (em) => {
      // The assessment, the caller's enrolment in its course (locked), and what the window and
      // the caller's accommodation allow.
      const [facts] = await prepared<StartFactsRow[]>(
        em,
        `SELECT a.course_id AS a_course_id, a.drawn AS a_drawn,
                e.id AS e_id, e.status AS e_status, e.assessment_passed_at AS e_passed_at, s.*
           FROM assessments a
           LEFT JOIN LATERAL (${OWN_ENROLMENT_SQL('$2', 'a.course_id')}) e ON TRUE
           CROSS JOIN (${SITTING_SQL('$1', '$2')}) s
          WHERE a.id = $1`,
        [assessmentId, actor.personId],
      );
      if (!facts?.e_id) throw new DomainError('ASSESSMENT_NOT_FOUND');
      const enrolmentId = facts.e_id;
      await this.enrolments.assertCourseOpen(em, actor.personId, facts.a_course_id);
      const refuse = (code: ErrorCode) => ({
        refuse: code,
        attemptId: null,
        drawn: null,
        max: facts.max_attempts,
      });
      if (facts.e_passed_at !== null || facts.e_status === 'completed') {
        return refuse('ASSESSMENT_ALREADY_PASSED');
      }
      // The open attempt (locked), if any, and how many attempts the enrolment has used: read
      // once the enrolment is locked, so a start that raced this one and committed is seen.
      const [attempts] = await prepared<(AttemptRow & { used: number })[]>(
        em,
        `SELECT o.*, (SELECT COUNT(*)::int FROM assessment_attempts WHERE enrolment_id = $1) AS used
           FROM (SELECT 1) AS one
           LEFT JOIN LATERAL (
             SELECT *, deadline <= now() AS expired FROM assessment_attempts
              WHERE enrolment_id = $1 AND submitted_at IS NULL FOR UPDATE
           ) o ON TRUE`,
        [enrolmentId],
      );
      const open = attempts.id ? attempts : undefined;
      if (open && !open.expired) return { refuse: null, attemptId: open.id, drawn: null };
      if (open) {
        // Graded and committed even when the start is then refused.
        const a = await em.findOneByOrFail(AssessmentEntity, { id: assessmentId });
        const graded = await this.grade(em, open, a);
        if (graded.passed) return refuse('ASSESSMENT_ALREADY_PASSED');
      }
      const limits = sittingLimits(facts);
      const used = attempts.used;
      if (used >= limits.maxAttempts) {
        return { ...refuse('ASSESSMENT_ATTEMPTS_EXHAUSTED'), max: limits.maxAttempts };
      }
      if (facts.a_drawn) {
        const drawn = await this.drawn.create(
          em,
          assessmentId,
          enrolmentId,
          actor.personId,
          used + 1,
          limits,
        );
        return { refuse: null, attemptId: drawn.id, drawn };
      }
      const [row] = await em.query<{ id: string }[]>(
        `WITH started AS (${MARK_STARTED_SQL('$2')})
         INSERT INTO assessment_attempts (assessment_id, enrolment_id, person_id, number,
                                          started_at, deadline)
         VALUES ($1, $2, $3, $4, now(), ${DEADLINE_SQL('$5', '$6')})
         RETURNING id`,
        [
          assessmentId,
          enrolmentId,
          actor.personId,
          used + 1,
          limits.timeLimitMinutes,
          limits.closesAt,
        ],
      );
      return { refuse: null, attemptId: row.id, drawn: null };
    });
  }

  /**
   * The caller's attempt: its questions (never the right keys) and the answers saved so far;
   * once submitted, its result (score, pass, grade word, time) and — when the assessment's
   * review policy allows — each question's outcome with the right options.
   */
  async view(actor: Actor, attemptId: string): Promise<AttemptDto> {
    const em = this.dataSource.manager;
    const [r] = await em.query<AttemptViewRow[]>(
      `SELECT ${VIEW_COLUMNS} FROM ${VIEW_FROM} WHERE t.id = $1 AND t.person_id = $2`,
      [attemptId, actor.personId],
    );
    if (!r) throw new DomainError('ATTEMPT_NOT_FOUND');
    const open = reviewIsOpen(r);
    const questions = r.drawn ? [] : await this.questionsOf(em, r.assessment_id);
    // A drawn attempt keeps its responses on its items (read with them below).
    const answers = r.drawn
      ? []
      : await em.query<
          { question_id: string; selected: string[]; saved_at: Date; counted: boolean }[]
        >(
          `SELECT question_id, selected, saved_at, saved_at <= $2 AS counted
             FROM attempt_answers WHERE attempt_id = $1`,
          [r.id, r.deadline],
        );
    return {
      id: r.id,
      assessmentId: r.assessment_id,
      assessmentTitle: r.assessment_title,
      course: { id: r.course_id, code: r.code, title: r.course_title, versionNo: r.version_no },
      number: r.number,
      maxAttempts: r.max_attempts,
      status: statusOf(r),
      startedAt: iso(r.started_at),
      deadline: iso(r.deadline),
      questions: questions.map((q) => ({
        id: q.id,
        kind: q.kind,
        prompt: q.prompt,
        options: q.options.map((o: QuestionOption) => ({ key: o.key, text: o.text })),
        points: q.points,
      })),
      answers: answers.map((a) => ({
        questionId: a.question_id,
        selected: a.selected,
        savedAt: iso(a.saved_at),
      })),
      result: r.released_at
        ? {
            score: Number(r.score),
            passed: r.passed === true,
            grade: gradeWord(Number(r.score)),
            pointsEarned: Number(r.points_earned),
            pointsTotal: r.points_total ?? 0,
            passScore: Number(r.pass_score),
            submittedAt: iso(r.submitted_at!),
          }
        : null,
      reviewPolicy: r.review_policy,
      drawn: r.drawn,
      items: r.drawn ? await this.drawn.items(em, r.id, open, r.released_at !== null) : null,
      review:
        open && !r.drawn
          ? reviewQuestions(
              questions,
              new Map(answers.filter((a) => a.counted).map((a) => [a.question_id, a.selected])),
              r.partial_credit,
            )
          : null,
    };
  }

  /** The caller's attempts, newest first, keyset-paginated: one statement per page. */
  async listMine(actor: Actor, query: ListMyAttemptsQueryDto): Promise<Page<MyAttemptDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['timestamp', 'uuid']);
    const params: unknown[] = [actor.personId];
    const where = ['t.person_id = $1'];
    if (query.assessmentId) {
      params.push(query.assessmentId);
      where.push(`t.assessment_id = $${params.length}`);
    }
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      where.push(
        `(t.started_at, t.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
      );
    }
    params.push(limit + 1);
    const rows = await this.dataSource.query<AttemptViewRow[]>(
      `SELECT ${VIEW_COLUMNS} FROM ${VIEW_FROM}
        WHERE ${where.join(' AND ')}
        ORDER BY t.started_at DESC, t.id DESC
        LIMIT $${params.length}`,
      params,
    );
    return toPage(
      rows,
      limit,
      (r) => [r.started_key, r.id],
      (r) => ({
        id: r.id,
        number: r.number,
        maxAttempts: r.max_attempts,
        status: statusOf(r),
        startedAt: iso(r.started_at),
        deadline: iso(r.deadline),
        submittedAt: r.submitted_at ? iso(r.submitted_at) : null,
        score: r.score === null ? null : Number(r.score),
        passed: r.passed,
        grade: r.score === null ? null : gradeWord(Number(r.score)),
        reviewAvailable: reviewIsOpen(r),
        enrolmentId: r.enrolment_id,
        course: { id: r.course_id, code: r.code, title: r.course_title, versionNo: r.version_no },
        assessment: { id: r.assessment_id, title: r.assessment_title },
      }),
    );
  }

  /**
   * Autosave: an idempotent upsert of one answer, while the attempt is open and before its
   * deadline (else ATTEMPT_CLOSED). The attempt row is share-locked so that a save cannot slip
   * in while a submit grades. Saving the same choice again changes nothing, not even saved_at.
   */
  async saveAnswer(
    actor: Actor,
    attemptId: string,
    questionId: string,
    selected: string[],
  ): Promise<SavedAnswerDto> {
    return this.dataSource.transaction(async (em) => {
      const [r] = await em.query<
        {
          submitted_at: Date | null;
          open: boolean;
          question_id: string | null;
          kind: string | null;
          options: QuestionOption[] | null;
        }[]
      >(
        `SELECT a.submitted_at, a.deadline > now() AS open,
                q.id AS question_id, q.kind, q.options
           FROM assessment_attempts a
           LEFT JOIN assessment_questions q ON q.assessment_id = a.assessment_id AND q.id = $3
          WHERE a.id = $1 AND a.person_id = $2
          FOR SHARE OF a`,
        [attemptId, actor.personId, questionId],
      );
      if (!r) throw new DomainError('ATTEMPT_NOT_FOUND');
      if (!r.question_id) throw new DomainError('QUESTION_NOT_FOUND');
      if (r.submitted_at || !r.open) throw new DomainError('ATTEMPT_CLOSED');
      const keys = new Set((r.options ?? []).map((o) => o.key));
      const unknown = selected.filter((k) => !keys.has(k));
      if (unknown.length || (r.kind !== 'multiple' && selected.length > 1)) {
        throw new DomainError('ANSWER_INVALID', {}, [
          { field: 'selected', message: unknown.length ? unknown.join(', ') : 'one option only' },
        ]);
      }
      const choice = JSON.stringify([...selected].sort());
      await em.query(
        `INSERT INTO attempt_answers (attempt_id, question_id, selected, saved_at)
         VALUES ($1, $2, $3::jsonb, now())
         ON CONFLICT (attempt_id, question_id) DO UPDATE
            SET selected = EXCLUDED.selected, saved_at = EXCLUDED.saved_at
          WHERE attempt_answers.selected IS DISTINCT FROM EXCLUDED.selected`,
        [attemptId, questionId, choice],
      );
      const [saved] = await em.query<{ selected: string[]; saved_at: Date }[]>(
        `SELECT selected, saved_at FROM attempt_answers WHERE attempt_id = $1 AND question_id = $2`,
        [attemptId, questionId],
      );
      return { questionId, selected: saved.selected, savedAt: iso(saved.saved_at) };
    });
  }

  /**
   * Submits and grades the caller's attempt; submitting again returns the stored result.
   * After the deadline only answers saved before it count.
   */
  async submit(actor: Actor, attemptId: string): Promise<AttemptResultDto> {
    return this.heavy.run(() =>
      this.dataSource.transaction(async (em) => {
        const a = await this.submitLocked(em, attemptId, actor.personId);
        if (!a) throw new DomainError('ATTEMPT_NOT_FOUND');
        return this.result(em, attemptId, a);
      }),
    );
  }

  /**
   * The deadline scan: submits (and grades) attempts whose deadline has passed, oldest first,
   * each in its own transaction, at most `limit` per run. Answers saved in time count; the
   * learner finds the result as if they had submitted at the deadline.
   */
  async closeExpired(limit = 500): Promise<number> {
    const due = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM assessment_attempts
        WHERE submitted_at IS NULL AND deadline <= now()
        ORDER BY deadline LIMIT $1`,
      [limit],
    );
    let closed = 0;
    for (const { id } of due) {
      const a = await this.dataSource.transaction((em) => this.submitLocked(em, id, null));
      if (a) closed += 1;
    }
    return closed;
  }

  /**
   * Locks and grades an unsubmitted attempt (of `personId` when given); null: none such. Else
   * what the result shows of its assessment.
   */
  private async submitLocked(
    em: EntityManager,
    attemptId: string,
    personId: string | null,
  ): Promise<SubmittedOf | null> {
    // Lock order everywhere: enrolment, then attempt (start takes them in that order too). One
    // statement: the attempt row comes back at its latest version once both locks are held.
    const [row] = await prepared<(AttemptRow & AssessmentOfRow)[]>(
      em,
      `SELECT t.*, t.deadline <= now() AS expired, a.drawn AS a_drawn,
              a.pass_score AS a_pass_score, a.max_attempts AS a_max_attempts
         FROM (SELECT e.id FROM enrolments e JOIN assessment_attempts t ON t.enrolment_id = e.id
                WHERE t.id = $1 AND ($2::uuid IS NULL OR t.person_id = $2) FOR UPDATE OF e) e
         JOIN LATERAL (
           SELECT * FROM assessment_attempts WHERE id = $1 AND enrolment_id = e.id FOR UPDATE
         ) t ON TRUE
         JOIN assessments a ON a.id = t.assessment_id`,
      [attemptId, personId],
    );
    if (!row) return null;
    if (!row.submitted_at) {
      if (row.a_drawn) await this.drawn.grade(em, row.id);
      else
        await this.grade(
          em,
          row,
          await em.findOneByOrFail(AssessmentEntity, { id: row.assessment_id }),
        );
    }
    return { passScore: Number(row.a_pass_score), maxAttempts: row.a_max_attempts };
  }

  private questionsOf(em: EntityManager, assessmentId: string): Promise<QuestionEntity[]> {
    return em.find(QuestionEntity, { where: { assessmentId }, order: { position: 'ASC' } });
  }

  /** Grades a locked, unsubmitted attempt and applies the completion rule. */
  private async grade(
    em: EntityManager,
    attempt: AttemptRow,
    a: AssessmentEntity,
  ): Promise<{ passed: boolean }> {
    if (a.drawn) return this.drawn.grade(em, attempt.id);
    const questions = await this.questionsOf(em, a.id);
    const saved = await em.query<{ question_id: string; selected: string[] }[]>(
      `SELECT question_id, selected FROM attempt_answers
        WHERE attempt_id = $1 AND saved_at <= $2`,
      [attempt.id, attempt.deadline],
    );
    const answers = new Map(saved.map((s) => [s.question_id, s.selected]));
    const result = gradeAttempt(questions, answers, {
      partialCredit: a.partialCredit,
      passScore: a.passScore,
    });
    // Through a CTE so that the driver returns the row (an UPDATE answers [rows, count]).
    const [{ submitted_at }] = await em.query<{ submitted_at: Date }[]>(
      `WITH graded AS (
         UPDATE assessment_attempts
            SET submitted_at = now(), released_at = now(), points_earned = $2,
                points_total = $3, score = $4, passed = $5
          WHERE id = $1
          RETURNING submitted_at
       )
       SELECT submitted_at FROM graded`,
      [attempt.id, result.pointsEarned, result.pointsTotal, result.score, result.passed],
    );
    await this.appendCompetencyEvidence(em, attempt, a, questions, answers, submitted_at);
    return applyGradingPolicy(em, this.enrolments, attempt.enrolment_id, a.id);
  }

  /**
   * Assessment evidence (issue 4, item 6): for each tagged competency, the score on its own
   * questions through the assessment's bands; below the lowest band, nothing. Pass or fail
   * alike, in the grading transaction, idempotent per attempt (source ref 'attempt').
   */
  private async appendCompetencyEvidence(
    em: EntityManager,
    attempt: AttemptRow,
    a: AssessmentEntity,
    questions: QuestionEntity[],
    answers: ReadonlyMap<string, readonly string[]>,
    gradedAt: Date,
  ): Promise<void> {
    if (!a.competencyBands?.length) return;
    const ratedOn = isoDateVi(new Date(gradedAt));
    const rows = [...competencyScores(questions, answers, a.partialCredit)].flatMap(
      ([lineageId, score]) => {
        const level = bandLevel(score, a.competencyBands!);
        return level === null
          ? []
          : [
              {
                personId: attempt.person_id,
                lineageId,
                level,
                source: 'assessment' as const,
                ratedOn,
                sourceType: 'attempt',
                sourceId: attempt.id,
              },
            ];
      },
    );
    await appendLineageEvidence(em, rows);
  }

  private async result(
    em: EntityManager,
    attemptId: string,
    a: SubmittedOf,
  ): Promise<AttemptResultDto> {
    const [r] = await prepared<
      (AttemptRow & { used: number; enrolment_status: string; certificate_id: string | null })[]
    >(
      em,
      `SELECT t.*, false AS expired,
              (SELECT COUNT(*)::int FROM assessment_attempts x
                WHERE x.enrolment_id = t.enrolment_id) AS used,
              e.status AS enrolment_status, e.certificate_id
         FROM assessment_attempts t JOIN enrolments e ON e.id = t.enrolment_id
        WHERE t.id = $1`,
      [attemptId],
    );
    const released = r.released_at !== null;
    const score = released ? Number(r.score) : null;
    return {
      attemptId: r.id,
      released,
      score,
      passed: released ? r.passed === true : null,
      grade: score === null ? null : gradeWord(score),
      pointsEarned: released ? Number(r.points_earned) : null,
      pointsTotal: r.points_total ?? 0,
      passScore: a.passScore,
      submittedAt: iso(r.submitted_at!),
      attemptsUsed: r.used,
      maxAttempts: a.maxAttempts,
      enrolmentStatus: r.enrolment_status,
      certificateId: r.certificate_id,
    };
  }
}
