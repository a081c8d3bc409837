import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, scopeConditionRaw } from '../auth/actor';
import { Permission } from '../auth/roles';
import { detail, DomainError } from '../common/errors/domain-error';
import {
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  Page,
  PageQueryDto,
  toPage,
} from '../common/pagination/page';
import { OrgUnitsService } from '../org-units/org-units.service';
import { PeopleService } from '../people/people.service';
import { birthdayAt, PERSON_AGE_LIMITS } from '../people/person-dates';
import {
  AppointmentDto,
  CancelAppointmentDto,
  CreateAppointmentDto,
  CurrentPostDto,
  CurrentPostListDto,
  EndAppointmentDto,
  HolderDto,
} from './dto/appointment.dto';
import { PostType } from './post-types';
import { AppointmentMethod, AppointmentStatus } from './post.types';
import { PostsService } from './posts.service';
import { checkAppointmentDates, endBeforeStart } from './appointment-dates';

/** The plausible dates of POST /appointments, for the bulk import's rows to be held to them. */
export { checkAppointmentDates };
import { dmy } from '../common/dates/vietnam-dates';
import { Clock } from '../common/clock/clock';

/** What a caller (HR through the API, or a rotation of issue 5) asks to start. */
export interface StartAppointmentInput {
  personId: string;
  postId: string;
  termId?: string | null;
  method: AppointmentMethod;
  /** First day in the post (yyyy-MM-dd). */
  startDate: string;
  /** Last day in the post, inclusive; null or absent while open. */
  endDate?: string | null;
  endReason?: string | null;
  /** The account recording it; null for system callers. */
  recordedBy?: string | null;
}

export interface EndAppointmentInput {
  /** Last day in the post, inclusive; may lie in the future (a decision "from 1 April"). */
  endDate: string;
  reason: string;
  recordedBy?: string | null;
}

/** One current holder of a post inside a subtree: what gaps, heatmaps and planning build on. */
export interface CurrentHolder {
  appointmentId: string;
  personId: string;
  postId: string;
  postType: PostType;
  keyPost: boolean;
  orgUnitId: string;
  /** Materialized path of the post's unit: bucket by a child unit with a prefix test. */
  orgUnitPath: string;
  termId: string | null;
  startDate: string;
  endDate: string | null;
}

interface AppointmentRow {
  id: string;
  person_id: string;
  post_id: string;
  term_id: string | null;
  method: AppointmentMethod;
  start_date: string;
  end_date: string | null;
  status: AppointmentStatus;
  end_reason: string | null;
}

const APPOINTMENT_COLUMNS = `a.id, a.person_id, a.post_id, a.term_id, a.method,
  a.start_date::text AS start_date, a.end_date::text AS end_date, a.status, a.end_reason`;

const toAppointmentDto = (r: AppointmentRow): AppointmentDto => ({
  id: r.id,
  personId: r.person_id,
  postId: r.post_id,
  termId: r.term_id,
  method: r.method,
  startDate: r.start_date,
  endDate: r.end_date,
  status: r.status,
  endReason: r.end_reason,
});

/**
 * The SQL of "current holders of posts in a subtree on a date", for callers that compose it
 * into a larger set-based query (heatmaps, planning). Parameters are positional from `start`:
 * the subtree's LIKE prefix, the date, and the post types (text[] or null for all). Columns:
 * appointment_id, person_id, post_id, post_type, key_post, org_unit_id, org_unit_path,
 * term_id, start_date, end_date.
 */
export function currentHoldersSql(
  subtreePath: string,
  on: string,
  postTypes: readonly PostType[] | null,
  start = 1,
): { sql: string; params: unknown[] } {
  return {
    sql: `SELECT a.id AS appointment_id, a.person_id, a.post_id, p.post_type, p.key_post,
                 o.id AS org_unit_id, o.path AS org_unit_path, a.term_id,
                 a.start_date::text AS start_date, a.end_date::text AS end_date
            FROM org_units o
            JOIN posts p ON p.org_unit_id = o.id
            JOIN appointments a ON a.post_id = p.id
           WHERE o.path LIKE $${start}
             AND ($${start + 2}::post_type[] IS NULL OR p.post_type = ANY($${start + 2}::post_type[]))
             AND a.status <> 'cancelled'
             AND a.start_date <= $${start + 1}::date
             AND (a.end_date IS NULL OR a.end_date >= $${start + 1}::date)`,
    params: [`${subtreePath}%`, on, postTypes ? [...postTypes] : null],
  };
}

