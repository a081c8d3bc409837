import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import type { Language } from '../common/http/language';
import { Bilingual, decimalText, fill } from '../common/text/bilingual';
import { isoToVi } from '../common/dates/vietnam-dates';
import { Clock } from '../common/clock/clock';
import { decodeCursor, DEFAULT_PAGE_SIZE, toPage } from '../common/pagination/page';
import { Gender } from '../people/person.types';
import { PeopleService } from '../people/people.service';
import { PostType } from '../posts/post-types';
import {
  CreateNominationDto,
  ListNominationsQueryDto,
  NominationDto,
  NominationPageDto,
  RemoveNominationDto,
} from './dto/planning.dto';
import { CycleRow, PlanningCyclesService } from './planning-cycles.service';
import { CYCLE_STATUS_LABELS, NOMINATION_STATUS_LABELS } from './planning-labels';
import { countingCycle, lockPostNominations } from './planning-limits';
import { checkWorkingYears, LIVE_STATUSES, NOMINATING_STATUSES } from './planning-rules';
import { cycleTargets, cycleWarnings } from './planning-targets';
import { PlanningRules, READINESS_LEVELS, Readiness, RemovalReason } from './planning.types';
import { findNominationsPageOfCycle, NominationRow } from './nominations.queries';
import {
  loadNomination,
  nominationSnapshot,
  toNominationDto,
  writableCycle,
} from './nomination-rows';
import { ReadinessService } from './readiness.service';

/**
 * Nominations to a cycle's posts under the cycle's rules, four-eyes approval and removal with a
 * reason. The rules are checked with the cycle-post row and the person row locked (always in
 * that order), so racing requests see each other's nominations. Readiness, development plans
 * and the yearly review are services of their own beside this one.
 */
@Injectable()
export class NominationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cycles: PlanningCyclesService,
    private readonly people: PeopleService,
    private readonly audit: AuditService,
    private readonly readiness: ReadinessService,
    private readonly clock: Clock,
  ) {}

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
        await this.readiness.suggestionsFor(em, [
          {
            key: 'new',
            personId: person.id,
            postType: planned.post_type,
            orgUnitId: planned.org_unit_id,
          },
        ])
      ).get('new')!;
      const overrideReason = ReadinessService.overrideReason(
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
      const row = await loadNomination(em, cycle.id, inserted.id);
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
      const cycle = await writableCycle(this.cycles, actor, cycleId, em);
      const seen = await loadNomination(em, cycle.id, id);
      await lockPostNominations(em, [seen.post_id]);
      const before = await loadNomination(em, cycle.id, id, true);
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
      const after = await loadNomination(em, cycle.id, id);
      await this.audit.record(em, actor, {
        action: 'nomination.approve',
        entityType: 'nomination',
        entityId: id,
        orgUnitId: cycle.org_unit_id,
        before: nominationSnapshot(before),
        after: nominationSnapshot(after),
      });
      return this.readiness.toDto(em, after, lang);
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
      const cycle = await writableCycle(this.cycles, actor, cycleId, em);
      const after = await this.removeLocked(em, actor, cycle, id, dto.reason, dto.note ?? null);
      return this.readiness.toDto(em, after, lang);
    });
  }

  async removeLocked(
    em: EntityManager,
    actor: Actor,
    cycle: CycleRow,
    id: string,
    reason: RemovalReason,
    note: string | null,
  ): Promise<NominationRow> {
    const before = await loadNomination(em, cycle.id, id, true);
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
    const after = await loadNomination(em, cycle.id, id);
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
    const cursor = decodeCursor(query.cursor, ['uuid', READINESS_LEVELS, 'uuid']);
    const rows = await findNominationsPageOfCycle(this.dataSource.manager, {
      cycleId: cycle.id,
      limit,
      postId: query.postId,
      status: query.status,
      after: cursor ? [cursor[0], cursor[1] as Readiness, cursor[2]] : undefined,
    });
    const em = this.dataSource.manager;
    const page = toPage(
      rows,
      limit,
      (r) => [r.post_id, r.readiness, r.id],
      (r) => r,
    );
    const items = await this.readiness.toDtos(em, page.items, lang);
    const targets = await cycleTargets(em, cycle, this.clock.todayVn());
    const warnings = await cycleWarnings(em, cycle, targets, lang);
    return { items, nextCursor: page.nextCursor, targets, warnings };
  }

  /** One nomination of the cycle, with its suggestion. */
  async get(actor: Actor, cycleId: string, id: string, lang: Language): Promise<NominationDto> {
    const cycle = await this.cycles.findInScope(actor, cycleId, 'people:read');
    const em = this.dataSource.manager;
    return this.readiness.toDto(em, await loadNomination(em, cycle.id, id), lang);
  }
}
