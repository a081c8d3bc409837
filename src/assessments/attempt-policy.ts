import { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { prepared } from '../common/sql/prepared';
import { EnrolmentsService } from '../courses/enrolments.service';
import { GradingPolicy } from './dto/blueprint.dto';
import { round2 } from './grading';

/** What a person may do on an assessment now: its window, and their accommodation if any. */
export interface SittingLimits {
  maxAttempts: number;
  timeLimitMinutes: number;
  /** The latest deadline an attempt may have (the window's close), or null. */
  closesAt: Date | null;
}

/** A row of SITTING_SQL: the assessment's window and attempts, and the person's accommodation. */
export interface SittingRow {
  max_attempts: number;
  time_limit_minutes: number;
  opens_at: Date | null;
  closes_at: Date | null;
  not_open: boolean;
  closed: boolean;
  extra_minutes: number | null;
  extra_attempts: number | null;
}

/**
 * What assessment `assessmentParam` allows person `personParam` now, one row (SittingRow), by
 * the database's clock; sittingLimits reads it.
 */
export const SITTING_SQL = (assessmentParam: string, personParam: string) =>
  `SELECT a.max_attempts, a.time_limit_minutes, a.opens_at, a.closes_at,
          COALESCE(a.opens_at > now(), false) AS not_open,
          COALESCE(a.closes_at <= now(), false) AS closed,
          x.extra_minutes, x.extra_attempts
     FROM assessments a
     LEFT JOIN assessment_accommodations x
       ON x.assessment_id = a.id AND x.person_id = ${personParam} AND x.revoked_at IS NULL
    WHERE a.id = ${assessmentParam}`;

/**
 * The attempts and minutes a person has on an assessment (a row of SITTING_SQL), refusing a
 * start outside its window (409 ASSESSMENT_NOT_OPEN / ASSESSMENT_WINDOW_CLOSED). An officer's
 * accommodation adds minutes and attempts.
 */
export function sittingLimits(r: SittingRow): SittingLimits {
  if (r.not_open) {
    throw new DomainError('ASSESSMENT_NOT_OPEN', { opensAt: new Date(r.opens_at!).toISOString() });
  }
  if (r.closed) throw new DomainError('ASSESSMENT_WINDOW_CLOSED');
  return {
    maxAttempts: r.max_attempts + (r.extra_attempts ?? 0),
    timeLimitMinutes: r.time_limit_minutes + (r.extra_minutes ?? 0),
    closesAt: r.closes_at,
  };
}

/** The SQL of an attempt's deadline from now: the time limit, cut at the window's close. */
export const DEADLINE_SQL = (minutesParam: string, closesParam: string) =>
  `LEAST(now() + make_interval(mins => ${minutesParam}), COALESCE(${closesParam}::timestamptz, 'infinity'))`;

/** The score that counts for an enrolment from its released attempts' scores, in order. */
export function policyScore(policy: GradingPolicy, scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  switch (policy) {
    case 'highest':
      return Math.max(...scores);
    case 'latest':
      return scores[scores.length - 1];
    case 'first':
      return scores[0];
    case 'average':
      return round2(scores.reduce((s, x) => s + x, 0) / scores.length);
  }
}

/**
 * After an attempt's result is released: the enrolment's score under the assessment's grading
 * policy over its released attempts; when it reaches the pass mark, the pass is recorded and
 * the course completion tried, in the caller's transaction (as a pass always was).
 */
export async function applyGradingPolicy(
  em: EntityManager,
  enrolments: EnrolmentsService,
  enrolmentId: string,
  assessmentId: string,
): Promise<{ score: number | null; passed: boolean }> {
  const rows = await prepared<{ score: string; policy: GradingPolicy; pass_score: string }[]>(
    em,
    `SELECT t.score, a.grading_policy AS policy, a.pass_score
       FROM assessment_attempts t JOIN assessments a ON a.id = t.assessment_id
      WHERE t.enrolment_id = $1 AND t.assessment_id = $2 AND t.released_at IS NOT NULL
      ORDER BY t.number`,
    [enrolmentId, assessmentId],
  );
  if (!rows.length) return { score: null, passed: false };
  const score = policyScore(
    rows[0].policy,
    rows.map((r) => Number(r.score)),
  );
  const passed = score !== null && score >= Number(rows[0].pass_score);
  if (passed) {
    await enrolments.recordAssessmentPass(em, enrolmentId, score);
    await enrolments.tryComplete(em, enrolmentId);
  }
  return { score, passed };
}
