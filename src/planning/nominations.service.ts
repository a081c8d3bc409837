import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import type { Language } from '../common/http/language';
import { BAD_CURSOR, Bilingual, decimalText, fill } from '../common/text/bilingual';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import { EnrolmentsService } from '../courses/enrolments.service';
import { NotificationsService } from '../notifications/notifications.service';
import { EvaluationsService } from '../evaluations/evaluations.service';
import { GapsService, GapTarget } from '../gaps/gaps.service';
import { Gender } from '../people/person.types';
import { PeopleService } from '../people/people.service';
import { PostType } from '../posts/post-types';
import {
  ChangeReadinessDto,
  CreateNominationDto,
  DecideReviewDto,
  DevelopmentPlanDto,
  EnrolPlanDto,
  PlanCourseSummaryDto,
  PlanEnrolmentResultDto,
  ListNominationsQueryDto,
  ListReviewsQueryDto,
  NominationDto,
  NominationPageDto,
  OpenReviewDto,
  OpenReviewResultDto,
  ReadinessSuggestionDto,
  RemoveNominationDto,
  ReviewDto,
  ReviewFlagsDto,
} from './dto/planning.dto';
import { CycleRow, PlanningCyclesService } from './planning-cycles.service';
import {
  CYCLE_STATUS_LABELS,
  NOMINATION_STATUS_LABELS,
  READINESS_LABELS,
  REMOVAL_REASON_LABELS,
  REVIEW_DECISION_LABELS,
  SUGGESTION_REASON_LABELS,
} from './planning-labels';
import { countingCycle, lockPostNominations } from './planning-limits';
import {
  checkWorkingYears,
  LIVE_STATUSES,
  NOMINATING_STATUSES,
  REVIEWABLE_STATUSES,
} from './planning-rules';
import { cycleTargets, cycleWarnings } from './planning-targets';
import {
  NominationStatus,
  PlanningRules,
  READINESS_LEVELS,
  Readiness,
  RemovalReason,
  ReviewDecision,
} from './planning.types';
import { isOverride, suggestReadiness } from './readiness-suggestion';
import { isoToVi } from '../common/dates/vietnam-dates';
import { Clock } from '../common/clock/clock';

interface NominationRow {
  id: string;
  cycle_id: string;
  post_id: string;
  post_title: string;
  post_type: PostType;
  post_org_unit_id: string;
  person_id: string;
  full_name: string;
  gender: Gender | null;
  birth_date: string | null;
  readiness: Readiness;
  readiness_override_reason: string | null;
  status: NominationStatus;
  removal_reason: RemovalReason | null;
  removal_note: string | null;
  first_time: boolean;
  proposed_by: string | null;
  approved_by: string | null;
  approved_at: Date | string | null;
  removed_by: string | null;
  removed_at: Date | string | null;
  created_at: Date | string;
}

const NOMINATION_COLUMNS = `n.id, n.cycle_id, n.post_id, po.title AS post_title,
  po.post_type, po.org_unit_id AS post_org_unit_id, n.person_id, pe.full_name, pe.gender,
  pe.birth_date::text AS birth_date, n.readiness, n.readiness_override_reason, n.status, n.removal_reason, n.removal_note, n.first_time, n.proposed_by,
  n.approved_by, n.approved_at, n.removed_by, n.removed_at, n.created_at`;

const NOMINATION_FROM = `nominations n
  JOIN posts po ON po.id = n.post_id
  JOIN people pe ON pe.id = n.person_id`;

const isoOrNull = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/** The suggestion as computed, before its reasons are worded for a reader. */
type Suggestion = Omit<ReadinessSuggestionDto, 'reasonLabels'>;

function labelSuggestion(s: Suggestion, lang: Language): ReadinessSuggestionDto {
  return { ...s, reasonLabels: s.reasons.map((r) => SUGGESTION_REASON_LABELS[r][lang]) };
}

