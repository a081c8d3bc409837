import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, scopeConditionRaw } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { detail, DomainError, LocalizedDetail } from '../common/errors/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, toPage } from '../common/pagination/page';
import { nfc } from '../common/text/vietnamese';
import { CoursesService } from '../courses/courses.service';
import { DrawnAttemptsService } from './drawn-attempts.service';
import {
  MarkingEntryDto,
  MarkingNeed,
  MarkingQueueDto,
  MarkingQueueQueryDto,
  MarkItemDto,
  MarkResultDto,
  ReleaseMarkedDto,
  ReleaseOutcomeDto,
} from './dto/marking.dto';
import {
  checkCriteria,
  CurrentMarks,
  finalPoints,
  MarkerSlot,
  MarkingRule,
  nextSlot,
  parsePosition,
  rubricItemPoints,
} from './marking-rules';
import { QuestionBody } from './questions/question-model';

interface AssessmentRow {
  id: string;
  course_id: string;
  second_marking: boolean;
  marker_threshold: string | null;
}

interface QueueRow {
  attempt_id: string;
  person_id: string;
  full_name: string;
  submitted_key: string;
  position: number;
  question_id: string;
  version: number;
  points: number;
  response: unknown;
  prompt: string;
  body: QuestionBody;
  marks: { markerNo: number; points: number; userId: string | null; at: string }[] | null;
  needs: MarkingNeed;
}

interface MarkRow {
  id: string;
  marker_no: number;
  marker_user_id: string | null;
  criteria: Record<string, number>;
  points: string;
  feedback: string | null;
  created_at: Date;
}

const NEEDS: Record<MarkerSlot, MarkingNeed> = { 1: 'first', 2: 'second', 3: 'third' };
/** Attempts released by one call; the rest wait for the next call (each is its own transaction). */
const RELEASE_BATCH = 500;

const ruleOf = (a: { second_marking: boolean; marker_threshold: string | null }): MarkingRule => ({
  secondMarking: a.second_marking,
  threshold: a.marker_threshold === null ? null : Number(a.marker_threshold),
});

const marksOf = (rows: readonly { marker_no: number; points: string | number }[]): CurrentMarks =>
  Object.fromEntries(rows.map((m) => [m.marker_no, Number(m.points)]));

const markJson = (m: MarkRow) => ({
  id: m.id,
  markerNo: m.marker_no,
  markerUserId: m.marker_user_id,
  criteria: m.criteria,
  points: Number(m.points),
  feedback: m.feedback,
});

/** A course out of the officer's reach hides the assessment or attempt behind it (404). */
const hidden =
  (code: 'ASSESSMENT_NOT_FOUND' | 'ATTEMPT_NOT_FOUND') =>
  (e: unknown): never => {
    throw e instanceof DomainError ? new DomainError(code) : e;
  };

function invalid(details: LocalizedDetail[]): DomainError {
  return new DomainError('VALIDATION_FAILED', {}, details);
}

/**
 * The manual grading queue (issue 16, item 3). Essays, and any answer an officer overrides, are
 * marked by officers who may manage training over the learner's home unit: per rubric
 * criterion with feedback, by a second marker where the assessment asks for it and a third when
 * the two disagree beyond its threshold. Marks are history (a changed mark supersedes the old
 * row). An attempt's result is released once every answer has its final points — the
 * completion, certificate and competency evidence then follow in the release's transaction, as
 * at an auto-graded submission. Every mark, override, release and change of a released score
 * is audited.
 */
