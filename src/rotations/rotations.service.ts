import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, scopeConditionRaw } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import type { Language } from '../common/http/language';
import { isoToVi } from '../common/dates/vietnam-dates';
import { decimalText, fill } from '../common/text/bilingual';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import { nfc } from '../common/text/vietnamese';
import { EVALUATION_LEVEL_LABELS, levelForScore } from '../evaluations/evaluation-policy';
import { yearsBetween } from '../planning/planning-rules';
import { PeopleService } from '../people/people.service';
import { AppointmentsService } from '../posts/appointments.service';
import { CurrentPostDto } from '../posts/dto/appointment.dto';
import { PostsService } from '../posts/posts.service';
import {
  CancelRotationDto,
  CompleteRotationDto,
  CreateRotationDto,
  ListRotationsQueryDto,
  RotationDto,
} from './dto/rotation.dto';
import {
  ROTATION_POLICY,
  ROTATION_STATUS_LABELS,
  ROTATION_TRANSITIONS,
  RotationPolicy,
  RotationStatus,
} from './rotation.types';
import { addDays, addMonths } from '../common/dates/calendar';
import {
  checkEndAfterStart,
  labelled,
  minimumEnd,
  ROTATION_SELECT,
  RotationRow,
  RotationState,
  toRotationState,
} from './rotation-state';

/**
 * Rotations (luân chuyển) of cadres on a planning list to existing posts elsewhere.
 *
 * Every use case is one transaction that locks the person's row first: that lock serialises
 * everything done to one person's rotations, so the overlap check sees every rotation that will
 * ever be written beside the new one. Starting ends the appointment in the from-post and opens
 * one in the to-post through AppointmentsService in the same transaction (a taken single-holder
 * post refuses the whole start); completing ends the to-post appointment. Every change is
 * written to the audit log in the same transaction.
 *
 * Scope: a rotation belongs to both ends — the caller needs hr:manage over the person (home
 * unit) and over the to-post's unit, for reading as for writing; otherwise 404.
 */