function toNominationDto(r: NominationRow, suggestion: Suggestion, lang: Language): NominationDto {
  return {
    id: r.id,
    cycleId: r.cycle_id,
    postId: r.post_id,
    postTitle: r.post_title,
    postType: r.post_type,
    personId: r.person_id,
    fullName: r.full_name,
    gender: r.gender,
    birthDate: r.birth_date,
    readiness: r.readiness,
    readinessLabel: READINESS_LABELS[r.readiness][lang],
    readinessOverrideReason: r.readiness_override_reason,
    suggestedReadiness: suggestion.readiness,
    suggestedReadinessLabel: suggestion.readiness
      ? READINESS_LABELS[suggestion.readiness][lang]
      : null,
    suggestion: labelSuggestion(suggestion, lang),
    status: r.status,
    statusLabel: NOMINATION_STATUS_LABELS[r.status][lang],
    removalReason: r.removal_reason,
    removalReasonLabel: r.removal_reason ? REMOVAL_REASON_LABELS[r.removal_reason][lang] : null,
    removalNote: r.removal_note,
    firstTime: r.first_time,
    proposedBy: r.proposed_by,
    approvedBy: r.approved_by,
    approvedAt: isoOrNull(r.approved_at),
    removedBy: r.removed_by,
    removedAt: isoOrNull(r.removed_at),
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** What the audit log keeps of a nomination. */
function nominationSnapshot(r: NominationRow) {
  return {
    cycleId: r.cycle_id,
    postId: r.post_id,
    personId: r.person_id,
    readiness: r.readiness,
    readinessOverrideReason: r.readiness_override_reason,
    status: r.status,
    removalReason: r.removal_reason,
    removalNote: r.removal_note,
    firstTime: r.first_time,
    proposedBy: r.proposed_by,
    approvedBy: r.approved_by,
  };
}

interface ReviewRow {
  id: string;
  nomination_id: string;
  cycle_id: string;
  review_year: number;
  person_id: string;
  full_name: string;
  post_id: string;
  post_title: string;
  readiness_before: Readiness;
  readiness_after: Readiness | null;
  decision: ReviewDecision | null;
  flags: ReviewFlagsDto;
  note: string | null;
  reviewer: string | null;
  decided_at: Date | string | null;
  created_at: Date | string;
}

const REVIEW_COLUMNS = `r.id, r.nomination_id, r.cycle_id, r.review_year, n.person_id,
  pe.full_name, n.post_id, po.title AS post_title, r.readiness_before, r.readiness_after,
  r.decision, r.flags, r.note, r.reviewer, r.decided_at, r.created_at`;

const REVIEW_FROM = `nomination_reviews r
  JOIN nominations n ON n.id = r.nomination_id
  JOIN posts po ON po.id = n.post_id
  JOIN people pe ON pe.id = n.person_id`;

function toReviewDto(r: ReviewRow, lang: Language): ReviewDto {
  return {
    id: r.id,
    nominationId: r.nomination_id,
    cycleId: r.cycle_id,
    reviewYear: Number(r.review_year),
    personId: r.person_id,
    fullName: r.full_name,
    postId: r.post_id,
    postTitle: r.post_title,
    readinessBefore: r.readiness_before,
    readinessBeforeLabel: READINESS_LABELS[r.readiness_before][lang],
    readinessAfter: r.readiness_after,
    readinessAfterLabel: r.readiness_after ? READINESS_LABELS[r.readiness_after][lang] : null,
    decision: r.decision,
    decisionLabel: r.decision ? REVIEW_DECISION_LABELS[r.decision][lang] : null,
    flags: r.flags,
    note: r.note,
    reviewer: r.reviewer,
    decidedAt: isoOrNull(r.decided_at),
    createdAt: new Date(r.created_at).toISOString(),
  };
}

function reviewSnapshot(r: ReviewRow) {
  return {
    nominationId: r.nomination_id,
    reviewYear: Number(r.review_year),
    readinessBefore: r.readiness_before,
    readinessAfter: r.readiness_after,
    decision: r.decision,
    flags: r.flags,
    note: r.note,
    reviewer: r.reviewer,
  };
}

/**
 * Nominations to a cycle's posts under the cycle's rules, four-eyes approval, removal with a
 * reason, and the yearly review. The rules are checked with the cycle-post row and the person
 * row locked (always in that order), so racing requests see each other's nominations.
 */
@Injectable()
export class NominationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cycles: PlanningCyclesService,
    private readonly people: PeopleService,
    private readonly evaluations: EvaluationsService,
    private readonly audit: AuditService,
    private readonly gaps: GapsService,
    private readonly enrolments: EnrolmentsService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  // ── readiness suggestion (issue 5, item 3) ───────────────────────────────────────────────

  /**
   * The suggested readiness of many nominees in two queries whatever their number: the gaps
   * of every (person, nominated post) at once (GapsService.gapsForTargets) and the latest
   * evaluation of every person (EvaluationsService.latestFor); the rule is suggestReadiness.
   */
  async suggestionsFor(
    em: EntityManager,
    targets: readonly GapTarget[],
  ): Promise<Map<string, Suggestion>> {
    const gaps = await this.gaps.gapsForTargets(em, targets);
    const latest = await this.evaluations.latestFor(em, [
      ...new Set(targets.map((t) => t.personId)),
    ]);
    const out = new Map<string, Suggestion>();
    for (const t of targets) {
      const g = gaps.get(t.key);
      const e = latest.get(t.personId);
      const s = suggestReadiness({
        hasProfile: !!g?.profile,
        gaps: g?.items ?? [],
        evaluation: e ? { year: e.year, level: e.level } : null,
      });
      const slim = (x: (typeof s.criticalGaps)[number]) => ({
        code: x.code,
        requiredLevel: x.requiredLevel,
        currentLevel: x.currentLevel,
        critical: x.critical,
        gap: x.gap,
      });
      out.set(t.key, {
        readiness: s.readiness,
        reasons: s.reasons,
        versionId: g?.versionId ?? null,
        profileId: g?.profile?.id ?? null,
        criticalGaps: s.criticalGaps.map(slim),
        gapsOverOne: s.gapsOverOne.map(slim),
        maxGap: s.maxGap,
        totalGap: s.totalGap,
        evaluation: s.evaluation,
      });
    }
    return out;
  }

  private static targetOf(r: NominationRow): GapTarget {
    return {
      key: r.id,
      personId: r.person_id,
      postType: r.post_type,
      orgUnitId: r.post_org_unit_id,
    };
  }

  /** Rows to DTOs with their suggestions: a bounded number of queries for the whole list. */
  private async toDtos(
    em: EntityManager,
    rows: readonly NominationRow[],
    lang: Language,
  ): Promise<NominationDto[]> {
    const suggestions = await this.suggestionsFor(em, rows.map(NominationsService.targetOf));
    return rows.map((r) => toNominationDto(r, suggestions.get(r.id)!, lang));
  }

  private async toDto(
    em: EntityManager,
    row: NominationRow,
    lang: Language,
  ): Promise<NominationDto> {
    return (await this.toDtos(em, [row], lang))[0];
  }

  /**
   * Refuses a readiness other than the suggested one without a reason (422
   * PLANNING_READINESS_OVERRIDE_REASON, the detail naming `field`); returns what to store in
   * readiness_override_reason: the reason for an override, null when HR follows the suggestion.
   */
  private static overrideReason(
    chosen: Readiness,
    suggestion: Suggestion,
    reason: string | undefined,
    field: string,
  ): string | null {
    if (!isOverride(chosen, suggestion)) return null;
    if (!reason) {
      const suggested = READINESS_LABELS[suggestion.readiness!];
      const why = suggestion.reasons.map((r) => SUGGESTION_REASON_LABELS[r]);
      throw new DomainError('PLANNING_READINESS_OVERRIDE_REASON', { suggested }, [
        {
          field,
          ...fill(
            {
              vi: 'Cần nêu lý do: hệ thống gợi ý "{suggested}" ({why}).',
              en: 'A reason is required: the suggested readiness is "{suggested}" ({why}).',
            },
            {
              suggested,
              why: why.length
                ? { vi: why.map((w) => w.vi).join('; '), en: why.map((w) => w.en).join('; ') }
                : { vi: 'không có thiếu hụt', en: 'no gaps' },
            },
          ),
        },
      ]);
    }
    return reason;
  }

  private async loadNomination(
    em: EntityManager,
    cycleId: string,
    id: string,
    lock = false,
  ): Promise<NominationRow> {
    const [row] = await em.query<NominationRow[]>(
      `SELECT ${NOMINATION_COLUMNS} FROM ${NOMINATION_FROM}
        WHERE n.id = $1 AND n.cycle_id = $2
        ${lock ? 'FOR UPDATE OF n' : ''}`,
      [id, cycleId],
    );
    if (!row) throw new DomainError('NOMINATION_NOT_FOUND');
    return row;
  }

  /**
   * Names a cadre for a planned post, under the rules counted over every live cycle and this
   * one (planning-limits.ts): nobody twice for one post (409 PLANNING_NOMINATION_DUPLICATE),
   * at most N per post and N posts of the same level per person (422), and, for a first-time
   * nominee, enough working years before the statutory retirement date (422).
   */
  async create(
    actor: Actor,
    cycleId: string,
    dto: CreateNominationDto,
    lang: Language,
  ): Promise<NominationDto> {
    return this.dataSource.transaction(async (em) => {
      // Lock order everywhere: cycle (share) → post → person (planning-limits.ts).
      const cycle = await this.cycles.findInScope(actor, cycleId, 'hr:manage', em, 'share');
      if (!NOMINATING_STATUSES.includes(cycle.status)) {
        throw new DomainError('PLANNING_CYCLE_STATUS', {
          status: CYCLE_STATUS_LABELS[cycle.status],
        });
      }
      const person = await this.people.findInScope(actor, dto.personId, 'hr:manage', em);
      const [planned] = await em.query<{ post_type: PostType; org_unit_id: string }[]>(
        `SELECT po.post_type, po.org_unit_id
           FROM planning_cycle_posts cp JOIN posts po ON po.id = cp.post_id
          WHERE cp.cycle_id = $1 AND cp.post_id = $2`,
        [cycle.id, dto.postId],
      );
      if (!planned) {
        throw new DomainError('PLANNING_POST_NOT_PLANNED', {}, [
          {
            field: 'postId',
            vi: 'Chức danh không có trong kỳ quy hoạch này.',
            en: 'Not a post of this cycle.',
          },
        ]);
      }
      await lockPostNominations(em, [dto.postId]);
      const [locked] = await em.query<
        {
          status: string;
          birth_date: string | null;
          gender: Gender | null;
          retires: string | null;
        }[]
      >(
        `SELECT status, birth_date::text AS birth_date, gender,
                retirement_date(birth_date, gender)::text AS retires
           FROM people WHERE id = $1
            FOR NO KEY UPDATE`,
        [person.id],
      );
      if (locked.status !== 'active') throw new DomainError('PLANNING_PERSON_NOT_ACTIVE');

      // One query for every count the rules need, under the locks above.
      const [counts] = await em.query<
        {
          duplicate: boolean;
          elsewhere: { term: string; unit: string } | null;
          on_post: number;
          other_posts: number;
          approved_before: boolean;
        }[]
      >(
        `WITH counted AS (
           SELECT n.cycle_id, n.post_id, n.person_id, c.term_label, o.name AS unit_name, o.level
             FROM nominations n
             JOIN planning_cycles c ON c.id = n.cycle_id
             JOIN org_units o ON o.id = c.org_unit_id
            WHERE (n.person_id = $3 OR n.post_id = $2) AND n.status <> 'removed'
              AND ${countingCycle('$1', '$4')}
         )
         SELECT
           EXISTS (SELECT 1 FROM counted WHERE cycle_id = $1 AND post_id = $2
                      AND person_id = $3) AS duplicate,
           (SELECT json_build_object('term', term_label, 'unit', unit_name) FROM counted
             WHERE cycle_id <> $1 AND post_id = $2 AND person_id = $3 LIMIT 1) AS elsewhere,
           (SELECT count(DISTINCT person_id)::int FROM counted WHERE post_id = $2) AS on_post,
           (SELECT count(DISTINCT post_id)::int FROM counted
             WHERE person_id = $3 AND post_id <> $2 AND level = $5::org_level) AS other_posts,
           EXISTS (SELECT 1 FROM nominations WHERE person_id = $3
                      AND approved_at IS NOT NULL) AS approved_before`,
        [cycle.id, dto.postId, person.id, [...LIVE_STATUSES], cycle.org_level],
      );
      const rules = cycle.rules;
      if (counts.duplicate) throw new DomainError('PLANNING_NOMINATION_DUPLICATE');
      const elsewhere =
        typeof counts.elsewhere === 'string'
          ? (JSON.parse(counts.elsewhere) as { term: string; unit: string })
          : counts.elsewhere;
      if (elsewhere) {
        throw new DomainError('PLANNING_NOMINATION_DUPLICATE', {}, [
          {
            field: 'personId',
            ...fill(
              {
                vi: 'Cán bộ đã có tên cho chức danh này trong danh sách quy hoạch nhiệm kỳ {term} của {unit}.',
                en: 'The person is already named for this post on the {term} list of {unit}.',
              },
              elsewhere,
            ),
          },
        ]);
      }
      if (Number(counts.on_post) >= rules.maxNomineesPerPost) {
        throw new DomainError('PLANNING_MAX_NOMINEES_PER_POST', {
          max: rules.maxNomineesPerPost,
        });
      }
      if (Number(counts.other_posts) >= rules.maxPostsPerPerson) {
        throw new DomainError('PLANNING_MAX_POSTS_PER_PERSON', { max: rules.maxPostsPerPerson });
      }
      const firstTime = !counts.approved_before;
      if (firstTime) {
        NominationsService.checkAge(locked, cycle.term_start, rules);
      }
      const suggestion = (
        await this.suggestionsFor(em, [
          {
            key: 'new',
            personId: person.id,
            postType: planned.post_type,
            orgUnitId: planned.org_unit_id,
          },
        ])
      ).get('new')!;
      const overrideReason = NominationsService.overrideReason(
        dto.readiness,
        suggestion,
        dto.readinessReason,
        'readinessReason',
      );
      const [inserted] = await em.query<{ id: string }[]>(
        `INSERT INTO nominations (cycle_id, post_id, person_id, readiness, status, first_time,
                                  proposed_by, readiness_override_reason)
         VALUES ($1, $2, $3, $4, 'proposed', $5, $6, $7) RETURNING id`,
        [cycle.id, dto.postId, person.id, dto.readiness, firstTime, actor.personId, overrideReason],
      );
      const row = await this.loadNomination(em, cycle.id, inserted.id);
      await this.audit.record(em, actor, {
        action: 'nomination.create',
        entityType: 'nomination',
        entityId: row.id,
        orgUnitId: cycle.org_unit_id,
        before: null,
        after: { ...nominationSnapshot(row), suggestedReadiness: suggestion.readiness },
      });
      return toNominationDto(row, suggestion, lang);
    });
  }

  /** The first-time age rule on the statutory retirement date (`retires`, from SQL). */
  private static checkAge(
    person: { birth_date: string | null; gender: Gender | null; retires: string | null },
    termStart: string,
    rules: PlanningRules,
  ): void {
    const check = checkWorkingYears(
      { birthDate: person.birth_date, gender: person.gender },
      person.retires,
      termStart,
      rules,
    );
    if (check.ok) return;
    if (check.reason === 'birth_date_missing') {
      throw new DomainError('PLANNING_BIRTH_DATE_MISSING', {}, [
        {
          field: 'personId',
          vi: 'Cán bộ chưa có ngày sinh.',
          en: 'The person has no birth date.',
        },
      ]);
    }
    if (check.reason === 'gender_missing') {
      throw new DomainError('PLANNING_GENDER_MISSING', {}, [
        {
          field: 'personId',
          vi: 'Cán bộ chưa có giới tính.',
          en: 'The person has no gender.',
        },
      ]);
    }
    const params = {
      years: decimalText(rules.minWorkingYearsLeft),
      yearsLeft: decimalText(check.yearsLeft),
      retirementDate: isoToVi(check.retirementDate),
      termStart: isoToVi(termStart),
    };
    throw new DomainError('PLANNING_AGE_RULE', params, [
      {
        field: 'personId',
        ...fill(
          {
            vi: 'Nghỉ hưu ngày {retirementDate} theo lộ trình tuổi nghỉ hưu: còn {yearsLeft} năm kể từ ngày bắt đầu nhiệm kỳ {termStart}.',
            en: 'Retires on {retirementDate} under the statutory roadmap: {yearsLeft} years after the term starts on {termStart}.',
          },
          params,
        ),
      },
    ]);
  }

  /**
   * Four eyes: neither the proposer, nor the nominee, nor anyone named for the same post on a
   * live list (a rival) may approve (422 PLANNING_FOUR_EYES). Checked under the post's lock, so
   * the approver cannot become a nominee of the post meanwhile.
   */
  async approve(actor: Actor, cycleId: string, id: string, lang: Language): Promise<NominationDto> {
    return this.dataSource.transaction(async (em) => {
      const cycle = await this.writableCycle(actor, cycleId, em);
      const seen = await this.loadNomination(em, cycle.id, id);
      await lockPostNominations(em, [seen.post_id]);
      const before = await this.loadNomination(em, cycle.id, id, true);
      if (before.status !== 'proposed') {
        throw new DomainError('PLANNING_NOMINATION_STATUS', {
          status: NOMINATION_STATUS_LABELS[before.status],
        });
      }
      const who: Bilingual | null =
        before.proposed_by === actor.personId
          ? { vi: 'Bạn là người đề xuất.', en: 'You proposed this nomination.' }
          : before.person_id === actor.personId
            ? { vi: 'Bạn là cán bộ được quy hoạch.', en: 'You are the nominee.' }
            : null;
      const [rival] = who
        ? []
        : await em.query<{ term_label: string }[]>(
            `SELECT c.term_label FROM nominations n JOIN planning_cycles c ON c.id = n.cycle_id
              WHERE n.post_id = $2 AND n.person_id = $3 AND n.status <> 'removed'
                AND ${countingCycle('$1', '$4')}
              LIMIT 1`,
            [cycle.id, before.post_id, actor.personId, [...LIVE_STATUSES]],
          );
      const reason =
        who ??
        (rival
          ? fill(
              {
                vi: 'Bạn cũng có tên trong danh sách quy hoạch chức danh {post} (nhiệm kỳ {term}).',
                en: 'You are also named for the post {post} (term {term}).',
              },
              { post: before.post_title, term: rival.term_label },
            )
          : null);
      if (reason) {
        throw new DomainError('PLANNING_FOUR_EYES', {}, [{ field: 'approver', ...reason }]);
      }
      await em.query(
        `UPDATE nominations SET status = 'approved', approved_by = $2, approved_at = now(),
                                updated_at = now()
          WHERE id = $1`,
        [id, actor.personId],
      );
      const after = await this.loadNomination(em, cycle.id, id);
      await this.audit.record(em, actor, {
        action: 'nomination.approve',
        entityType: 'nomination',
        entityId: id,
        orgUnitId: cycle.org_unit_id,
        before: nominationSnapshot(before),
        after: nominationSnapshot(after),
      });
      return this.toDto(em, after, lang);
    });
  }

  async remove(
    actor: Actor,
    cycleId: string,
    id: string,
    dto: RemoveNominationDto,
    lang: Language,
  ): Promise<NominationDto> {
    return this.dataSource.transaction(async (em) => {
      const cycle = await this.writableCycle(actor, cycleId, em);
      const after = await this.removeLocked(em, actor, cycle, id, dto.reason, dto.note ?? null);
      return this.toDto(em, after, lang);
    });
  }

  /** The cycle in the actor's hr scope, share-locked; nothing changes once it is closed. */
  private async writableCycle(actor: Actor, cycleId: string, em: EntityManager) {
    const cycle = await this.cycles.findInScope(actor, cycleId, 'hr:manage', em, 'share');
    if (cycle.status === 'closed') {
      throw new DomainError('PLANNING_CYCLE_STATUS', {
        status: CYCLE_STATUS_LABELS[cycle.status],
      });
    }
    return cycle;
  }

  private async removeLocked(
    em: EntityManager,
    actor: Actor,
    cycle: CycleRow,
    id: string,
    reason: RemovalReason,
    note: string | null,
  ): Promise<NominationRow> {
    const before = await this.loadNomination(em, cycle.id, id, true);
    if (before.status === 'removed') {
      throw new DomainError('PLANNING_NOMINATION_STATUS', {
        status: NOMINATION_STATUS_LABELS[before.status],
      });
    }
    await em.query(
      `UPDATE nominations SET status = 'removed', removal_reason = $2, removal_note = $3,
                              removed_by = $4, removed_at = now(), updated_at = now()
        WHERE id = $1`,
      [id, reason, note, actor.personId],
    );
    const after = await this.loadNomination(em, cycle.id, id);
    await this.audit.record(em, actor, {
      action: 'nomination.remove',
      entityType: 'nomination',
      entityId: id,
      orgUnitId: cycle.org_unit_id,
      before: nominationSnapshot(before),
      after: nominationSnapshot(after),
    });
    return after;
  }

  /** The cycle's nominations by post and readiness, keyset paged, with the list's targets. */
  async list(
    actor: Actor,
    cycleId: string,
    query: ListNominationsQueryDto,
    lang: Language,
  ): Promise<NominationPageDto> {
    const cycle = await this.cycles.findInScope(actor, cycleId, 'people:read');
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['uuid', 'string', 'uuid']);
    if (cursor && !(READINESS_LEVELS as readonly string[]).includes(String(cursor[1]))) {
      throw new DomainError('INVALID_CURSOR', {}, [{ field: 'cursor', ...BAD_CURSOR }]);
    }
    const params: unknown[] = [cycle.id, limit + 1];
    let filters = '';
    if (query.postId) {
      params.push(query.postId);
      filters += ` AND n.post_id = $${params.length}::uuid`;
    }
    if (query.status) {
      params.push(query.status);
      filters += ` AND n.status = $${params.length}::nomination_status`;
    }
    if (cursor) {
      params.push(...cursor);
      const i = params.length;
      filters += ` AND (n.post_id, n.readiness, n.id)
                     > ($${i - 2}::uuid, $${i - 1}::nomination_readiness, $${i}::uuid)`;
    }
    const rows = await this.dataSource.query<NominationRow[]>(
      `SELECT ${NOMINATION_COLUMNS} FROM ${NOMINATION_FROM}
        WHERE n.cycle_id = $1 ${filters}
        ORDER BY n.post_id, n.readiness, n.id
        LIMIT $2`,
      params,
    );
    const em = this.dataSource.manager;
    const page = toPage(
      rows,
      limit,
      (r) => [r.post_id, r.readiness, r.id],
      (r) => r,
    );
    const items = await this.toDtos(em, page.items, lang);
    const targets = await cycleTargets(em, cycle, this.clock.todayVn());
    const warnings = await cycleWarnings(em, cycle, targets, lang);
    return { items, nextCursor: page.nextCursor, targets, warnings };
  }

  /** One nomination of the cycle, with its suggestion. */
  async get(actor: Actor, cycleId: string, id: string, lang: Language): Promise<NominationDto> {
    const cycle = await this.cycles.findInScope(actor, cycleId, 'people:read');
    const em = this.dataSource.manager;
    return this.toDto(em, await this.loadNomination(em, cycle.id, id), lang);
  }

  /**
   * HR changes a nominee's readiness. A readiness other than the suggested one needs a reason,
   * stored with it (following the suggestion clears it); audited as nomination.readiness.
   * Unchanged readiness and reason: nothing written.
   */
  async changeReadiness(
    actor: Actor,
    cycleId: string,
    id: string,
    dto: ChangeReadinessDto,
    lang: Language,
  ): Promise<NominationDto> {
    return this.dataSource.transaction(async (em) => {
      const cycle = await this.writableCycle(actor, cycleId, em);
      const before = await this.loadNomination(em, cycle.id, id, true);
      if (before.status === 'removed') {
        throw new DomainError('PLANNING_NOMINATION_STATUS', {
          status: NOMINATION_STATUS_LABELS[before.status],
        });
      }
      const after = await this.setReadinessLocked(
        em,
        actor,
        cycle,
        before,
        dto.readiness,
        dto.reason,
        'reason',
      );
      return this.toDto(em, after, lang);
    });
  }

  /** The readiness change of changeReadiness and of a review decision, nomination locked. */
  private async setReadinessLocked(
    em: EntityManager,
    actor: Actor,
    cycle: CycleRow,
    before: NominationRow,
    readiness: Readiness,
    reason: string | undefined,
    field: string,
  ): Promise<NominationRow> {
    const suggestion = (await this.suggestionsFor(em, [NominationsService.targetOf(before)])).get(
      before.id,
    )!;
    const overrideReason = NominationsService.overrideReason(readiness, suggestion, reason, field);
    if (readiness === before.readiness && overrideReason === before.readiness_override_reason) {
      return before;
    }
    await em.query(
      `UPDATE nominations SET readiness = $2, readiness_override_reason = $3, updated_at = now()
        WHERE id = $1`,
      [before.id, readiness, overrideReason],
    );
    const after = await this.loadNomination(em, cycle.id, before.id);
    await this.audit.record(em, actor, {
      action: 'nomination.readiness',
      entityType: 'nomination',
      entityId: before.id,
      orgUnitId: cycle.org_unit_id,
      before: nominationSnapshot(before),
      after: { ...nominationSnapshot(after), suggestedReadiness: suggestion.readiness },
    });
    return after;
  }

  // ── development plans (issue 5, item 4) ──────────────────────────────────────────────────

  /**
   * The nominee's gaps against the nominated post (as the readiness suggestion measures them)
   * and, per gap, the published courses of the post unit's catalogue that raise the competency
   * above the nominee's current level (reachesRequired: the course closes the gap), with the
   * nominee's enrolment in each when there is one. Two queries.
   */
  async developmentPlan(actor: Actor, cycleId: string, id: string): Promise<DevelopmentPlanDto> {
    const cycle = await this.cycles.findInScope(actor, cycleId, 'people:read');
    const em = this.dataSource.manager;
    return this.planOf(em, await this.loadNomination(em, cycle.id, id));
  }

  private async planOf(em: EntityManager, row: NominationRow): Promise<DevelopmentPlanDto> {
    const asOf = this.clock.todayVn();
    const gaps = (
      await this.gaps.gapsForTargets(em, [NominationsService.targetOf(row)], {
        courses: true,
        asOf,
      })
    ).get(row.id);
    const open = (gaps?.items ?? []).filter((g) => g.gap > 0);
    const courseIds = [...new Set(open.flatMap((g) => g.courses.map((c) => c.id)))];
    const enrolled = courseIds.length
      ? await em.query<{ id: string; course_id: string; status: string; due_on: string | null }[]>(
          // The latest take of each course (recertification adds takes).
          `SELECT DISTINCT ON (course_id) id, course_id, status, due_on::text AS due_on
             FROM enrolments
            WHERE person_id = $1 AND course_id = ANY($2::uuid[])
            ORDER BY course_id, cycle DESC`,
          [row.person_id, courseIds],
        )
      : [];
    const enrolmentOf = new Map(
      enrolled.map((e) => [e.course_id, { id: e.id, status: e.status, dueOn: e.due_on }]),
    );
    const summary = new Map<string, PlanCourseSummaryDto>();
    const planGaps = open.map((g) => {
      const courses = g.courses
        .filter((c) => c.level > (g.currentLevel ?? 0))
        .map((c) => ({ ...c, enrolment: enrolmentOf.get(c.id) ?? null }));
      for (const c of courses) {
        const s = summary.get(c.id) ?? { ...c, reachesRequired: false, competencies: [] };
        s.competencies.push(g.code);
        s.reachesRequired ||= c.reachesRequired;
        summary.set(c.id, s);
      }
      return {
        competencyId: g.competencyId,
        code: g.code,
        nameVi: g.nameVi,
        nameEn: g.nameEn,
        requiredLevel: g.requiredLevel,
        currentLevel: g.currentLevel,
        critical: g.critical,
        gap: g.gap,
        courses,
      };
    });
    return {
      nominationId: row.id,
      personId: row.person_id,
      fullName: row.full_name,
      postId: row.post_id,
      postTitle: row.post_title,
      postType: row.post_type,
      asOf,
      versionId: gaps?.versionId ?? null,
      profileId: gaps?.profile?.id ?? null,
      totalGap: open.reduce((s, g) => s + g.gap, 0),
      gaps: planGaps,
      courses: [...summary.values()].sort((a, b) => a.code.localeCompare(b.code)),
    };
  }

  /**
   * Turns the plan into enrolments due on `dueDate`: all the plan's courses, or the chosen
   * ones (each must be in the plan, else 422 PLANNING_COURSE_NOT_IN_PLAN naming it). One
   * transaction with the nomination locked; one INSERT … SELECT … ON CONFLICT DO NOTHING, so
   * existing enrolments are kept unchanged and a second run adds nothing. Audited when
   * something was created.
   */
  async enrolPlan(
    actor: Actor,
    cycleId: string,
    id: string,
    dto: EnrolPlanDto,
  ): Promise<PlanEnrolmentResultDto> {
    return this.dataSource.transaction(async (em) => {
      const cycle = await this.writableCycle(actor, cycleId, em);
      const row = await this.loadNomination(em, cycle.id, id, true);
      if (row.status === 'removed') {
        throw new DomainError('PLANNING_NOMINATION_STATUS', {
          status: NOMINATION_STATUS_LABELS[row.status],
        });
      }
      if (dto.dueDate < this.clock.todayVn()) {
        throw new DomainError('VALIDATION_FAILED', {}, [
          {
            field: 'dueDate',
            vi: 'Phải từ hôm nay trở đi.',
            en: 'Must be today or later.',
          },
        ]);
      }
      await this.people.findInScope(actor, row.person_id, 'hr:manage', em);
      const plan = await this.planOf(em, row);
      const inPlan = new Set(plan.courses.map((c) => c.id));
      const chosen = dto.courseIds ?? plan.courses.map((c) => c.id);
      const outside = chosen
        .map((courseId, i) => ({ courseId, i }))
        .filter((c) => !inPlan.has(c.courseId));
      if (outside.length) {
        throw new DomainError(
          'PLANNING_COURSE_NOT_IN_PLAN',
          {},
          outside.map((c) => ({ field: `courseIds[${c.i}]`, message: c.courseId })),
        );
      }
      const items = await this.enrolments.enrolInCourses(em, {
        personId: row.person_id,
        courseIds: chosen,
        dueOn: dto.dueDate,
        enrolledBy: actor.userId,
      });
      const created = items.filter((i) => i.created);
      if (created.length) {
        await this.notifications.enqueueForPerson(em, {
          event: 'plan_enrolled',
          personId: row.person_id,
          list: 'courses',
          items: created.map((i) => ({
            enrolmentId: i.id,
            courseId: i.courseId,
            code: i.code,
            title: i.title,
            dueOn: i.dueOn,
          })),
        });
        await this.audit.record(em, actor, {
          action: 'nomination.plan_enrol',
          entityType: 'nomination',
          entityId: row.id,
          orgUnitId: cycle.org_unit_id,
          before: null,
          after: {
            personId: row.person_id,
            dueOn: dto.dueDate,
            enrolments: created.map((i) => ({
              enrolmentId: i.id,
              courseId: i.courseId,
              code: i.code,
            })),
          },
        });
      }
      return {
        nominationId: row.id,
        personId: row.person_id,
        dueOn: dto.dueDate,
        created: created.length,
        items: items.map((i) => ({
          enrolmentId: i.id,
          courseId: i.courseId,
          code: i.code,
          title: i.title,
          status: i.status,
          dueOn: i.dueOn,
          created: i.created,
        })),
      };
    });
  }

  // ── yearly review ─────────────────────────────────────────────────────────────────────────

  /**
   * Opens the year's review: one entry per non-removed nomination, flagged when the latest
   * evaluation is "not completed" or the nominee fails the age rule today. Idempotent: a
   * nomination already reviewed that year keeps its entry.
   */
  async openReview(
    actor: Actor,
    cycleId: string,
    dto: OpenReviewDto,
  ): Promise<OpenReviewResultDto> {
    return this.dataSource.transaction(async (em) => {
      const cycle = await this.cycles.findInScope(actor, cycleId, 'hr:manage', em, 'update');
      if (!REVIEWABLE_STATUSES.includes(cycle.status)) {
        throw new DomainError('PLANNING_CYCLE_STATUS', {
          status: CYCLE_STATUS_LABELS[cycle.status],
        });
      }
      const nominees = await em.query<
        {
          id: string;
          person_id: string;
          readiness: Readiness;
          first_time: boolean;
          birth_date: string | null;
          gender: Gender | null;
          retires: string | null;
        }[]
      >(
        `SELECT n.id, n.person_id, n.readiness, n.first_time, p.birth_date::text AS birth_date,
                p.gender, retirement_date(p.birth_date, p.gender)::text AS retires
           FROM nominations n JOIN people p ON p.id = n.person_id
          WHERE n.cycle_id = $1 AND n.status <> 'removed'
            AND NOT EXISTS (SELECT 1 FROM nomination_reviews r
                             WHERE r.nomination_id = n.id AND r.review_year = $2)`,
        [cycle.id, dto.year],
      );
      const latest = await this.evaluations.latestFor(
        em,
        nominees.map((n) => n.person_id),
      );
      const flags = nominees.map((n) => this.flagsFor(n, latest.get(n.person_id), cycle));
      const inserted = await em.query<{ id: string }[]>(
        `INSERT INTO nomination_reviews (nomination_id, cycle_id, review_year, readiness_before,
                                         flags)
         SELECT x.nomination_id, $1, $2, x.readiness, x.flags
           FROM unnest($3::uuid[], $4::text[], $5::jsonb[]) AS x(nomination_id, readiness, flags)
         ON CONFLICT (nomination_id, review_year) DO NOTHING
         RETURNING id`,
        [
          cycle.id,
          dto.year,
          nominees.map((n) => n.id),
          nominees.map((n) => n.readiness),
          flags.map((f) => JSON.stringify(f)),
        ],
      );
      const [summary] = await em.query<{ total: number; flagged: number }[]>(
        `SELECT count(*)::int AS total,
                count(*) FILTER (WHERE (flags ->> 'notCompletedEvaluation')::boolean
                                    OR (flags ->> 'failsAgeRule')::boolean)::int AS flagged
           FROM nomination_reviews WHERE cycle_id = $1 AND review_year = $2`,
        [cycle.id, dto.year],
      );
      if (inserted.length > 0) {
        await this.audit.record(em, actor, {
          action: 'planning_cycle.review_open',
          entityType: 'planning_cycle',
          entityId: cycle.id,
          orgUnitId: cycle.org_unit_id,
          before: null,
          after: { year: dto.year, created: inserted.length, flagged: Number(summary.flagged) },
        });
      }
      return {
        year: dto.year,
        created: inserted.length,
        total: Number(summary.total),
        flagged: Number(summary.flagged),
      };
    });
  }

  /**
   * The review flags of one nominee. "Fails the age rule" today: a first-time nominee lacks
   * the working years the rules require at the term's start (birth date or rules corrected
   * since), or anyone reaches retirement before the term starts; a missing birth date or
   * gender fails it too, since it cannot be checked. `retires` is the statutory retirement
   * date, computed in SQL from the roadmap.
   */
  private flagsFor(
    n: {
      first_time: boolean;
      birth_date: string | null;
      gender: Gender | null;
      retires: string | null;
    },
    latest: { year: number; level: string } | undefined,
    cycle: CycleRow,
  ): ReviewFlagsDto {
    let failsAgeRule = true;
    const retires = n.retires;
    if (n.birth_date && n.gender && retires) {
      failsAgeRule = n.first_time
        ? !checkWorkingYears(
            { birthDate: n.birth_date, gender: n.gender },
            retires,
            cycle.term_start,
            cycle.rules,
          ).ok
        : retires <= cycle.term_start;
    }
    return {
      notCompletedEvaluation: latest?.level === 'not_completed',
      evaluationYear: latest?.year ?? null,
      evaluationLevel: latest?.level ?? null,
      failsAgeRule,
      retirementDate: retires,
    };
  }

  async listReviews(
    actor: Actor,
    cycleId: string,
    query: ListReviewsQueryDto,
    lang: Language,
  ): Promise<Page<ReviewDto>> {
    const cycle = await this.cycles.findInScope(actor, cycleId, 'people:read');
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['number', 'uuid']);
    const params: unknown[] = [cycle.id, limit + 1];
    let filters = '';
    if (query.year !== undefined) {
      params.push(query.year);
      filters += ` AND r.review_year = $${params.length}::int`;
    }
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      filters += ` AND (r.review_year, r.id) < ($${params.length - 1}::int, $${params.length}::uuid)`;
    }
    const rows = await this.dataSource.query<ReviewRow[]>(
      `SELECT ${REVIEW_COLUMNS} FROM ${REVIEW_FROM}
        WHERE r.cycle_id = $1 ${filters}
        ORDER BY r.review_year DESC, r.id DESC
        LIMIT $2`,
      params,
    );
    return toPage(
      rows,
      limit,
      (r) => [Number(r.review_year), r.id],
      (r) => toReviewDto(r, lang),
    );
  }

  /** Keep (readiness kept or changed) or remove (with a reason) a reviewed nominee. */
  async decide(
    actor: Actor,
    cycleId: string,
    reviewId: string,
    dto: DecideReviewDto,
    lang: Language,
  ): Promise<ReviewDto> {
    return this.dataSource.transaction(async (em) => {
      const cycle = await this.writableCycle(actor, cycleId, em);
      const load = async (lock: boolean) => {
        const [row] = await em.query<ReviewRow[]>(
          `SELECT ${REVIEW_COLUMNS} FROM ${REVIEW_FROM}
            WHERE r.id = $1 AND r.cycle_id = $2 ${lock ? 'FOR UPDATE OF r' : ''}`,
          [reviewId, cycle.id],
        );
        if (!row) throw new DomainError('PLANNING_REVIEW_NOT_FOUND');
        return row;
      };
      const before = await load(true);
      if (before.decision !== null) throw new DomainError('PLANNING_REVIEW_DECIDED');
      const nomination = await this.loadNomination(em, cycle.id, before.nomination_id, true);
      if (nomination.status === 'removed') {
        throw new DomainError('PLANNING_NOMINATION_STATUS', {
          status: NOMINATION_STATUS_LABELS[nomination.status],
        });
      }
      let readinessAfter: Readiness = nomination.readiness;
      if (dto.decision === 'removed') {
        // The DTO requires a reason with "removed"; 'other' is the fallback for the type only.
        const reason = dto.reason ?? 'other';
        await this.removeLocked(em, actor, cycle, nomination.id, reason, dto.note ?? null);
      } else if (dto.readiness && dto.readiness !== nomination.readiness) {
        readinessAfter = dto.readiness;
        await this.setReadinessLocked(
          em,
          actor,
          cycle,
          nomination,
          dto.readiness,
          dto.readinessReason,
          'readinessReason',
        );
      }
      await em.query(
        `UPDATE nomination_reviews
            SET decision = $2, readiness_after = $3, note = $4, reviewer = $5, decided_at = now()
          WHERE id = $1`,
        [
          reviewId,
          dto.decision,
          dto.decision === 'kept' ? readinessAfter : null,
          dto.note ?? null,
          actor.personId,
        ],
      );
      const after = await load(false);
      await this.audit.record(em, actor, {
        action: 'nomination_review.decide',
        entityType: 'nomination_review',
        entityId: reviewId,
        orgUnitId: cycle.org_unit_id,
        before: reviewSnapshot(before),
        after: reviewSnapshot(after),
      });
      return toReviewDto(after, lang);
    });
  }
}