/**
 * Appointments (bầu, bổ nhiệm): who holds which post when. History is kept: ending records the
 * last day and the reason, a mistaken entry is cancelled; no row is ever deleted.
 *
 * The `em`-taking methods run inside the caller's transaction and check no scope (the caller
 * has): issue 5's rotations end one appointment and start another in one transaction.
 */
@Injectable()
export class AppointmentsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly posts: PostsService,
    private readonly people: PeopleService,
    private readonly orgUnits: OrgUnitsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * A unit whose active posts have current holders cannot be archived: they hold a post of a
   * unit that would no longer exist. Counted the way a post's own archive counts its holders
   * (not cancelled, not yet ended: an end date today or later still holds).
   */
  onModuleInit(): void {
    this.orgUnits.addArchiveGuard(async (em, unit) => {
      const [{ count }] = await em.query<{ count: number }[]>(
        `SELECT count(*)::int AS count
           FROM appointments a JOIN posts p ON p.id = a.post_id
          WHERE p.org_unit_id = $1 AND p.status = 'active' AND a.status <> 'cancelled'
            AND (a.end_date IS NULL OR a.end_date >= $2::date)`,
        [unit.id, this.clock.todayVn()],
      );
      if (count > 0) throw new DomainError('ORG_UNIT_HAS_HOLDERS', { count });
    });
  }

  // ── transaction building blocks ─────────────────────────────────────────────────────────

  /**
   * Starts an appointment. The post row is locked (SELECT … FOR UPDATE) before the overlap
   * check, so two concurrent appointments to one single-holder post are serialised and the
   * second sees the first: at most one lands, the other gets APPOINTMENT_OVERLAP. (PGlite has
   * no btree_gist, so no exclusion constraint; the lock is the guarantee.)
   */
  async startAppointment(em: EntityManager, input: StartAppointmentInput): Promise<AppointmentDto> {
    const endDate = input.endDate ?? null;
    if (endDate !== null && endDate < input.startDate) throw endBeforeStart(input.startDate);
    const [post] = await em.query<
      { id: string; org_unit_id: string; title: string; single_holder: boolean; status: string }[]
    >(`SELECT id, org_unit_id, title, single_holder, status FROM posts WHERE id = $1 FOR UPDATE`, [
      input.postId,
    ]);
    if (!post) throw new DomainError('POST_NOT_FOUND');
    if (post.status !== 'active') throw new DomainError('POST_ARCHIVED');
    // Share-locks the unit: an archive running beside this either sees the new holder or has
    // archived the unit first, and then nobody starts holding a post there. A past, already
    // ended appointment may still be recorded: that is history, not a holder.
    const unitStatus = await this.orgUnits.shareLockStatus(em, post.org_unit_id);
    if (unitStatus === 'archived' && (endDate === null || endDate >= this.clock.todayVn())) {
      throw new DomainError('ORG_UNIT_ARCHIVED');
    }

    const [person] = await em.query<{ status: string; birth_date: string | null }[]>(
      `SELECT status, birth_date::text AS birth_date FROM people WHERE id = $1`,
      [input.personId],
    );
    if (!person) throw new DomainError('PERSON_NOT_FOUND');
    if (person.status !== 'active') throw new DomainError('PERSON_NOT_ACTIVE');
    // Nobody holds a union post before the age of work: an earlier start is a typing error.
    if (person.birth_date) {
      const from = birthdayAt(person.birth_date, PERSON_AGE_LIMITS.min);
      if (input.startDate < from) {
        const minAge = PERSON_AGE_LIMITS.min;
        throw new DomainError(
          'APPOINTMENT_BEFORE_MIN_AGE',
          { birthDate: person.birth_date, minAge, from },
          [
            detail(
              'startDate',
              `Không được sớm hơn ngày ${dmy(from)}, khi cán bộ đủ ${minAge} tuổi.`,
              `Cannot be earlier than ${dmy(from)}, when the person turns ${minAge}.`,
            ),
          ],
        );
      }
    }

    if (input.termId) {
      const [term] = await em.query<{ org_unit_id: string; start: string; end: string }[]>(
        `SELECT org_unit_id, start_date::text AS start, end_date::text AS "end"
           FROM terms WHERE id = $1`,
        [input.termId],
      );
      if (!term) throw new DomainError('TERM_NOT_FOUND');
      if (term.org_unit_id !== post.org_unit_id) {
        throw new DomainError('TERM_UNIT_MISMATCH', {}, [
          detail('termId', 'Nhiệm kỳ của một đơn vị khác.', 'A term of another unit.'),
        ]);
      }
      if (input.startDate < term.start || input.startDate > term.end) {
        throw new DomainError(
          'APPOINTMENT_OUTSIDE_TERM',
          { termStart: term.start, termEnd: term.end },
          [
            detail(
              'startDate',
              `Ngoài nhiệm kỳ ${dmy(term.start)} – ${dmy(term.end)}.`,
              `Outside the term ${dmy(term.start)} – ${dmy(term.end)}.`,
            ),
          ],
        );
      }
    }

    // A single-holder post admits nobody else in the period; no post admits the same person twice.
    const [clash] = await em.query<{ id: string; start: string; end: string | null }[]>(
      `SELECT id, start_date::text AS start, end_date::text AS "end" FROM appointments
        WHERE post_id = $1 AND status <> 'cancelled'
          AND ($2::boolean OR person_id = $3)
          AND start_date <= COALESCE($5::date, 'infinity'::date)
          AND $4::date <= COALESCE(end_date, 'infinity'::date)
        ORDER BY start_date LIMIT 1`,
      [post.id, post.single_holder, input.personId, input.startDate, endDate],
    );
    if (clash) {
      const period = `${dmy(clash.start)} – ${clash.end ? dmy(clash.end) : '…'}`;
      throw new DomainError('APPOINTMENT_OVERLAP', { title: post.title }, [
        detail(
          'startDate',
          `Trùng thời gian với quyết định ${clash.id} (${period}).`,
          `Overlaps appointment ${clash.id} (${period}).`,
        ),
      ]);
    }

    const [row] = await em.query<AppointmentRow[]>(
      `INSERT INTO appointments AS a (person_id, post_id, term_id, method, start_date, end_date,
                                      status, end_reason, created_by, ended_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       RETURNING ${APPOINTMENT_COLUMNS}`,
      [
        input.personId,
        post.id,
        input.termId ?? null,
        input.method,
        input.startDate,
        endDate,
        endDate === null ? 'active' : 'ended',
        endDate === null ? null : (input.endReason ?? null),
        input.recordedBy ?? null,
        endDate === null ? null : (input.recordedBy ?? null),
      ],
    );
    return toAppointmentDto(row);
  }

  /** Records the last day of an open appointment, with the appointment row locked. */
  async endAppointment(
    em: EntityManager,
    appointmentId: string,
    input: EndAppointmentInput,
  ): Promise<AppointmentDto> {
    const current = await this.lockAppointment(em, appointmentId);
    if (current.status !== 'active') throw new DomainError('APPOINTMENT_NOT_ACTIVE');
    if (input.endDate < current.start_date) throw endBeforeStart(current.start_date);
    await em.query(
      `UPDATE appointments
          SET end_date = $2, status = 'ended', end_reason = $3, ended_by = $4, updated_at = now()
        WHERE id = $1`,
      [appointmentId, input.endDate, input.reason, input.recordedBy ?? null],
    );
    return toAppointmentDto(await this.lockAppointment(em, appointmentId));
  }

  /** Voids an appointment entered in error: it stays on record but never counts again. */
  async cancelAppointment(
    em: EntityManager,
    appointmentId: string,
    reason: string,
    recordedBy: string | null = null,
  ): Promise<AppointmentDto> {
    const current = await this.lockAppointment(em, appointmentId);
    if (current.status === 'cancelled') throw new DomainError('APPOINTMENT_NOT_ACTIVE');
    await em.query(
      `UPDATE appointments
          SET status = 'cancelled', end_reason = $2, ended_by = $3, updated_at = now()
        WHERE id = $1`,
      [appointmentId, reason, recordedBy],
    );
    return toAppointmentDto(await this.lockAppointment(em, appointmentId));
  }

  private async lockAppointment(em: EntityManager, id: string): Promise<AppointmentRow> {
    const [row] = await em.query<AppointmentRow[]>(
      `SELECT ${APPOINTMENT_COLUMNS} FROM appointments a WHERE a.id = $1 FOR UPDATE`,
      [id],
    );
    if (!row) throw new DomainError('APPOINTMENT_NOT_FOUND');
    return row;
  }

  /** The posts a person holds on a date (today in Vietnam by default), with unit and term. */
  async currentPostsOf(
    em: EntityManager,
    personId: string,
    on: string = this.clock.todayVn(),
  ): Promise<CurrentPostDto[]> {
    return (await this.currentPostsOfPeople(em, [personId], on)).get(personId) ?? [];
  }

  /**
   * The posts each of several people holds on a date, in one query (a page of a people list
   * asks once, not once a person). The caller has the people from a scoped read.
   */
  async currentPostsOfPeople(
    em: EntityManager,
    personIds: string[],
    on: string = this.clock.todayVn(),
  ): Promise<Map<string, CurrentPostDto[]>> {
    const byPerson = new Map<string, CurrentPostDto[]>();
    if (personIds.length === 0) return byPerson;
    const rows = await em.query<
      (AppointmentRow & {
        post_type: PostType;
        title: string;
        key_post: boolean;
        single_holder: boolean;
        org_unit_id: string;
        org_code: string;
        org_name: string;
        term_name: string | null;
        term_start: string | null;
        term_end: string | null;
      })[]
    >(
      `SELECT ${APPOINTMENT_COLUMNS}, p.post_type, p.title, p.key_post, p.single_holder,
              o.id AS org_unit_id, o.code AS org_code, o.name AS org_name,
              t.name AS term_name, t.start_date::text AS term_start, t.end_date::text AS term_end
         FROM appointments a
         JOIN posts p ON p.id = a.post_id
         JOIN org_units o ON o.id = p.org_unit_id
         LEFT JOIN terms t ON t.id = a.term_id
        WHERE a.person_id = ANY($1::uuid[]) AND a.status <> 'cancelled'
          AND a.start_date <= $2::date AND (a.end_date IS NULL OR a.end_date >= $2::date)
        ORDER BY p.key_post DESC, p.post_type, a.start_date, a.id`,
      [personIds, on],
    );
    for (const r of rows) {
      const list = byPerson.get(r.person_id) ?? [];
      list.push({
        appointmentId: r.id,
        method: r.method,
        startDate: r.start_date,
        endDate: r.end_date,
        post: {
          id: r.post_id,
          postType: r.post_type,
          title: r.title,
          keyPost: r.key_post,
          singleHolder: r.single_holder,
        },
        orgUnit: { id: r.org_unit_id, code: r.org_code, name: r.org_name },
        term:
          r.term_id && r.term_name && r.term_start && r.term_end
            ? { id: r.term_id, name: r.term_name, startDate: r.term_start, endDate: r.term_end }
            : null,
      });
      byPerson.set(r.person_id, list);
    }
    return byPerson;
  }

  /**
   * Every current holder of a post in the subtree rooted at `subtreePath` (a materialized path
   * such as "/1/7/"), optionally of some post types only — one set-based query over the path
   * index, the posts of each unit and the appointments of each post.
   */
  async currentHoldersInSubtree(
    em: EntityManager,
    subtreePath: string,
    postTypes?: readonly PostType[],
    on: string = this.clock.todayVn(),
  ): Promise<CurrentHolder[]> {
    const q = currentHoldersSql(subtreePath, on, postTypes?.length ? postTypes : null);
    const rows = await em.query<
      {
        appointment_id: string;
        person_id: string;
        post_id: string;
        post_type: PostType;
        key_post: boolean;
        org_unit_id: string;
        org_unit_path: string;
        term_id: string | null;
        start_date: string;
        end_date: string | null;
      }[]
    >(`${q.sql} ORDER BY o.path, p.post_type, a.start_date, a.id`, q.params);
    return rows.map((r) => ({
      appointmentId: r.appointment_id,
      personId: r.person_id,
      postId: r.post_id,
      postType: r.post_type,
      keyPost: r.key_post,
      orgUnitId: r.org_unit_id,
      orgUnitPath: r.org_unit_path,
      termId: r.term_id,
      startDate: r.start_date,
      endDate: r.end_date,
    }));
  }

  // ── use cases behind the API (scope checked here) ─────────────────────────────────────────

  /**
   * Records an election or appointment. Besides the rules of startAppointment, the dates must
   * be plausible (POST_DATE_LIMITS): no start before 1950 or more than a year ahead, no end more
   * than ten years ahead. The audit entry belongs to the post's unit.
   */
  async create(actor: Actor, dto: CreateAppointmentDto): Promise<AppointmentDto> {
    checkAppointmentDates(dto.startDate, dto.endDate ?? null, this.clock.todayVn());
    return this.dataSource.transaction(async (em) => {
      await this.people.findInScope(actor, dto.personId, 'hr:manage', em);
      const post = await this.posts.findInScope(actor, dto.postId, 'hr:manage', em);
      const created = await this.startAppointment(em, {
        personId: dto.personId,
        postId: dto.postId,
        termId: dto.termId ?? null,
        method: dto.method,
        startDate: dto.startDate,
        endDate: dto.endDate ?? null,
        endReason: dto.endReason ?? null,
        recordedBy: actor.userId,
      });
      await this.audit.record(em, actor, {
        action: 'appointment.create',
        entityType: 'appointment',
        entityId: created.id,
        orgUnitId: post.org_unit_id,
        before: null,
        after: created,
      });
      return created;
    });
  }

  async end(actor: Actor, id: string, dto: EndAppointmentDto): Promise<AppointmentDto> {
    checkAppointmentDates(null, dto.endDate, this.clock.todayVn());
    return this.dataSource.transaction(async (em) => {
      const unitId = await this.findInScope(actor, id, 'hr:manage', em);
      const before = toAppointmentDto(await this.lockAppointment(em, id));
      const after = await this.endAppointment(em, id, {
        endDate: dto.endDate,
        reason: dto.reason,
        recordedBy: actor.userId,
      });
      await this.audit.record(em, actor, {
        action: 'appointment.end',
        entityType: 'appointment',
        entityId: id,
        orgUnitId: unitId,
        before,
        after,
      });
      return after;
    });
  }

  async cancel(actor: Actor, id: string, dto: CancelAppointmentDto): Promise<AppointmentDto> {
    return this.dataSource.transaction(async (em) => {
      const unitId = await this.findInScope(actor, id, 'hr:manage', em);
      const before = toAppointmentDto(await this.lockAppointment(em, id));
      const after = await this.cancelAppointment(em, id, dto.reason, actor.userId);
      await this.audit.record(em, actor, {
        action: 'appointment.cancel',
        entityType: 'appointment',
        entityId: id,
        orgUnitId: unitId,
        before,
        after,
      });
      return after;
    });
  }

  /** An appointment whose post's unit lies in the actor's scope (its unit's id); else 404. */
  private async findInScope(
    actor: Actor,
    id: string,
    permission: Permission,
    em: EntityManager,
  ): Promise<string> {
    const scope = scopeConditionRaw('o.path', actor.scopePaths(permission), 2);
    const [row] = await em.query<{ org_unit_id: string }[]>(
      `SELECT p.org_unit_id FROM appointments a
         JOIN posts p ON p.id = a.post_id
         JOIN org_units o ON o.id = p.org_unit_id
        WHERE a.id = $1 AND ${scope.sql}`,
      [id, ...scope.params],
    );
    if (!row) throw new DomainError('APPOINTMENT_NOT_FOUND');
    return row.org_unit_id;
  }

  /** Today's posts of the people of a page the caller listed in scope (the HR people page). */
  listedPeoplesPosts(personIds: string[]): Promise<Map<string, CurrentPostDto[]>> {
    return this.currentPostsOfPeople(this.dataSource.manager, personIds);
  }

  async currentPostsForPerson(actor: Actor, personId: string): Promise<CurrentPostListDto> {
    await this.people.findInScope(actor, personId, 'people:read');
    return { items: await this.currentPostsOf(this.dataSource.manager, personId) };
  }

  /** A post's holders over time, latest start first, keyset paged; cancelled entries left out. */
  async holders(actor: Actor, postId: string, query: PageQueryDto): Promise<Page<HolderDto>> {
    const post = await this.posts.findInScope(actor, postId, 'people:read');
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['date', 'uuid']);
    const params: unknown[] = [post.id, limit + 1];
    let keyset = '';
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      keyset = 'AND (a.start_date, a.id) < ($3::date, $4::uuid)';
    }
    const rows = await this.dataSource.query<
      (AppointmentRow & {
        full_name: string;
        term_name: string | null;
        term_start: string | null;
        term_end: string | null;
      })[]
    >(
      `SELECT ${APPOINTMENT_COLUMNS}, pe.full_name,
              t.name AS term_name, t.start_date::text AS term_start, t.end_date::text AS term_end
         FROM appointments a
         JOIN people pe ON pe.id = a.person_id
         LEFT JOIN terms t ON t.id = a.term_id
        WHERE a.post_id = $1 AND a.status <> 'cancelled' ${keyset}
        ORDER BY a.start_date DESC, a.id DESC
        LIMIT $2`,
      params,
    );
    return toPage(
      rows,
      limit,
      (r) => [r.start_date, r.id],
      (r) => ({
        ...toAppointmentDto(r),
        fullName: r.full_name,
        term:
          r.term_id && r.term_name && r.term_start && r.term_end
            ? { id: r.term_id, name: r.term_name, startDate: r.term_start, endDate: r.term_end }
            : null,
      }),
    );
  }
}
