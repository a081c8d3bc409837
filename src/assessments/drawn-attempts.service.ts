import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { prepared } from '../common/sql/prepared';
import { isoDateVi } from '../common/dates/vietnam-dates';
import { appendLineageEvidence } from '../competencies/learning-evidence';
import { EnrolmentsService, MARK_STARTED_SQL } from '../courses/enrolments.service';
import { ReviewPolicy } from './assessment.types';
import { applyGradingPolicy, DEADLINE_SQL, SittingLimits } from './attempt-policy';
import {
  DRAW_RULES_SQL,
  DrawRuleRow,
  drawLayout,
  foldDrawRules,
  optionOrder,
} from './attempt-draw';
import { bandLevel } from './competency-bands';
import { round2 } from './grading';
import { AttemptItemDto, SavedResponseDto } from './dto/drawn-attempt.dto';
import { nfcDeep } from './question-bank.rows';
import { QuestionVersionCache } from './question-version-cache';
import { gradeResponse, validateResponse } from './questions/question-grading';
import { ChoiceOption, QuestionBody, QuestionResponse } from './questions/question-model';

interface ItemRow {
  position: number;
  section: string;
  question_id: string;
  version: number;
  option_order: string[] | null;
  points: number;
  response: QuestionResponse | null;
  saved_at: Date | null;
  auto_points: string | null;
  correct: boolean | null;
  needs_marking: boolean;
  final_points: string | null;
  prompt: string;
  version_points: number;
  body: QuestionBody;
  feedback: string | null;
}

const iso = (d: Date | string) => new Date(d).toISOString();

/** The choices of `list` in the attempt's order of keys (unknown keys dropped). */
function inOrder(list: readonly ChoiceOption[], order: readonly string[] | null): ChoiceOption[] {
  if (!order) return list.map((o) => ({ key: o.key, text: o.text }));
  const byKey = new Map(list.map((o) => [o.key, o]));
  return order.flatMap((k) => {
    const o = byKey.get(k);
    return o ? [{ key: o.key, text: o.text }] : [];
  });
}

/** The right answer of a body in the shape of a response (null for an essay). */
export function correctAnswer(body: QuestionBody): unknown {
  switch (body.kind) {
    case 'single':
    case 'multiple':
    case 'true_false':
      return body.correct;
    case 'short_answer':
      return body.accepted;
    case 'numeric':
      return { value: body.value, tolerance: body.tolerance };
    case 'ordering':
      return body.items.map((i) => i.key);
    case 'matching':
      return body.pairs;
    case 'essay':
      return null;
  }
}

/** What itemDto needs of an attempt's item: its row with its version's prompt and body. */
type ItemView = Pick<
  ItemRow,
  | 'position'
  | 'section'
  | 'question_id'
  | 'option_order'
  | 'points'
  | 'prompt'
  | 'body'
  | 'response'
  | 'saved_at'
>;

/** One question of an attempt as its learner sees it, options in the attempt's order. */
function itemDto(r: ItemView, result: AttemptItemDto['result']): AttemptItemDto {
  const b = r.body;
  const options =
    b.kind === 'single' || b.kind === 'multiple'
      ? inOrder(b.options, r.option_order)
      : b.kind === 'ordering'
        ? inOrder(b.items, r.option_order)
        : b.kind === 'matching'
          ? inOrder(b.premises, null)
          : null;
  return {
    questionId: r.question_id,
    position: r.position,
    section: r.section,
    kind: b.kind,
    prompt: r.prompt,
    points: r.points,
    options,
    responses: b.kind === 'matching' ? inOrder(b.responses, r.option_order) : null,
    wordLimit: b.kind === 'essay' ? b.wordLimit : null,
    rubric:
      b.kind === 'essay'
        ? b.rubric.map((c) => ({ key: c.key, title: c.title, maxPoints: c.maxPoints }))
        : null,
    response: r.response,
    savedAt: r.saved_at ? iso(r.saved_at) : null,
    result,
  };
}

/** The attempt a start has just written, with what its first view needs. */
interface StartedRow {
  attempt_id: string;
  assessment_id: string;
  number: number;
  started_at: Date;
  deadline: Date;
  shuffle_questions: boolean;
  shuffle_options: boolean;
  assessment_title: string;
  max_attempts: number;
  review_policy: ReviewPolicy;
  course_id: string;
  code: string;
  course_title: string;
  version_no: number;
}

