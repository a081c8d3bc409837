import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import type { Language } from '../common/http/language';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import { EvaluationsService } from '../evaluations/evaluations.service';
import { Gender } from '../people/person.types';
import {
  DecideReviewDto,
  ListReviewsQueryDto,
  OpenReviewDto,
  OpenReviewResultDto,
  ReviewDto,
  ReviewFlagsDto,
} from './dto/planning.dto';
import { CycleRow, PlanningCyclesService } from './planning-cycles.service';
import { CYCLE_STATUS_LABELS, NOMINATION_STATUS_LABELS } from './planning-labels';
import { checkWorkingYears, REVIEWABLE_STATUSES } from './planning-rules';
import { Readiness } from './planning.types';
import { findReviewOfCycle, findReviewsPageOfCycle } from './nominations.queries';
import { loadNomination, reviewSnapshot, toReviewDto, writableCycle } from './nomination-rows';
import { ReadinessService } from './readiness.service';
import { NominationsService } from './nominations.service';

/**
 * The yearly review of a cycle's nominees: entries opened with flags (evaluation not completed,
 * age rule failed), listed, and decided (kept, with readiness changed or not, or removed).
 */
@Injectable()
export class NominationReviewsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cycles: PlanningCyclesService,
    private readonly evaluations: EvaluationsService,
    private readonly audit: AuditService,
    private readonly nominations: NominationsService,
    private readonly readiness: ReadinessService,
  ) {}

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
    const cursor = decodeCursor(query.cursor, ['int', 'uuid']);
    const rows = await findReviewsPageOfCycle(this.dataSource.manager, {
      cycleId: cycle.id,
      limit,
      year: query.year,
      after: cursor ?? undefined,
    });
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
      const cycle = await writableCycle(this.cycles, actor, cycleId, em);
      const load = async (lock: boolean) => {
        const row = await findReviewOfCycle(em, cycle.id, reviewId, lock);
        if (!row) throw new DomainError('PLANNING_REVIEW_NOT_FOUND');
        return row;
      };
      const before = await load(true);
      if (before.decision !== null) throw new DomainError('PLANNING_REVIEW_DECIDED');
      const nomination = await loadNomination(em, cycle.id, before.nomination_id, true);
      if (nomination.status === 'removed') {
        throw new DomainError('PLANNING_NOMINATION_STATUS', {
          status: NOMINATION_STATUS_LABELS[nomination.status],
        });
      }
      let readinessAfter: Readiness = nomination.readiness;
      if (dto.decision === 'removed') {
        // The DTO requires a reason with "removed"; 'other' is the fallback for the type only.
        const reason = dto.reason ?? 'other';
        await this.nominations.removeLocked(
          em,
          actor,
          cycle,
          nomination.id,
          reason,
          dto.note ?? null,
        );
      } else if (dto.readiness && dto.readiness !== nomination.readiness) {
        readinessAfter = dto.readiness;
        await this.readiness.setReadinessLocked(
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
