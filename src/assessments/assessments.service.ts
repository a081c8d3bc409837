import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { DomainError, ErrorDetail } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-catalog';
import { nfc } from '../common/text/vietnamese';
import { isoDateVi } from '../certificates/certificate-format';
import { frameworkReadScope } from '../competencies/framework-scope';
import { appendLineageEvidence } from '../competencies/learning-evidence';
import { CoursesService } from '../courses/courses.service';
import { EnrolmentsService } from '../courses/enrolments.service';
import { AssessmentEntity, AttemptEntity, QuestionEntity } from './assessment.entities';
import { QuestionKind, QuestionOption } from './assessment.types';
import {
  AssessmentDto,
  AttemptDto,
  AttemptResultDto,
  CreateAssessmentDto,
  SavedAnswerDto,
} from './dto/assessment.dto';
import { bandLevel, checkBands, CompetencyBand, competencyScores } from './competency-bands';
import { gradeAttempt, gradeWord } from './grading';

interface AttemptRow {
  id: string;
  assessment_id: string;
  enrolment_id: string;
  person_id: string;
  number: number;
  started_at: Date;
  deadline: Date;
  submitted_at: Date | null;
  points_earned: string | null;
  points_total: number | null;
  score: string | null;
  passed: boolean | null;
  expired: boolean;
}

const iso = (d: Date | string) => new Date(d).toISOString();

/**
 * Final assessments, attempts and grading. Attempt rules live in the database where they can:
 * one open attempt per enrolment (partial unique index), attempt numbers unique per enrolment,
 * and the attempt row is locked FOR UPDATE while it is graded, so a second or concurrent submit
 * only reads the stored result. Grading, the enrolment's completion, the training record and
 * the certificate share one transaction.
 */
export interface NewQuestion {
  kind: QuestionKind;
  prompt: string;
  options: { key: string; text: string }[];
  correct: string[];
  points: number;
  /** The tagged competency's lineage (competencies.lineage_id); absent: untagged. */
  competencyLineageId?: string | null;
}

/** All questions of an assessment in one INSERT, texts in NFC, right keys stored sorted. */
export async function insertQuestions(
  em: EntityManager,
  assessmentId: string,
  questions: readonly NewQuestion[],
): Promise<void> {
  const values: unknown[] = [assessmentId];
  const tuples = questions.map((q, i) => {
    const b = values.length;
    values.push(
      i + 1,
      q.kind,
      nfc(q.prompt),
      JSON.stringify(q.options.map((o) => ({ key: o.key, text: nfc(o.text) }))),
      JSON.stringify([...q.correct].sort()),
      q.points,
      q.competencyLineageId ?? null,
    );
    return `($1, $${b + 1}, $${b + 2}::question_kind, $${b + 3}, $${b + 4}::jsonb, $${b + 5}::jsonb, $${b + 6}, $${b + 7}::uuid)`;
  });
  await em.query(
    `INSERT INTO assessment_questions (assessment_id, position, kind, prompt, options, correct,
                                       points, competency_lineage_id)
     VALUES ${tuples.join(', ')}`,
    values,
  );
}