@Injectable()
export class MarkingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly courses: CoursesService,
    private readonly drawn: DrawnAttemptsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * The answers of an assessment that wait for a mark, of submitted and unreleased attempts by
   * learners in the officer's subtree, oldest submission first (keyset on the attempt's
   * submission, id and the answer's position: the index of unreleased attempts).
   */
  async queue(
    actor: Actor,
    assessmentId: string,
    query: MarkingQueueQueryDto,
  ): Promise<MarkingQueueDto> {
    const after = decodeCursor(query.cursor, ['timestamp', 'uuid', 'int'] as const);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const em = this.dataSource.manager;
    const a = await this.findAssessment(actor, assessmentId, em);
    const scope = scopeConditionRaw('o.path', actor.scopePaths('training:manage'), 5);
    const params: unknown[] = [
      a.id,
      a.second_marking,
      a.marker_threshold,
      limit + 1,
      ...scope.params,
    ];
    let keyset = '';
    if (after) {
      const n = params.length;
      keyset = `AND (t.submitted_at, t.id, i.position)
                    > ($${n + 1}::timestamptz, $${n + 2}::uuid, $${n + 3}::int)`;
      params.push(...after);
    }
    const rows = await em.query<QueueRow[]>(
      `SELECT * FROM (
         SELECT t.id AS attempt_id, t.person_id, p.full_name, t.submitted_at,
                to_char(t.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                  AS submitted_key,
                i.position, i.question_id, i.version, i.points, i.response, v.prompt, v.body,
                m.marks,
                CASE WHEN m.m1 IS NULL THEN 'first'
                     WHEN $2::boolean AND m.m2 IS NULL THEN 'second'
                     WHEN $2::boolean AND abs(m.m1 - m.m2) > $3::numeric AND m.m3 IS NULL
                       THEN 'third'
                END AS needs
           FROM assessment_attempts t
           JOIN people p ON p.id = t.person_id
           JOIN org_units o ON o.id = p.home_org_unit_id
           JOIN attempt_items i ON i.attempt_id = t.id AND i.needs_marking
           JOIN bank_question_versions v
             ON v.question_id = i.question_id AND v.version = i.version
           CROSS JOIN LATERAL (
             SELECT jsonb_agg(jsonb_build_object('markerNo', k.marker_no, 'points', k.points,
                                                 'userId', k.marker_user_id, 'at', k.created_at)
                              ORDER BY k.marker_no) AS marks,
                    max(k.points) FILTER (WHERE k.marker_no = 1) AS m1,
                    max(k.points) FILTER (WHERE k.marker_no = 2) AS m2,
                    max(k.points) FILTER (WHERE k.marker_no = 3) AS m3
               FROM attempt_marks k
              WHERE k.attempt_id = i.attempt_id AND k.position = i.position
                AND k.superseded_at IS NULL
           ) m
          WHERE t.assessment_id = $1 AND t.submitted_at IS NOT NULL AND t.released_at IS NULL
            AND ${scope.sql} ${keyset}
       ) q
       WHERE q.needs IS NOT NULL
       ORDER BY q.submitted_at, q.attempt_id, q.position
       LIMIT $4`,
      params,
    );
    const page = toPage(
      rows,
      limit,
      (r) => [r.submitted_key, r.attempt_id, r.position],
      (r): MarkingEntryDto => ({
        attemptId: r.attempt_id,
        position: r.position,
        questionId: r.question_id,
        version: r.version,
        kind: r.body.kind,
        prompt: r.prompt,
        points: r.points,
        rubric:
          r.body.kind === 'essay'
            ? r.body.rubric.map((c) => ({ key: c.key, title: c.title, maxPoints: c.maxPoints }))
            : null,
        response: r.response,
        personId: r.person_id,
        learnerName: r.full_name,
        submittedAt: r.submitted_key,
        marks: (r.marks ?? []).map((m) => ({
          markerNo: m.markerNo,
          points: Number(m.points),
          mine: m.userId === actor.userId,
          markedAt: new Date(m.at).toISOString(),
        })),
        needs: r.needs,
      }),
    );
    const readyToRelease = await this.countUnreleased(em, actor, a.id, 'ready');
    return { ...page, readyToRelease };
  }

  /**
   * Marks one answer of a submitted attempt: an essay per rubric criterion into a marker slot,
   * any other answer by overriding its points with a reason. The answer's final points follow
   * the marking rule; a released attempt is released again (its score recomputed, the change
   * audited).
   */
  async mark(
    actor: Actor,
    attemptId: string,
    positionParam: string,
    dto: MarkItemDto,
  ): Promise<MarkResultDto> {
    return this.dataSource.transaction(async (em) => {
      const scope = scopeConditionRaw('o.path', actor.scopePaths('training:manage'), 2);
      const [t] = await em.query<
        (AssessmentRow & {
          person_id: string;
          home_org_unit_id: string;
          submitted: boolean;
          released: boolean;
          score: string | null;
          passed: boolean | null;
        })[]
      >(
        `SELECT a.id, a.course_id, a.second_marking, a.marker_threshold, t.person_id,
                p.home_org_unit_id, t.submitted_at IS NOT NULL AS submitted,
                t.released_at IS NOT NULL AS released, t.score, t.passed
           FROM assessment_attempts t
           JOIN assessments a ON a.id = t.assessment_id
           JOIN people p ON p.id = t.person_id
           JOIN org_units o ON o.id = p.home_org_unit_id
          WHERE t.id = $1 AND ${scope.sql}
          FOR UPDATE OF t`,
        [attemptId, ...scope.params],
      );
      if (!t) throw new DomainError('ATTEMPT_NOT_FOUND');
      await this.courses
        .findForStaff(actor, t.course_id, 'use', em, false, 'training:manage')
        .catch(hidden('ATTEMPT_NOT_FOUND'));
      const position = parsePosition(positionParam);
      if (t.person_id === actor.personId) throw new DomainError('MARK_OWN_ATTEMPT');
      if (!t.submitted) throw new DomainError('ATTEMPT_NOT_SUBMITTED');
      const [item] = await em.query<
        {
          points: number;
          final_points: string | null;
          version_points: number;
          body: QuestionBody;
        }[]
      >(
        `SELECT i.points, i.final_points, v.points AS version_points, v.body
           FROM attempt_items i
           JOIN bank_question_versions v ON v.question_id = i.question_id AND v.version = i.version
          WHERE i.attempt_id = $1 AND i.position = $2
          FOR UPDATE OF i`,
        [attemptId, position],
      );
      if (!item) throw new DomainError('QUESTION_NOT_FOUND');
      const current = await em.query<MarkRow[]>(
        `SELECT id, marker_no, marker_user_id, criteria, points, feedback, created_at
           FROM attempt_marks
          WHERE attempt_id = $1 AND position = $2 AND superseded_at IS NULL`,
        [attemptId, position],
      );
      const rule = ruleOf(t);
      const essay = item.body.kind === 'essay';
      const { points, criteria } = essay
        ? this.essayPoints(item, dto)
        : this.overridePoints(item, dto);
      const slot = essay ? this.slotFor(actor, rule, current, dto.markerNo) : 1;
      if (!essay && dto.markerNo !== undefined && dto.markerNo !== 1) {
        throw new DomainError('MARK_NOT_NEEDED');
      }
      const [previous] = await em.query<MarkRow[]>(
        `WITH u AS (
           UPDATE attempt_marks SET superseded_at = now()
            WHERE attempt_id = $1 AND position = $2 AND marker_no = $3 AND superseded_at IS NULL
            RETURNING *
         ) SELECT * FROM u`,
        [attemptId, position, slot],
      );
      const feedback = dto.feedback ? nfc(dto.feedback) : null;
      const [saved] = await em.query<MarkRow[]>(
        `INSERT INTO attempt_marks (attempt_id, position, marker_no, marker_user_id, criteria,
                                    points, feedback)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)
         RETURNING id, marker_no, marker_user_id, criteria, points, feedback, created_at`,
        [attemptId, position, slot, actor.userId, JSON.stringify(criteria), points, feedback],
      );
      const marks = marksOf([...current.filter((m) => m.marker_no !== slot), saved]);
      const final = essay ? finalPoints(rule, marks) : points;
      if (t.released && final === null) throw new DomainError('MARK_LEAVES_NO_FINAL');
      // An overridden answer is right once it has all its points, as the engine would say;
      // an essay has no right or wrong, only its marks.
      await em.query(
        `UPDATE attempt_items SET final_points = $3::numeric,
                correct = CASE WHEN $4 THEN correct ELSE $3::numeric >= points END
          WHERE attempt_id = $1 AND position = $2`,
        [attemptId, position, final, essay],
      );
      const finalBefore = item.final_points === null ? null : Number(item.final_points);
      await this.audit.record(em, actor, {
        action: essay ? 'attempt_mark.mark' : 'attempt_mark.override',
        entityType: 'attempt_mark',
        entityId: saved.id,
        orgUnitId: t.home_org_unit_id,
        before: {
          attemptId,
          position,
          mark: previous ? markJson(previous) : null,
          finalPoints: finalBefore,
        },
        after: {
          attemptId,
          position,
          mark: markJson(saved),
          finalPoints: final,
          ...(dto.reason ? { reason: nfc(dto.reason) } : {}),
        },
      });
      let result: { score: number; passed: boolean } | null = null;
      if (t.released) {
        result = await this.drawn.release(em, attemptId);
        const before = { score: t.score === null ? null : Number(t.score), passed: t.passed };
        if (result && (result.score !== before.score || result.passed !== before.passed)) {
          await this.audit.record(em, actor, {
            action: 'assessment_attempt.rescore',
            entityType: 'assessment_attempt',
            entityId: attemptId,
            orgUnitId: t.home_org_unit_id,
            before,
            after: { ...result, position, markId: saved.id },
          });
        }
      }
      const next = essay ? nextSlot(rule, marks) : null;
      return {
        id: saved.id,
        attemptId,
        position,
        markerNo: saved.marker_no,
        criteria: saved.criteria,
        points: Number(saved.points),
        feedback: saved.feedback,
        finalPoints: final,
        needs: next === null ? null : NEEDS[next],
        released: t.released,
        score: result?.score ?? null,
        passed: result?.passed ?? null,
      };
    });
  }

  /**
   * Releases the ready attempts of an assessment in the officer's subtree (or those named),
   * each in its own transaction through the same release as an auto-graded submission.
   */
  async release(
    actor: Actor,
    assessmentId: string,
    dto: ReleaseMarkedDto,
  ): Promise<ReleaseOutcomeDto> {
    const em = this.dataSource.manager;
    const a = await this.findAssessment(actor, assessmentId, em);
    const ids = dto.attemptIds ? [...new Set(dto.attemptIds.map((i) => i.toLowerCase()))] : null;
    const scope = scopeConditionRaw('o.path', actor.scopePaths('training:manage'), 4);
    if (ids) {
      const named = scopeConditionRaw('o.path', actor.scopePaths('training:manage'), 3);
      const [found] = await em.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM assessment_attempts t
           JOIN people p ON p.id = t.person_id
           JOIN org_units o ON o.id = p.home_org_unit_id
          WHERE t.id = ANY($1::uuid[]) AND t.assessment_id = $2 AND ${named.sql}`,
        [ids, a.id, ...named.params],
      );
      if (found.n !== ids.length) throw new DomainError('ATTEMPT_NOT_FOUND');
    }
    const ready = await em.query<{ id: string; home_org_unit_id: string }[]>(
      `SELECT t.id, p.home_org_unit_id FROM assessment_attempts t
         JOIN people p ON p.id = t.person_id
         JOIN org_units o ON o.id = p.home_org_unit_id
        WHERE t.assessment_id = $1 AND t.submitted_at IS NOT NULL AND t.released_at IS NULL
          AND ($2::uuid[] IS NULL OR t.id = ANY($2::uuid[]))
          AND NOT EXISTS (SELECT 1 FROM attempt_items i
                           WHERE i.attempt_id = t.id AND i.final_points IS NULL)
          AND ${scope.sql}
        ORDER BY t.submitted_at, t.id
        LIMIT $3`,
      [a.id, ids, RELEASE_BATCH, ...scope.params],
    );
    let released = 0;
    for (const r of ready) {
      const done = await this.dataSource.transaction(async (tx) => {
        const [locked] = await tx.query<{ id: string }[]>(
          `SELECT id FROM assessment_attempts WHERE id = $1 AND released_at IS NULL FOR UPDATE`,
          [r.id],
        );
        if (!locked) return false;
        const result = await this.drawn.release(tx, r.id);
        if (!result) return false;
        await this.audit.record(tx, actor, {
          action: 'assessment_attempt.release',
          entityType: 'assessment_attempt',
          entityId: r.id,
          orgUnitId: r.home_org_unit_id,
          before: { releasedAt: null },
          after: result,
        });
        return true;
      });
      if (done) released += 1;
    }
    return {
      released,
      waiting: await this.countUnreleased(em, actor, a.id, 'waiting', ids),
      remaining: await this.countUnreleased(em, actor, a.id, 'ready', ids),
    };
  }

  /** An essay's points from its criteria (every rubric key, each 0..maxPoints). */
  private essayPoints(
    item: { points: number; version_points: number; body: QuestionBody },
    dto: MarkItemDto,
  ): { points: number; criteria: Record<string, number> } {
    if (item.body.kind !== 'essay') throw new Error('not an essay');
    const problems: LocalizedDetail[] = [];
    if (dto.points !== undefined) {
      problems.push(
        detail(
          'points',
          'Bài tự luận được chấm theo từng tiêu chí (criteria), không cho điểm trực tiếp.',
          'An essay is marked per criterion (criteria), not with points.',
        ),
      );
    }
    if (dto.criteria === undefined) {
      problems.push(
        detail(
          'criteria',
          'Cần điểm của từng tiêu chí trong thang chấm.',
          'Give the points of every criterion of the rubric.',
        ),
      );
    } else {
      problems.push(...checkCriteria(item.body.rubric, dto.criteria));
    }
    if (problems.length) throw invalid(problems);
    const criteria = dto.criteria as Record<string, number>;
    return {
      points: rubricItemPoints(criteria, item.points, item.version_points),
      criteria,
    };
  }

  /** An override of an auto-graded answer: points within the item's, and a reason. */
  private overridePoints(
    item: { points: number },
    dto: MarkItemDto,
  ): { points: number; criteria: Record<string, number> } {
    const problems: LocalizedDetail[] = [];
    if (dto.criteria !== undefined) {
      problems.push(
        detail(
          'criteria',
          'Chỉ bài tự luận được chấm theo tiêu chí; câu này được sửa điểm bằng points và reason.',
          'Only an essay is marked per criterion; override this answer with points and a reason.',
        ),
      );
    }
    if (dto.points === undefined) {
      problems.push(detail('points', 'Cần số điểm mới.', 'Give the new points.'));
    } else if (dto.points > item.points) {
      problems.push(
        detail(
          'points',
          `Không được vượt quá ${item.points} điểm của câu.`,
          `Must not exceed the item’s ${item.points} points.`,
        ),
      );
    }
    if (dto.reason === undefined) {
      problems.push(detail('reason', 'Cần lý do sửa điểm.', 'Give the reason for the override.'));
    }
    if (problems.length) throw invalid(problems);
    return { points: dto.points!, criteria: {} };
  }

  /**
   * The slot a marker takes: their own (a re-mark) or the next the answer waits for. Asking
   * for another slot than one's own answers 409 MARKER_HOLDS_SLOT; a slot not open, 409
   * MARK_NOT_NEEDED.
   */
  private slotFor(
    actor: Actor,
    rule: MarkingRule,
    current: readonly MarkRow[],
    asked: number | undefined,
  ): MarkerSlot {
    const own = current.find((m) => m.marker_user_id === actor.userId);
    if (own && asked !== undefined && asked !== own.marker_no) {
      throw new DomainError('MARKER_HOLDS_SLOT', { markerNo: own.marker_no });
    }
    if (own) return own.marker_no as MarkerSlot;
    const next = nextSlot(rule, marksOf(current));
    if (next === null || (asked !== undefined && asked !== next)) {
      throw new DomainError('MARK_NOT_NEEDED');
    }
    return next;
  }

  /** Submitted, unreleased attempts in scope: ready (every answer final) or still waiting. */
  private async countUnreleased(
    em: EntityManager,
    actor: Actor,
    assessmentId: string,
    which: 'ready' | 'waiting',
    ids: string[] | null = null,
  ): Promise<number> {
    const scope = scopeConditionRaw('o.path', actor.scopePaths('training:manage'), 3);
    const [r] = await em.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM assessment_attempts t
         JOIN people p ON p.id = t.person_id
         JOIN org_units o ON o.id = p.home_org_unit_id
        WHERE t.assessment_id = $1 AND t.submitted_at IS NOT NULL AND t.released_at IS NULL
          AND ($2::uuid[] IS NULL OR t.id = ANY($2::uuid[]))
          AND ${which === 'ready' ? 'NOT' : ''} EXISTS (
                SELECT 1 FROM attempt_items i
                 WHERE i.attempt_id = t.id AND i.final_points IS NULL)
          AND ${scope.sql}`,
      [assessmentId, ids, ...scope.params],
    );
    return r.n;
  }

  /** An assessment of a course the officer may use, with training:manage; else 404. */
  private async findAssessment(
    actor: Actor,
    id: string,
    em: EntityManager,
  ): Promise<AssessmentRow> {
    const [a] = await em.query<AssessmentRow[]>(
      `SELECT id, course_id, second_marking, marker_threshold FROM assessments WHERE id = $1`,
      [id],
    );
    if (!a) throw new DomainError('ASSESSMENT_NOT_FOUND');
    await this.courses
      .findForStaff(actor, a.course_id, 'use', em, false, 'training:manage')
      .catch(hidden('ASSESSMENT_NOT_FOUND'));
    return a;
  }
}