@Injectable()
export class RotationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ROTATION_POLICY) private readonly policy: RotationPolicy,
    private readonly people: PeopleService,
    private readonly posts: PostsService,
    private readonly appointments: AppointmentsService,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, dto: CreateRotationDto, lang: Language): Promise<RotationDto> {
    return this.dataSource.transaction(async (em) => {
      const person = await this.people.findInScope(actor, dto.personId, 'hr:manage', em);
      await this.lockPerson(em, person.id);
      const toPost = await this.posts.findInScope(actor, dto.toPostId, 'hr:manage', em);
      if (toPost.status !== 'active') throw new DomainError('POST_ARCHIVED');

      // Both ends are inclusive: 36 months from 2026-09-01 run to 2029-08-31 at the earliest.
      const minEnd = minimumEnd(dto.startDate, this.policy.minMonths);
      const plannedEnd = dto.plannedEndDate ?? minEnd;
      if (plannedEnd < minEnd) {
        throw new DomainError('ROTATION_TOO_SHORT', { months: this.policy.minMonths }, [
          {
            field: 'plannedEndDate',
            ...fill(
              { vi: 'Từ ngày {date} trở đi.', en: 'On or after {date}.' },
              { date: isoToVi(minEnd) },
            ),
          },
        ]);
      }
      await this.checkServiceYears(em, person.id, dto.startDate);

      // The post left behind: the one named (held today), else the person's highest current post.
      const current = await this.appointments.currentPostsOf(em, person.id);
      let from: CurrentPostDto | null = current[0] ?? null;
      if (dto.fromPostId) {
        from = current.find((c) => c.post.id === dto.fromPostId) ?? null;
        if (!from) {
          await this.posts.findInScope(actor, dto.fromPostId, 'hr:manage', em);
          throw new DomainError('ROTATION_FROM_POST_NOT_HELD', {}, [
            {
              field: 'fromPostId',
              vi: 'Không phải chức danh cán bộ đang đảm nhiệm hôm nay.',
              en: 'Not a post the person holds today.',
            },
          ]);
        }
      }
      if (from && from.post.id === toPost.id) {
        throw new DomainError('ROTATION_SAME_POST', {}, [
          {
            field: 'toPostId',
            vi: 'Cán bộ đang đảm nhiệm chính chức danh này.',
            en: 'The person already holds this post.',
          },
        ]);
      }

      if (this.policy.requireApprovedNominee) {
        const [nominee] = await em.query<unknown[]>(
          `SELECT 1 FROM nominations n JOIN planning_cycles c ON c.id = n.cycle_id
            WHERE n.person_id = $1 AND n.status = 'approved'
              AND c.status IN ('open', 'submitted', 'approved')
            LIMIT 1`,
          [person.id],
        );
        if (!nominee) {
          throw new DomainError('ROTATION_NOT_NOMINEE', {}, [
            {
              field: 'personId',
              vi: 'Không có tên đã được phê duyệt trong danh sách quy hoạch đang có hiệu lực.',
              en: 'Not an approved nominee of a live planning list.',
            },
          ]);
        }
      }

      await this.checkNoOverlap(em, person.id, dto.startDate, plannedEnd);

      const [row] = await em.query<{ id: string }[]>(
        `INSERT INTO rotations (person_id, from_post_id, from_org_unit_id, to_post_id,
                                to_org_unit_id, start_date, planned_end_date, purpose, status,
                                created_by, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'planned', $9, $9)
         RETURNING id`,
        [
          person.id,
          from?.post.id ?? null,
          from?.orgUnit.id ?? person.homeOrgUnitId,
          toPost.id,
          toPost.org_unit_id,
          dto.startDate,
          plannedEnd,
          nfc(dto.purpose),
          actor.userId,
        ],
      );
      const created = await this.fetch(em, row.id);
      await this.audit.record(em, actor, {
        action: 'rotation.create',
        entityType: 'rotation',
        entityId: created.id,
        orgUnitId: created.toPost.orgUnitId,
        before: null,
        after: created,
      });
      return labelled(created, lang);
    });
  }

  /**
   * Regulation 65-QĐ/TW: a rotated cadre has at least `minServiceYearsLeft` years of service
   * left at the start, counted to the statutory retirement date (retirement_date() in SQL,
   * the roadmap by birth month). 422 ROTATION_SERVICE_YEARS, or ROTATION_RETIREMENT_UNKNOWN
   * without a birth date or gender.
   */
  private async checkServiceYears(
    em: EntityManager,
    personId: string,
    startDate: string,
  ): Promise<void> {
    const years = this.policy.minServiceYearsLeft;
    if (years <= 0) return;
    const [row] = await em.query<{ retires: string | null }[]>(
      `SELECT retirement_date(birth_date, gender)::text AS retires FROM people WHERE id = $1`,
      [personId],
    );
    if (!row?.retires) {
      throw new DomainError('ROTATION_RETIREMENT_UNKNOWN', {}, [
        {
          field: 'personId',
          vi: 'Cần ngày sinh và giới tính của cán bộ.',
          en: "The person's birth date and gender are needed.",
        },
      ]);
    }
    if (row.retires >= addMonths(startDate, Math.round(years * 12))) return;
    const params = {
      years: decimalText(years),
      retirementDate: isoToVi(row.retires),
      yearsLeft: decimalText(Math.max(0, yearsBetween(startDate, row.retires))),
    };
    throw new DomainError('ROTATION_SERVICE_YEARS', params, [
      {
        field: 'startDate',
        ...fill(
          {
            vi: 'Nghỉ hưu ngày {retirementDate}: còn {yearsLeft} năm kể từ ngày bắt đầu luân chuyển.',
            en: 'Retires on {retirementDate}: {yearsLeft} years after the rotation starts.',
          },
          params,
        ),
      },
    ]);
  }

  /**
   * planned → active: the person leaves the from-post the day before the start and is
   * appointed to the to-post from the start (in the to-unit's term covering it, if any).
   */
  async start(actor: Actor, id: string, lang: Language): Promise<RotationDto> {
    return this.dataSource.transaction(async (em) => {
      const before = await this.lockForChange(actor, em, id, 'active');
      let fromAppointmentId: string | null = null;
      const reason = nfc(`Luân chuyển đến ${before.toPost.title} – ${before.toPost.orgUnitName}`);
      if (before.fromPost) {
        const [held] = await em.query<{ id: string }[]>(
          `SELECT id FROM appointments
            WHERE person_id = $1 AND post_id = $2 AND status = 'active' AND start_date <= $3::date
            ORDER BY start_date DESC LIMIT 1`,
          [before.personId, before.fromPost.id, before.startDate],
        );
        if (held) {
          await this.appointments.endAppointment(em, held.id, {
            endDate: addDays(before.startDate, -1),
            reason,
            recordedBy: actor.userId,
          });
          fromAppointmentId = held.id;
        }
      }
      const appointment = await this.appointments.startAppointment(em, {
        personId: before.personId,
        postId: before.toPost.id,
        termId: await this.termOn(em, before.toPost.orgUnitId, before.startDate),
        method: 'appointed',
        startDate: before.startDate,
        recordedBy: actor.userId,
      });
      await em.query(
        `UPDATE rotations SET status = 'active', from_appointment_id = $2, to_appointment_id = $3,
                              updated_by = $4, updated_at = now()
          WHERE id = $1`,
        [id, fromAppointmentId, appointment.id, actor.userId],
      );
      return labelled(await this.recordChange(em, actor, 'rotation.start', before), lang);
    });
  }

  /**
   * active → completed: the end evaluation is recorded and the to-post appointment ended. A
   * rotation that ends before its minimum length (policy minMonths from the start) needs a
   * reason, stored with it and in the audit log (422 ROTATION_EARLY_END_REASON without one); a
   * reason for a rotation that ran its length is refused (400), so none reads as early.
   */
  async complete(
    actor: Actor,
    id: string,
    dto: CompleteRotationDto,
    lang: Language,
  ): Promise<RotationDto> {
    const { score, text } = dto.evaluation;
    let level = dto.evaluation.level ?? null;
    if (score !== undefined) {
      const derived = levelForScore(score);
      if (level && level !== derived) {
        throw new DomainError('VALIDATION_FAILED', {}, [
          {
            field: 'evaluation.level',
            ...fill(
              { vi: 'Điểm {score} là mức "{level}".', en: 'A score of {score} is "{level}".' },
              { score: decimalText(score), level: EVALUATION_LEVEL_LABELS[derived] },
            ),
          },
        ]);
      }
      level = derived;
    }
    return this.dataSource.transaction(async (em) => {
      const before = await this.lockForChange(actor, em, id, 'completed');
      checkEndAfterStart(before, dto.endDate);
      const minEnd = minimumEnd(before.startDate, this.policy.minMonths);
      const early = dto.endDate < minEnd;
      if (early && !dto.earlyEndReason) {
        throw new DomainError(
          'ROTATION_EARLY_END_REASON',
          {
            endDate: isoToVi(dto.endDate),
            months: this.policy.minMonths,
            minEnd: isoToVi(minEnd),
          },
          [
            {
              field: 'earlyEndReason',
              vi: 'Cần nêu lý do kết thúc luân chuyển trước thời hạn.',
              en: 'Say why the rotation ends early.',
            },
          ],
        );
      }
      if (!early && dto.earlyEndReason) {
        throw new DomainError('VALIDATION_FAILED', {}, [
          {
            field: 'earlyEndReason',
            ...fill(
              {
                vi: 'Luân chuyển kết thúc từ ngày {minEnd} trở đi là đủ thời hạn, không cần lý do kết thúc sớm.',
                en: 'A rotation ending on or after {minEnd} runs its full length: no early-end reason applies.',
              },
              { minEnd: isoToVi(minEnd) },
            ),
          },
        ]);
      }
      const returnAppointmentId = await this.endInPost(
        em,
        actor,
        before,
        dto.endDate,
        dto.returnToHomePost,
      );
      await em.query(
        `UPDATE rotations
            SET status = 'completed', actual_end_date = $2, end_evaluation = $3, end_score = $4,
                end_level = $5, return_appointment_id = $6, updated_by = $7, updated_at = now(),
                early_end_reason = $8
          WHERE id = $1`,
        [
          id,
          dto.endDate,
          nfc(text),
          score ?? null,
          level,
          returnAppointmentId,
          actor.userId,
          early ? nfc(dto.earlyEndReason!) : null,
        ],
      );
      return labelled(await this.recordChange(em, actor, 'rotation.complete', before), lang);
    });
  }

  /**
   * planned → cancelled (nothing else changes) or active → cancelled (the to-post appointment
   * ends on endDate, which is then required).
   */
  async cancel(
    actor: Actor,
    id: string,
    dto: CancelRotationDto,
    lang: Language,
  ): Promise<RotationDto> {
    return this.dataSource.transaction(async (em) => {
      const before = await this.lockForChange(actor, em, id, 'cancelled');
      let actualEnd: string | null = null;
      let returnAppointmentId: string | null = null;
      if (before.status === 'active') {
        if (!dto.endDate) {
          throw new DomainError('VALIDATION_FAILED', {}, [
            {
              field: 'endDate',
              vi: 'Cần ngày kết thúc để hủy kế hoạch luân chuyển đang thực hiện.',
              en: 'An end date is required to cancel an active rotation.',
            },
          ]);
        }
        actualEnd = dto.endDate;
        returnAppointmentId = await this.endInPost(
          em,
          actor,
          before,
          dto.endDate,
          dto.returnToHomePost,
        );
      }
      await em.query(
        `UPDATE rotations
            SET status = 'cancelled', cancel_reason = $2, actual_end_date = $3,
                return_appointment_id = $4, updated_by = $5, updated_at = now()
          WHERE id = $1`,
        [id, nfc(dto.reason), actualEnd, returnAppointmentId, actor.userId],
      );
      return labelled(await this.recordChange(em, actor, 'rotation.cancel', before), lang);
    });
  }

  async get(actor: Actor, id: string, lang: Language): Promise<RotationDto> {
    return labelled(await this.findInScope(actor, id, this.dataSource.manager), lang);
  }

  /** A person's rotations, latest start first, keyset paged. */
  async listForPerson(
    actor: Actor,
    personId: string,
    query: ListRotationsQueryDto,
    lang: Language,
  ): Promise<Page<RotationDto>> {
    const person = await this.people.findInScope(actor, personId, 'hr:manage');
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['date', 'uuid']);
    const scope = scopeConditionRaw('tou.path', actor.scopePaths('hr:manage'), 3);
    const params: unknown[] = [person.id, limit + 1, ...scope.params];
    let where = `r.person_id = $1 AND ${scope.sql}`;
    if (query.status) {
      params.push(query.status);
      where += ` AND r.status = $${params.length}::rotation_status`;
    }
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      where += ` AND (r.start_date, r.id) < ($${params.length - 1}::date, $${params.length}::uuid)`;
    }
    const rows = await this.dataSource.query<RotationRow[]>(
      `${ROTATION_SELECT} WHERE ${where} ORDER BY r.start_date DESC, r.id DESC LIMIT $2`,
      params,
    );
    return toPage(
      rows,
      limit,
      (r) => [r.start_date, r.id],
      (r) => labelled(toRotationState(r), lang),
    );
  }

  // ── building blocks ──────────────────────────────────────────────────────────────────────

  private async lockPerson(em: EntityManager, personId: string): Promise<void> {
    await em.query(`SELECT id FROM people WHERE id = $1 FOR UPDATE`, [personId]);
  }

  /** Another non-cancelled rotation of the person whose period meets [start, end]: 409. */
  private async checkNoOverlap(
    em: EntityManager,
    personId: string,
    start: string,
    end: string,
  ): Promise<void> {
    const [clash] = await em.query<{ id: string; start: string; end: string }[]>(
      `SELECT id, start_date::text AS start,
              COALESCE(actual_end_date, planned_end_date)::text AS "end"
         FROM rotations
        WHERE person_id = $1 AND status <> 'cancelled'
          AND start_date <= $3::date AND $2::date <= COALESCE(actual_end_date, planned_end_date)
        ORDER BY start_date LIMIT 1`,
      [personId, start, end],
    );
    if (clash) {
      const period = { start: isoToVi(clash.start), end: isoToVi(clash.end) };
      throw new DomainError('ROTATION_OVERLAP', period, [
        {
          field: 'startDate',
          ...fill(
            {
              vi: 'Trùng thời gian với kế hoạch luân chuyển {id} ({start} – {end}).',
              en: 'Overlaps rotation {id} ({start} – {end}).',
            },
            { id: clash.id, ...period },
          ),
        },
      ]);
    }
  }

  /**
   * Reads the rotation in scope, locks the person's row then the rotation's, and checks that
   * the status may move to `to` (409 ROTATION_STATUS_INVALID otherwise).
   */
  private async lockForChange(
    actor: Actor,
    em: EntityManager,
    id: string,
    to: RotationStatus,
  ): Promise<RotationState> {
    const seen = await this.findInScope(actor, id, em);
    await this.lockPerson(em, seen.personId);
    await em.query(`SELECT id FROM rotations WHERE id = $1 FOR UPDATE`, [id]);
    const current = await this.fetch(em, id);
    if (!ROTATION_TRANSITIONS[current.status].includes(to)) {
      throw new DomainError('ROTATION_STATUS_INVALID', {
        status: ROTATION_STATUS_LABELS[current.status],
        to: ROTATION_STATUS_LABELS[to],
      });
    }
    return current;
  }

  /** An end before the start: 400 DATE_RANGE_INVALID on endDate. */
  /**
   * Ends the to-post appointment on `endDate` (if still open) and, when asked (or by policy),
   * appoints the person back to the from-post from the next day. Returns that appointment's id.
   */
  private async endInPost(
    em: EntityManager,
    actor: Actor,
    rotation: RotationState,
    endDate: string,
    returnToHomePost: boolean | undefined,
  ): Promise<string | null> {
    checkEndAfterStart(rotation, endDate);
    if (rotation.toAppointmentId) {
      const [open] = await em.query<unknown[]>(
        `SELECT 1 FROM appointments WHERE id = $1 AND status = 'active'`,
        [rotation.toAppointmentId],
      );
      if (open) {
        await this.appointments.endAppointment(em, rotation.toAppointmentId, {
          endDate,
          reason: 'Kết thúc luân chuyển',
          recordedBy: actor.userId,
        });
      }
    }
    const goHome = returnToHomePost ?? this.policy.returnToHomePostByDefault;
    if (!goHome || !rotation.fromPost) return null;
    const back = addDays(endDate, 1);
    const appointment = await this.appointments.startAppointment(em, {
      personId: rotation.personId,
      postId: rotation.fromPost.id,
      termId: await this.termOn(em, rotation.fromPost.orgUnitId, back),
      method: 'appointed',
      startDate: back,
      recordedBy: actor.userId,
    });
    return appointment.id;
  }

  /** The unit's term covering the date, if any (terms of a unit never overlap). */
  private async termOn(em: EntityManager, unitId: string, date: string): Promise<string | null> {
    const [term] = await em.query<{ id: string }[]>(
      `SELECT id FROM terms WHERE org_unit_id = $1 AND start_date <= $2::date AND end_date >= $2::date`,
      [unitId, date],
    );
    return term?.id ?? null;
  }

  private async recordChange(
    em: EntityManager,
    actor: Actor,
    action: string,
    before: RotationState,
  ): Promise<RotationState> {
    const after = await this.fetch(em, before.id);
    await this.audit.record(em, actor, {
      action,
      entityType: 'rotation',
      entityId: before.id,
      orgUnitId: after.toPost.orgUnitId,
      before,
      after,
    });
    return after;
  }

  private async fetch(em: EntityManager, id: string): Promise<RotationState> {
    const [row] = await em.query<RotationRow[]>(`${ROTATION_SELECT} WHERE r.id = $1`, [id]);
    if (!row) throw new DomainError('ROTATION_NOT_FOUND');
    return toRotationState(row);
  }

  /** The rotation if both the person and the to-post's unit lie in the caller's HR scope. */
  private async findInScope(actor: Actor, id: string, em: EntityManager): Promise<RotationState> {
    const paths = actor.scopePaths('hr:manage');
    const home = scopeConditionRaw('ho.path', paths, 2);
    const to = scopeConditionRaw('tou.path', paths, 2);
    const [row] = await em.query<RotationRow[]>(
      `${ROTATION_SELECT} WHERE r.id = $1 AND ${home.sql} AND ${to.sql}`,
      [id, ...home.params],
    );
    if (!row) throw new DomainError('ROTATION_NOT_FOUND');
    return toRotationState(row);
  }
}