@Injectable()
export class AssessmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly courses: CoursesService,
    private readonly enrolments: EnrolmentsService,
  ) {}

  async create(actor: Actor, dto: CreateAssessmentDto): Promise<AssessmentDto> {
    const bands = checkTagShapes(dto);
    return this.dataSource.transaction(async (em) => {
      const course = await this.courses.lockDraft(actor, dto.courseId, em);
      if (await em.existsBy(AssessmentEntity, { courseId: course.id })) {
        throw new DomainError('ASSESSMENT_EXISTS');
      }
      const lineages = await resolveTags(em, actor, dto);
      const [{ id }] = await em.query<{ id: string }[]>(
        `INSERT INTO assessments (course_id, title, time_limit_minutes, max_attempts, pass_score,
                                  partial_credit, competency_bands)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) RETURNING id`,
        [
          course.id,
          nfc(dto.title.trim()),
          dto.timeLimitMinutes,
          dto.maxAttempts,
          dto.passScore ?? course.passScore,
          dto.partialCredit ?? false,
          bands ? JSON.stringify(bands) : null,
        ],
      );
      await insertQuestions(
        em,
        id,
        dto.questions.map((q, i) => ({ ...q, competencyLineageId: lineages[i] })),
      );
      await this.courses.appendLesson(em, course.id, {
        title: dto.title,
        kind: 'assessment',
        content: null,
        url: null,
        required: true,
        assessmentId: id,
      });
      return this.staffView(em, id);
    });
  }

  /** The assessment with its right answers: staff whose scope covers the course. */
  async get(actor: Actor, id: string): Promise<AssessmentDto> {
    const em = this.dataSource.manager;
    const a = await em.findOneBy(AssessmentEntity, { id });
    if (!a) throw new DomainError('ASSESSMENT_NOT_FOUND');
    await this.courses.findForStaff(actor, a.courseId, 'use', em).catch((e: unknown) => {
      throw e instanceof DomainError ? new DomainError('ASSESSMENT_NOT_FOUND') : e;
    });
    return this.staffView(em, id);
  }

  private async staffView(em: EntityManager, id: string): Promise<AssessmentDto> {
    const a = await em.findOneByOrFail(AssessmentEntity, { id });
    const questions = await this.questionsOf(em, id);
    const [lesson] = await em.query<{ id: string }[]>(
      `SELECT id FROM course_lessons WHERE assessment_id = $1`,
      [id],
    );
    return {
      id: a.id,
      courseId: a.courseId,
      title: a.title,
      timeLimitMinutes: a.timeLimitMinutes,
      maxAttempts: a.maxAttempts,
      passScore: a.passScore,
      partialCredit: a.partialCredit,
      lessonId: lesson?.id ?? '',
      competencyBands: a.competencyBands,
      questions: questions.map((q) => ({
        id: q.id,
        position: q.position,
        kind: q.kind,
        prompt: q.prompt,
        options: q.options,
        correct: q.correct,
        points: q.points,
        competencyLineageId: q.competencyLineageId,
      })),
    };
  }

  private questionsOf(em: EntityManager, assessmentId: string): Promise<QuestionEntity[]> {
    return em.find(QuestionEntity, { where: { assessmentId }, order: { position: 'ASC' } });
  }

  /**
   * Starts an attempt for the caller, who must be enrolled in the course (else 404). An open
   * attempt still before its deadline is returned as is; one past its deadline is graded first.
   * The deadline is the database server's clock plus the time limit.
   */
  async start(actor: Actor, assessmentId: string): Promise<AttemptDto> {
    const outcome = await this.dataSource.transaction(async (em) => {
      const a = await em.findOneBy(AssessmentEntity, { id: assessmentId });
      if (!a) throw new DomainError('ASSESSMENT_NOT_FOUND');
      const enrolment = await this.enrolments.findOwnForUpdate(em, actor.personId, a.courseId);
      if (!enrolment) throw new DomainError('ASSESSMENT_NOT_FOUND');
      await this.enrolments.assertCourseOpen(em, actor.personId, a.courseId);
      const refuse = (code: ErrorCode) => ({ refuse: code, attemptId: null, a });
      if (enrolment.assessmentPassed || enrolment.status === 'completed') {
        return refuse('ASSESSMENT_ALREADY_PASSED');
      }
      const [open] = await em.query<AttemptRow[]>(
        `SELECT *, deadline <= now() AS expired FROM assessment_attempts
          WHERE enrolment_id = $1 AND submitted_at IS NULL FOR UPDATE`,
        [enrolment.id],
      );
      if (open && !open.expired) return { refuse: null, attemptId: open.id, a };
      if (open) {
        // Graded and committed even when the start is then refused.
        const graded = await this.grade(em, open, a);
        if (graded.passed) return refuse('ASSESSMENT_ALREADY_PASSED');
      }
      const [{ used }] = await em.query<{ used: number }[]>(
        `SELECT COUNT(*)::int AS used FROM assessment_attempts WHERE enrolment_id = $1`,
        [enrolment.id],
      );
      if (used >= a.maxAttempts) return refuse('ASSESSMENT_ATTEMPTS_EXHAUSTED');
      const [row] = await em.query<{ id: string }[]>(
        `INSERT INTO assessment_attempts (assessment_id, enrolment_id, person_id, number,
                                          started_at, deadline)
         VALUES ($1, $2, $3, $4, now(), now() + make_interval(mins => $5))
         RETURNING id`,
        [a.id, enrolment.id, actor.personId, used + 1, a.timeLimitMinutes],
      );
      await this.enrolments.markStarted(em, enrolment.id);
      return { refuse: null, attemptId: row.id, a };
    });
    if (outcome.refuse) {
      throw new DomainError(outcome.refuse, { maxAttempts: outcome.a.maxAttempts });
    }
    return this.view(actor, outcome.attemptId);
  }

  /** The caller's attempt with its questions (no right answers) and the answers saved so far. */
  async view(actor: Actor, attemptId: string): Promise<AttemptDto> {
    const em = this.dataSource.manager;
    const attempt = await em.findOneBy(AttemptEntity, { id: attemptId, personId: actor.personId });
    if (!attempt) throw new DomainError('ATTEMPT_NOT_FOUND');
    const a = await em.findOneByOrFail(AssessmentEntity, { id: attempt.assessmentId });
    const questions = await this.questionsOf(em, a.id);
    const answers = await em.query<{ question_id: string; selected: string[]; saved_at: Date }[]>(
      `SELECT question_id, selected, saved_at FROM attempt_answers WHERE attempt_id = $1`,
      [attempt.id],
    );
    return {
      id: attempt.id,
      assessmentId: a.id,
      number: attempt.number,
      maxAttempts: a.maxAttempts,
      startedAt: iso(attempt.startedAt),
      deadline: iso(attempt.deadline),
      questions: questions.map((q) => ({
        id: q.id,
        kind: q.kind,
        prompt: q.prompt,
        options: q.options.map((o: QuestionOption) => ({ key: o.key, text: o.text })),
        points: q.points,
      })),
      answers: answers.map((r) => ({
        questionId: r.question_id,
        selected: r.selected,
        savedAt: iso(r.saved_at),
      })),
    };
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
    return this.dataSource.transaction(async (em) => {
      // Lock order everywhere: enrolment, then attempt (start takes them in that order too).
      await em.query(
        `SELECT e.id FROM enrolments e JOIN assessment_attempts t ON t.enrolment_id = e.id
          WHERE t.id = $1 AND t.person_id = $2 FOR UPDATE OF e`,
        [attemptId, actor.personId],
      );
      const [row] = await em.query<AttemptRow[]>(
        `SELECT *, deadline <= now() AS expired FROM assessment_attempts
          WHERE id = $1 AND person_id = $2 FOR UPDATE`,
        [attemptId, actor.personId],
      );
      if (!row) throw new DomainError('ATTEMPT_NOT_FOUND');
      const a = await em.findOneByOrFail(AssessmentEntity, { id: row.assessment_id });
      if (!row.submitted_at) await this.grade(em, row, a);
      return this.result(em, attemptId, a);
    });
  }

  /** Grades a locked, unsubmitted attempt and applies the completion rule. */
  private async grade(
    em: EntityManager,
    attempt: AttemptRow,
    a: AssessmentEntity,
  ): Promise<{ passed: boolean }> {
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
            SET submitted_at = now(), points_earned = $2, points_total = $3, score = $4,
                passed = $5
          WHERE id = $1
          RETURNING submitted_at
       )
       SELECT submitted_at FROM graded`,
      [attempt.id, result.pointsEarned, result.pointsTotal, result.score, result.passed],
    );
    await this.appendCompetencyEvidence(em, attempt, a, questions, answers, submitted_at);
    if (result.passed) {
      await this.enrolments.recordAssessmentPass(em, attempt.enrolment_id, result.score);
      await this.enrolments.tryComplete(em, attempt.enrolment_id);
    }
    return { passed: result.passed };
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
    a: AssessmentEntity,
  ): Promise<AttemptResultDto> {
    const [r] = await em.query<
      (AttemptRow & { used: number; enrolment_status: string; certificate_id: string | null })[]
    >(
      `SELECT t.*, false AS expired,
              (SELECT COUNT(*)::int FROM assessment_attempts x
                WHERE x.enrolment_id = t.enrolment_id) AS used,
              e.status AS enrolment_status, e.certificate_id
         FROM assessment_attempts t JOIN enrolments e ON e.id = t.enrolment_id
        WHERE t.id = $1`,
      [attemptId],
    );
    const score = Number(r.score);
    return {
      attemptId: r.id,
      score,
      passed: r.passed === true,
      grade: gradeWord(score),
      pointsEarned: Number(r.points_earned),
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

/** Tag and band rules one body shows (400): returns the bands to store, or null. */
function checkTagShapes(dto: CreateAssessmentDto): CompetencyBand[] | null {
  const details: ErrorDetail[] = [];
  let tagged = false;
  dto.questions.forEach((q, i) => {
    if (q.competencyId !== undefined && q.competencyCode !== undefined) {
      details.push({
        field: `questions.${i}`,
        message: 'tag by competencyId or competencyCode, not both',
      });
    }
    if (q.competencyCode !== undefined && !dto.competencyVersionId) {
      details.push({
        field: `questions.${i}.competencyCode`,
        message: 'a code needs competencyVersionId on the assessment',
      });
    }
    tagged ||= q.competencyId !== undefined || q.competencyCode !== undefined;
  });
  const bands = dto.competencyBands?.map((b) => ({ minScore: b.minScore, level: b.level })) ?? null;
  if (tagged && !bands) {
    details.push({ field: 'competencyBands', message: 'required when a question is tagged' });
  }
  if (!tagged && bands) {
    details.push({ field: 'competencyBands', message: 'applies only when a question is tagged' });
  }
  if (bands) details.push(...checkBands(bands));
  if (details.length) throw new DomainError('VALIDATION_FAILED', {}, details);
  return bands;
}

/**
 * The lineage of each question's tag (null when untagged), in one query: a competency of a
 * published framework version the actor reads, named by id or by code in competencyVersionId.
 * Any other tag → 422 ASSESSMENT_COMPETENCY_UNKNOWN naming the questions.
 */
async function resolveTags(
  em: EntityManager,
  actor: Actor,
  dto: CreateAssessmentDto,
): Promise<(string | null)[]> {
  const ids = dto.questions.flatMap((q) => (q.competencyId ? [q.competencyId] : []));
  const codes = dto.questions.flatMap((q) => (q.competencyCode ? [q.competencyCode] : []));
  if (!ids.length && !codes.length) return dto.questions.map(() => null);
  const read = frameworkReadScope(actor, 4);
  const found = await em.query<
    { id: string; code: string; version_id: string; lineage_id: string }[]
  >(
    `SELECT c.id, c.code, c.version_id, c.lineage_id
       FROM competencies c
       JOIN framework_versions v ON v.id = c.version_id AND v.status = 'published'
       JOIN competency_frameworks f ON f.id = v.framework_id
       JOIN org_units o ON o.id = f.owner_org_unit_id
      WHERE (c.id = ANY($1::uuid[]) OR (c.version_id = $2::uuid AND c.code = ANY($3::text[])))
        AND ${read.sql}`,
    [ids, dto.competencyVersionId ?? null, codes, ...read.params],
  );
  const byId = new Map(found.map((c) => [c.id, c.lineage_id]));
  const byCode = new Map(
    found
      .filter((c) => c.version_id === dto.competencyVersionId)
      .map((c) => [c.code, c.lineage_id]),
  );
  const details: ErrorDetail[] = [];
  const lineages = dto.questions.map((q, i) => {
    if (q.competencyId) {
      const l = byId.get(q.competencyId);
      if (!l) details.push({ field: `questions.${i}.competencyId`, message: q.competencyId });
      return l ?? null;
    }
    if (q.competencyCode) {
      const l = byCode.get(q.competencyCode);
      if (!l) details.push({ field: `questions.${i}.competencyCode`, message: q.competencyCode });
      return l ?? null;
    }
    return null;
  });
  if (details.length) throw new DomainError('ASSESSMENT_COMPETENCY_UNKNOWN', {}, details);
  return lineages;
}
