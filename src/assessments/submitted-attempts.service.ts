import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, scopeConditionRaw } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, toPage } from '../common/pagination/page';
import { CoursesService } from '../courses/courses.service';
import { DrawnAttemptsService } from './drawn-attempts.service';
import {
  SubmittedAttemptDto,
  SubmittedAttemptsPageDto,
  SubmittedAttemptsQueryDto,
  SubmittedAttemptSummaryDto,
  SubmittedMarkDto,
} from './dto/submitted-attempt.dto';

interface SummaryRow {
  id: string;
  person_id: string;
  full_name: string;
  number: number;
  submitted_key: string;
  released: boolean;
  score: string | null;
  passed: boolean | null;
  waiting: number;
  overridden: number;
}

interface MarkRow {
  id: string;
  position: number;
  marker_no: number;
  marker_user_id: string | null;
  marker_name: string | null;
  points: string;
  feedback: string | null;
  created_at: Date | string;
  reason: string | null;
}

/** The columns of a summary, over `t` (the attempt) and `p` (its learner). */
const SUMMARY_SQL = `t.id, t.person_id, p.full_name, t.number,
  to_char(t.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS submitted_key,
  t.released_at IS NOT NULL AS released, t.score, t.passed,
  (SELECT count(*)::int FROM attempt_items i
    WHERE i.attempt_id = t.id AND i.final_points IS NULL) AS waiting,
  (SELECT count(DISTINCT k.position)::int FROM attempt_marks k
     JOIN attempt_items i ON i.attempt_id = k.attempt_id AND i.position = k.position
    WHERE k.attempt_id = t.id AND k.superseded_at IS NULL AND NOT i.needs_marking) AS overridden`;

const summaryOf = (r: SummaryRow): SubmittedAttemptSummaryDto => ({
  id: r.id,
  personId: r.person_id,
  learnerName: r.full_name,
  number: r.number,
  submittedAt: r.submitted_key,
  released: r.released,
  score: r.score === null ? null : Number(r.score),
  passed: r.passed,
  waiting: r.waiting,
  overridden: r.overridden,
});

/** A course out of the officer's reach hides what is behind it (404). */
const hidden =
  (code: 'ASSESSMENT_NOT_FOUND' | 'ATTEMPT_NOT_FOUND') =>
  (e: unknown): never => {
    throw e instanceof DomainError ? new DomainError(code) : e;
  };

/**
 * The submitted drawn attempts of an assessment as the officer who marks them reads them (issue
 * 16, item 3): a keyset list, newest submission first, and one attempt with every answer, the
 * right answer, the engine's points and the current marks — an override with the reason its
 * audit entry holds. In the reach MarkingService.mark asks: training:manage over the learner's
 * home unit and use of the course; anything else is 404, as an attempt that does not exist.
 */