/** A drawn attempt just started: its row's facts and its questions as the learner sees them. */
export type DrawnStart = StartedRow & { id: string; items: AttemptItemDto[] };

/**
 * Attempts at an assessment drawn from question banks (issue 16, item 2): the draw at start,
 * recorded with the version each question showed and the order of its choices; autosave of a
 * response as one guarded UPDATE of one row; grading by the engine, with essays (and any
 * answer an officer overrides) left to markers; release of the result, with the grading policy
 * and the course completion, once every answer has its final points.
 */
@Injectable()
export class DrawnAttemptsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly enrolments: EnrolmentsService,
  ) {}

  /**
   * Creates attempt number `number` and its questions in the caller's transaction: the seed is
   * the new attempt's id, so the draw can be replayed; one INSERT for all its items. Answers
   * what the learner's first view shows, built from the draw rather than read back.
   */
  async create(
    em: EntityManager,
    assessmentId: string,
    enrolmentId: string,
    personId: string,
    number: number,
    limits: SittingLimits,
  ): Promise<DrawnStart> {
    // The attempt's id is its seed: drawn in the statement, so both are written at once. The
    // blueprint's rules and pools come back with it (a row per rule, its pool in two arrays).
    const rows = await prepared<(StartedRow & DrawRuleRow)[]>(
      em,
      `WITH n AS (SELECT gen_random_uuid() AS id),
            started AS (${MARK_STARTED_SQL('$2')}),
            made AS (
         INSERT INTO assessment_attempts (id, assessment_id, enrolment_id, person_id, number,
                                          started_at, deadline, seed)
         SELECT n.id, $1, $2, $3, $4, now(), ${DEADLINE_SQL('$5', '$6')}, n.id::text FROM n
         RETURNING id, assessment_id, number, started_at, deadline),
            src AS (${DRAW_RULES_SQL('$1')})
       SELECT made.id AS attempt_id, made.assessment_id, made.number, made.started_at, made.deadline,
              a.shuffle_questions,
              a.shuffle_options, a.title AS assessment_title, a.max_attempts, a.review_policy,
              c.id AS course_id, c.code, c.title AS course_title, c.version_no, src.*
         FROM made JOIN assessments a ON a.id = $1 JOIN courses c ON c.id = a.course_id
         LEFT JOIN src ON TRUE
        ORDER BY src.position`,
      [assessmentId, enrolmentId, personId, number, limits.timeLimitMinutes, limits.closesAt],
    );
    const [row] = rows;
    const seed = row.attempt_id;
    const { rules, pools } = foldDrawRules(rows);
    const layout = drawLayout(rules, pools, seed, row.shuffle_questions, () => 'blueprint');
    const byId = await this.versions.of(em, layout);
    const items = layout.map((i) => {
      const v = byId.get(i.questionId)!;
      return {
        position: i.position,
        section: i.section,
        question_id: i.questionId,
        version: i.version,
        option_order: optionOrder(v.body, `${seed}:${i.questionId}`, row.shuffle_options),
        points: i.points ?? v.points,
      };
    });
    await prepared(
      em,
      `INSERT INTO attempt_items (attempt_id, position, section, question_id, version,
                                  option_order, points)
       SELECT $1, x.position, x.section, x.question_id, x.version, x.option_order, x.points
         FROM jsonb_to_recordset($2::jsonb) AS x(position int, section text, question_id uuid,
                                                 version int, option_order jsonb, points int)`,
      [seed, JSON.stringify(items)],
    );
    // Its first save needs no read. Should this transaction roll back, a save to the attempt
    // finds no open row to update and takes the full route, which answers 404.
    this.remember(
      seed,
      personId,
      layout.map((i) => ({ ...i, body: byId.get(i.questionId)!.body })),
    );
    return {
      ...row,
      id: seed,
      items: items.map((i) => {
        const v = byId.get(i.question_id)!;
        return itemDto(
          { ...i, prompt: v.prompt, body: v.body, response: null, saved_at: null },
          null,
        );
      }),
    };
  }

  /** The questions of a drawn attempt as its learner sees them; results once `reviewOpen`. */
  async items(
    em: EntityManager,
    attemptId: string,
    reviewOpen: boolean,
    released: boolean,
  ): Promise<AttemptItemDto[]> {
    const rows = await this.itemRows(em, attemptId);
    return rows.map((r) =>
      itemDto(
        r,
        reviewOpen && released
          ? {
              pointsEarned: r.final_points === null ? null : Number(r.final_points),
              correct: r.correct,
              correctAnswer: correctAnswer(r.body),
              feedback: r.feedback,
            }
          : null,
      ),
    );
  }

  /**
   * What an autosave checks that cannot change once an attempt is drawn — who owns it, and for
   * each question its position and the body of the version it shows — kept for the most recent
   * attempts of this process, so that a save in an exam is one round trip (the guarded UPDATE).
   * Whether the attempt is still open is never cached: the UPDATE decides it.
   */
  private readonly layouts = new Map<
    string,
    { personId: string; items: Map<string, { position: number; body: QuestionBody }> }
  >();
  /** The question versions this process has read (a start shows them; layouts share bodies). */
  private readonly versions = new QuestionVersionCache();

  /**
   * Autosave of one response: checked against the question's kind (422 RESPONSE_INVALID with
   * details), then written by one UPDATE that share-locks the attempt and holds only while it is
   * open and before its deadline (409 ATTEMPT_CLOSED otherwise) — a submit that grades waits
   * for it or refuses it, never loses it. The attempt's layout is read once (all its items) and
   * kept in `layouts`; a later save of a valid response reads nothing. Anything else (unknown
   * attempt or question, invalid response) takes the full check, in the same order as always.
   */
  async saveResponse(
    actor: Actor,
    attemptId: string,
    questionId: string,
    raw: unknown,
  ): Promise<SavedResponseDto> {
    const em = this.dataSource.manager;
    const value = nfcDeep(raw);
    const fast = this.knownSave(actor, attemptId, questionId, value);
    let position: number;
    let response: QuestionResponse | null;
    if (fast) {
      ({ position, response } = fast);
    } else {
      const rows = await em.query<
        {
          open: boolean;
          question_id: string | null;
          position: number | null;
          version: number | null;
          body: QuestionBody | null;
        }[]
      >(
        `SELECT (t.submitted_at IS NULL AND t.deadline > now()) AS open, i.question_id,
                i.position, i.version, v.body
           FROM assessment_attempts t
           LEFT JOIN attempt_items i ON i.attempt_id = t.id
           LEFT JOIN bank_question_versions v
             ON v.question_id = i.question_id AND v.version = i.version
          WHERE t.id = $1 AND t.person_id = $2`,
        [attemptId, actor.personId],
      );
      if (!rows.length) throw new DomainError('ATTEMPT_NOT_FOUND');
      const items = this.remember(
        attemptId,
        actor.personId,
        rows.flatMap((r) =>
          r.question_id && r.position !== null && r.version !== null && r.body
            ? [
                {
                  questionId: r.question_id,
                  position: r.position,
                  version: r.version,
                  body: r.body,
                },
              ]
            : [],
        ),
      );
      const item = items.get(questionId);
      if (!item) throw new DomainError('QUESTION_NOT_FOUND');
      if (!rows[0].open) throw new DomainError('ATTEMPT_CLOSED');
      const checked = validateResponse(item.body, value);
      if ('details' in checked) throw new DomainError('RESPONSE_INVALID', {}, checked.details);
      position = item.position;
      response = checked.response;
    }
    const saved = await this.write(attemptId, position, response);
    if (!saved) throw new DomainError('ATTEMPT_CLOSED');
    return { questionId, response, savedAt: iso(saved) };
  }

  /**
   * The everyday autosave, for the exam's hot path (autosave-fast-path.ts): the save of a valid
   * response to a question of an attempt whose layout this process keeps, by its owner, while
   * the attempt is open. Anything else — a layout not kept, an invalid response, a closed
   * attempt — answers undefined having written nothing, and the caller takes the full path
   * (saveResponse), which gives the same answer a save has always had.
   */
  async saveKnown(
    actor: Actor,
    attemptId: string,
    questionId: string,
    raw: unknown,
  ): Promise<SavedResponseDto | undefined> {
    const known = this.knownSave(actor, attemptId, questionId, nfcDeep(raw));
    if (!known) return undefined;
    const saved = await this.write(attemptId, known.position, known.response);
    return saved ? { questionId, response: known.response, savedAt: iso(saved) } : undefined;
  }

  /**
   * Keeps an attempt's layout (newest last, at most 5,000), each question's body shared with the
   * other layouts showing the same version.
   */
  private remember(
    attemptId: string,
    personId: string,
    shown: { questionId: string; position: number; version: number; body: QuestionBody }[],
  ): Map<string, { position: number; body: QuestionBody }> {
    const items = new Map<string, { position: number; body: QuestionBody }>();
    for (const q of shown) {
      const body = this.versions.bodyOf(q.questionId, q.version) ?? q.body;
      items.set(q.questionId, { position: q.position, body });
    }
    this.layouts.delete(attemptId); // re-inserted last: the Map's order is the age order
    this.layouts.set(attemptId, { personId, items });
    while (this.layouts.size > 5_000) {
      this.layouts.delete(this.layouts.keys().next().value as string);
    }
    return items;
  }

  /** The position and checked response of a save the kept layout can answer alone. */
  private knownSave(
    actor: Actor,
    attemptId: string,
    questionId: string,
    value: unknown,
  ): { position: number; response: QuestionResponse | null } | undefined {
    const known = this.layouts.get(attemptId);
    const cached = known?.personId === actor.personId ? known.items.get(questionId) : undefined;
    if (!cached) return undefined;
    const checked = validateResponse(cached.body, value);
    return 'details' in checked
      ? undefined
      : { position: cached.position, response: checked.response };
  }

  /**
   * The save itself: one UPDATE that share-locks the attempt and holds only while it is open and
   * before its deadline — a submit that grades waits for it or refuses it, never loses it. When
   * it was saved, or undefined when the attempt is closed.
   */
  private async write(
    attemptId: string,
    position: number,
    response: QuestionResponse | null,
  ): Promise<Date | undefined> {
    const [saved] = await prepared<{ saved_at: Date }[]>(
      this.dataSource,
      `WITH t AS (
         SELECT id FROM assessment_attempts
          WHERE id = $1 AND submitted_at IS NULL AND deadline > now()
          FOR SHARE
       ), u AS (
         UPDATE attempt_items i SET response = $3::jsonb, saved_at = now()
           FROM t WHERE i.attempt_id = t.id AND i.position = $2
         RETURNING i.saved_at
       )
       SELECT saved_at FROM u`,
      [attemptId, position, JSON.stringify(response)],
    );
    return saved?.saved_at;
  }

  /**
   * Grades a locked, unsubmitted drawn attempt: each response by the engine, scaled to the
   * item's points; essays wait for markers. Released at once when nothing waits.
   */
  async grade(em: EntityManager, attemptId: string): Promise<{ passed: boolean }> {
    const rows = await this.itemRows(em, attemptId);
    const graded = rows.map((r) => {
      const g = gradeResponse(
        { prompt: r.prompt, points: r.version_points, body: r.body },
        r.response,
      );
      const points = g.needsManual ? null : round2((g.points / g.maxPoints) * r.points);
      return {
        position: r.position,
        auto_points: points,
        correct: g.correct,
        needs_marking: g.needsManual,
        final_points: points,
      };
    });
    // The items graded and the attempt closed in one statement (grading leaves items' points
    // as they were, so the total may read them from the statement's snapshot).
    await prepared(
      em,
      `WITH graded AS (
         UPDATE attempt_items i
            SET auto_points = x.auto_points, correct = x.correct,
                needs_marking = x.needs_marking, final_points = x.final_points
           FROM jsonb_to_recordset($2::jsonb) AS x(position int, auto_points numeric,
                                                   correct boolean, needs_marking boolean,
                                                   final_points numeric)
          WHERE i.attempt_id = $1 AND i.position = x.position
          RETURNING i.position
       )
       UPDATE assessment_attempts
          SET submitted_at = now(),
              points_total = (SELECT sum(points) FROM attempt_items WHERE attempt_id = $1)
        WHERE id = $1`,
      [attemptId, JSON.stringify(graded)],
    );
    const released = await this.release(em, attemptId);
    return { passed: released?.passed ?? false };
  }

  /**
   * Releases a submitted attempt whose every answer has its final points: its score and pass,
   * then the enrolment's score under the grading policy, completion, certificate and competency
   * evidence, all in the caller's transaction. Null when an answer still waits for a marker.
   * Releasing again (after a mark changed) recomputes the score.
   */
  async release(
    em: EntityManager,
    attemptId: string,
  ): Promise<{ score: number; passed: boolean } | null> {
    const [s] = await prepared<
      {
        earned: string | null;
        total: number;
        waiting: number;
        pass_score: string;
        enrolment_id: string;
        assessment_id: string;
        person_id: string;
        competency_bands: { minScore: number; level: number }[] | null;
      }[]
    >(
      em,
      `SELECT (SELECT sum(final_points) FROM attempt_items WHERE attempt_id = t.id) AS earned,
              (SELECT sum(points)::int FROM attempt_items WHERE attempt_id = t.id) AS total,
              (SELECT count(*)::int FROM attempt_items
                WHERE attempt_id = t.id AND final_points IS NULL) AS waiting,
              a.pass_score, t.enrolment_id, t.assessment_id, t.person_id, a.competency_bands
         FROM assessment_attempts t JOIN assessments a ON a.id = t.assessment_id
        WHERE t.id = $1 AND t.submitted_at IS NOT NULL`,
      [attemptId],
    );
    if (!s || s.waiting > 0) return null;
    const earned = Number(s.earned ?? 0);
    const score = s.total > 0 ? round2((earned / s.total) * 10) : 0;
    const passed = score >= Number(s.pass_score);
    await prepared(
      em,
      `UPDATE assessment_attempts
          SET points_earned = $2, points_total = $3, score = $4, passed = $5,
              released_at = COALESCE(released_at, now())
        WHERE id = $1`,
      [attemptId, earned, s.total, score, passed],
    );
    if (s.competency_bands?.length)
      await this.evidence(em, attemptId, s.person_id, s.competency_bands);
    await applyGradingPolicy(em, this.enrolments, s.enrolment_id, s.assessment_id);
    return { score, passed };
  }

  /** Competency evidence from a released attempt: per tagged competency, its score's band. */
  private async evidence(
    em: EntityManager,
    attemptId: string,
    personId: string,
    bands: { minScore: number; level: number }[],
  ): Promise<void> {
    const per = await prepared<{ lineage: string; earned: string; total: number }[]>(
      em,
      `SELECT q.competency_lineage_id AS lineage, sum(i.final_points) AS earned,
              sum(i.points)::int AS total
         FROM attempt_items i JOIN bank_questions q ON q.id = i.question_id
        WHERE i.attempt_id = $1 AND q.competency_lineage_id IS NOT NULL
        GROUP BY q.competency_lineage_id`,
      [attemptId],
    );
    const ratedOn = isoDateVi(new Date());
    await appendLineageEvidence(
      em,
      per.flatMap((p) => {
        const level = bandLevel(round2((Number(p.earned) / p.total) * 10), bands);
        return level === null
          ? []
          : [
              {
                personId,
                lineageId: p.lineage,
                level,
                source: 'assessment' as const,
                ratedOn,
                sourceType: 'attempt',
                sourceId: attemptId,
              },
            ];
      }),
    );
  }

  /** An attempt's items with the versions they show (those this process has not read yet, read). */
  private async itemRows(em: EntityManager, attemptId: string): Promise<ItemRow[]> {
    const rows = await prepared<Omit<ItemRow, 'prompt' | 'version_points' | 'body'>[]>(
      em,
      `SELECT i.*,
              (SELECT m.feedback FROM attempt_marks m
                WHERE m.attempt_id = i.attempt_id AND m.position = i.position
                  AND m.superseded_at IS NULL AND m.feedback IS NOT NULL
                ORDER BY m.marker_no DESC LIMIT 1) AS feedback
         FROM attempt_items i
        WHERE i.attempt_id = $1
        ORDER BY i.position`,
      [attemptId],
    );
    const versions = await this.versions.of(
      em,
      rows.map((r) => ({ questionId: r.question_id, version: r.version })),
    );
    return rows.map((r) => {
      const v = versions.get(r.question_id)!;
      return { ...r, prompt: v.prompt, version_points: v.points, body: v.body };
    });
  }
}