@Injectable()
export class SubmittedAttemptsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly courses: CoursesService,
    private readonly drawn: DrawnAttemptsService,
  ) {}

  /** Submitted drawn attempts of an assessment by learners in scope, newest first. */
  async list(
    actor: Actor,
    assessmentId: string,
    query: SubmittedAttemptsQueryDto,
  ): Promise<SubmittedAttemptsPageDto> {
    const after = decodeCursor(query.cursor, ['timestamp', 'uuid'] as const);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const em = this.dataSource.manager;
    const [a] = await em.query<{ id: string; course_id: string }[]>(
      `SELECT id, course_id FROM assessments WHERE id = $1`,
      [assessmentId],
    );
    if (!a) throw new DomainError('ASSESSMENT_NOT_FOUND');
    await this.courses
      .findForStaff(actor, a.course_id, 'use', em, false, 'training:manage')
      .catch(hidden('ASSESSMENT_NOT_FOUND'));
    // An officer's own attempts are not theirs to review here: this page shows right answers
    // whatever the review policy, and marking one's own attempt is refused anyway.
    const scope = scopeConditionRaw('o.path', actor.scopePaths('training:manage'), 4);
    const params: unknown[] = [a.id, limit + 1, actor.personId ?? null, ...scope.params];
    let keyset = '';
    if (after) {
      const n = params.length;
      keyset = `AND (t.submitted_at, t.id) < ($${n + 1}::timestamptz, $${n + 2}::uuid)`;
      params.push(...after);
    }
    const rows = await em.query<SummaryRow[]>(
      `SELECT ${SUMMARY_SQL}
         FROM assessment_attempts t
         JOIN people p ON p.id = t.person_id
         JOIN org_units o ON o.id = p.home_org_unit_id
        WHERE t.assessment_id = $1 AND t.submitted_at IS NOT NULL
          AND t.person_id IS DISTINCT FROM $3::uuid
          AND EXISTS (SELECT 1 FROM attempt_items i WHERE i.attempt_id = t.id)
          AND ${scope.sql} ${keyset}
        ORDER BY t.submitted_at DESC, t.id DESC
        LIMIT $2`,
      params,
    );
    return toPage(rows, limit, (r) => [r.submitted_key, r.id], summaryOf);
  }

  /** One submitted drawn attempt with every answer, its right answer, points and marks. */
  async view(actor: Actor, attemptId: string): Promise<SubmittedAttemptDto> {
    const em = this.dataSource.manager;
    const scope = scopeConditionRaw('o.path', actor.scopePaths('training:manage'), 3);
    const [t] = await em.query<
      (SummaryRow & {
        assessment_id: string;
        title: string;
        course_id: string;
        points_earned: string | null;
        points_total: number | null;
      })[]
    >(
      `SELECT ${SUMMARY_SQL}, t.assessment_id, a.title, a.course_id, t.points_earned,
              (SELECT sum(points)::int FROM attempt_items WHERE attempt_id = t.id) AS points_total
         FROM assessment_attempts t
         JOIN assessments a ON a.id = t.assessment_id
         JOIN people p ON p.id = t.person_id
         JOIN org_units o ON o.id = p.home_org_unit_id
        WHERE t.id = $1 AND t.submitted_at IS NOT NULL AND ${scope.sql}
          AND t.person_id IS DISTINCT FROM $2::uuid
          AND EXISTS (SELECT 1 FROM attempt_items i WHERE i.attempt_id = t.id)`,
      [attemptId, actor.personId ?? null, ...scope.params],
    );
    if (!t) throw new DomainError('ATTEMPT_NOT_FOUND');
    await this.courses
      .findForStaff(actor, t.course_id, 'use', em, false, 'training:manage')
      .catch(hidden('ATTEMPT_NOT_FOUND'));
    const items = await this.drawn.items(em, t.id, true, true);
    const extra = await em.query<
      { position: number; auto_points: string | null; needs_marking: boolean }[]
    >(`SELECT position, auto_points, needs_marking FROM attempt_items WHERE attempt_id = $1`, [
      t.id,
    ]);
    const byPosition = new Map(extra.map((e) => [e.position, e]));
    const marks = await this.marks(em, actor, t.id);
    return {
      ...summaryOf(t),
      assessmentId: t.assessment_id,
      assessmentTitle: t.title,
      courseId: t.course_id,
      pointsEarned: t.points_earned === null ? null : Number(t.points_earned),
      pointsTotal: t.points_total ?? 0,
      items: items.map((item) => {
        const e = byPosition.get(item.position);
        return {
          ...item,
          autoPoints: e?.auto_points == null ? null : Number(e.auto_points),
          needsMarking: e?.needs_marking ?? false,
          marks: marks.get(item.position) ?? [],
        };
      }),
    };
  }

  /**
   * The current marks of an attempt by position, each with its marker's name and, for an
   * override, the reason written into its audit entry (the mark's own row keeps no reason).
   */
  private async marks(
    em: EntityManager,
    actor: Actor,
    attemptId: string,
  ): Promise<Map<number, SubmittedMarkDto[]>> {
    const rows = await em.query<MarkRow[]>(
      `SELECT k.id, k.position, k.marker_no, k.marker_user_id, k.points, k.feedback,
              k.created_at, COALESCE(mp.full_name, u.email) AS marker_name,
              (SELECT l.after->>'reason' FROM audit_log l
                WHERE l.entity_type = 'attempt_mark' AND l.entity_id = k.id
                ORDER BY l.at DESC LIMIT 1) AS reason
         FROM attempt_marks k
         LEFT JOIN user_accounts u ON u.id = k.marker_user_id
         LEFT JOIN people mp ON mp.id = u.person_id
        WHERE k.attempt_id = $1 AND k.superseded_at IS NULL
        ORDER BY k.position, k.marker_no`,
      [attemptId],
    );
    const out = new Map<number, SubmittedMarkDto[]>();
    for (const r of rows) {
      const list = out.get(r.position) ?? [];
      list.push({
        id: r.id,
        markerNo: r.marker_no,
        points: Number(r.points),
        markerName: r.marker_name,
        mine: r.marker_user_id === actor.userId,
        markedAt: new Date(r.created_at).toISOString(),
        feedback: r.feedback,
        reason: r.reason,
      });
      out.set(r.position, list);
    }
    return out;
  }
}
