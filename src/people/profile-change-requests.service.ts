import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, scopeConditionRaw } from '../auth/actor';
import { detail, DomainError } from '../common/errors/domain-error';
import {
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  Page,
  PageQueryDto,
  toPage,
} from '../common/pagination/page';
import {
  ApproveProfileChangeRequestDto,
  CreateProfileChangeRequestDto,
  ListProfileChangeRequestsQueryDto,
  ProfileChangeRequestDto,
  RejectProfileChangeRequestDto,
} from './dto/profile.dto';
import { UpdatePersonDto } from './dto/person.dto';
import { PeopleService } from './people.service';
import {
  normalised,
  RequestRow,
  requestAuditSnapshot,
  SELECT_REQUEST,
  STATE_WORDS,
  toRequestDto,
} from './profile-change-request.view';
import {
  ProfileChangeRequestState,
  REQUESTABLE_FIELDS,
  RequestedValues,
} from './profile-change-request.entity';

/**
 * Profile change requests (issue 15, item 5): a person asks HR to correct their name, birth
 * date, gender or CCCD; HR of the person's home unit (hr:manage over it) approves — the change
 * is applied to the record in the same transaction — or rejects with a reason. A person has at
 * most one pending request (a new one supersedes it); requests are never deleted.
 */
@Injectable()
export class ProfileChangeRequestsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly people: PeopleService,
    private readonly audit: AuditService,
  ) {}

  /** My pending request, if any. */
  async myPending(actor: Actor, em?: EntityManager): Promise<ProfileChangeRequestDto | null> {
    const [row] = await (em ?? this.dataSource.manager).query<RequestRow[]>(
      `${SELECT_REQUEST} WHERE r.person_id = $1 AND r.state = 'pending'`,
      [actor.personId],
    );
    return row ? toRequestDto(actor, row) : null;
  }

  /** My requests, newest first, keyset paged. */
  async listMine(actor: Actor, query: PageQueryDto): Promise<Page<ProfileChangeRequestDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['timestamp', 'uuid']);
    const params: unknown[] = [actor.personId];
    let after = '';
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      after = 'AND (r.created_at, r.id) < ($2::timestamptz, $3::uuid)';
    }
    params.push(limit + 1);
    const rows = await this.dataSource.query<RequestRow[]>(
      `${SELECT_REQUEST}
        WHERE r.person_id = $1 ${after}
        ORDER BY r.created_at DESC, r.id DESC
        LIMIT $${params.length}`,
      params,
    );
    return toPage(
      rows,
      limit,
      (r) => [r.at_key, r.id],
      (r) => toRequestDto(actor, r),
    );
  }

  /**
   * Asks HR for a change. Only the fields that differ from the record are kept (none → 400);
   * the birth date must fit the age window (422) and the CCCD be free (409). A pending request
   * of mine is superseded by this one, in the same transaction.
   */
  async create(actor: Actor, dto: CreateProfileChangeRequestDto): Promise<ProfileChangeRequestDto> {
    return this.dataSource.transaction(async (em) => {
      // The person's row lock serialises two requests of the same person (two tabs).
      const person = await this.people.ownRecordUnscoped(em, actor, { forUpdate: true });
      const given = REQUESTABLE_FIELDS.filter((f) => dto[f] !== undefined);
      if (!given.length) {
        throw new DomainError('VALIDATION_FAILED', {}, [
          detail(
            'body',
            'Cần ít nhất một trường cần sửa: họ, tên đệm, tên, ngày sinh, giới tính hoặc số CCCD.',
            'Give at least one field to change: family, middle or given name, birth date, gender or national ID.',
          ),
        ]);
      }
      const current: Required<RequestedValues> = {
        familyName: person.familyName,
        middleName: person.middleName,
        givenName: person.givenName,
        birthDate: person.birthDate,
        gender: person.gender,
        nationalId: person.nationalId?.trim() ?? null,
      };
      const requested: RequestedValues = {};
      for (const field of given) {
        const value = normalised(field, dto[field]);
        if (value !== current[field]) Object.assign(requested, { [field]: value });
      }
      if (!Object.keys(requested).length) {
        throw new DomainError(
          'VALIDATION_FAILED',
          {},
          given.map((f) =>
            detail(f, 'Giống giá trị hiện có trong hồ sơ.', 'The same as the record already has.'),
          ),
        );
      }
      if (requested.birthDate !== undefined) this.people.checkBirthDate(requested.birthDate);
      if (requested.nationalId) {
        await this.people.checkNationalIdFree(em, requested.nationalId, person.id);
      }
      const [previous] = await em.query<RequestRow[]>(
        `SELECT id, person_id, state, requested, note FROM profile_change_requests
          WHERE person_id = $1 AND state = 'pending' FOR UPDATE`,
        [person.id],
      );
      if (previous) {
        await em.query(
          `UPDATE profile_change_requests
              SET state = 'superseded', decided_at = now(), decided_by_user_id = $2,
                  decided_by_person_id = $3, updated_at = now()
            WHERE id = $1`,
          [previous.id, actor.userId, actor.personId],
        );
      }
      const [created] = await em.query<{ id: string }[]>(
        `INSERT INTO profile_change_requests (person_id, requested, note, requested_by_user_id)
         VALUES ($1, $2::jsonb, $3, $4) RETURNING id`,
        [person.id, JSON.stringify(requested), dto.note ?? null, actor.userId],
      );
      if (previous) {
        await em.query(`UPDATE profile_change_requests SET superseded_by_id = $2 WHERE id = $1`, [
          previous.id,
          created.id,
        ]);
        await this.audit.record(em, actor, {
          action: 'profile_change_request.supersede',
          entityType: 'profile_change_request',
          entityId: previous.id,
          orgUnitId: person.homeOrgUnitId,
          before: requestAuditSnapshot(previous),
          after: requestAuditSnapshot({
            ...previous,
            state: 'superseded',
            superseded_by_id: created.id,
          }),
        });
      }
      const row = await this.rowById(em, created.id);
      await this.audit.record(em, actor, {
        action: 'profile_change_request.create',
        entityType: 'profile_change_request',
        entityId: row.id,
        orgUnitId: person.homeOrgUnitId,
        before: null,
        after: requestAuditSnapshot(row),
      });
      return toRequestDto(actor, row);
    });
  }

  /** Withdraws a pending request of mine; anyone else's answers 404. */
  async withdraw(actor: Actor, id: string): Promise<ProfileChangeRequestDto> {
    return this.dataSource.transaction(async (em) => {
      const [row] = await em.query<RequestRow[]>(
        `${SELECT_REQUEST} WHERE r.id = $1 AND r.person_id = $2 FOR UPDATE OF r`,
        [id, actor.personId],
      );
      if (!row) throw new DomainError('PROFILE_CHANGE_REQUEST_NOT_FOUND');
      return this.close(em, actor, row, 'withdrawn', null, 'profile_change_request.withdraw');
    });
  }

  /** Requests of people whose home unit is in the HR's subtree, oldest first (the queue). */
  async list(
    actor: Actor,
    query: ListProfileChangeRequestsQueryDto,
  ): Promise<Page<ProfileChangeRequestDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['timestamp', 'uuid']);
    const scope = scopeConditionRaw('o.path', actor.scopePaths('hr:manage'), 2);
    const params: unknown[] = [query.state ?? 'pending', ...scope.params];
    const where = [`r.state = $1::profile_change_request_state`, scope.sql];
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      where.push(
        `(r.created_at, r.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
      );
    }
    params.push(limit + 1);
    const rows = await this.dataSource.query<RequestRow[]>(
      `${SELECT_REQUEST}
        WHERE ${where.join(' AND ')}
        ORDER BY r.created_at, r.id
        LIMIT $${params.length}`,
      params,
    );
    return toPage(
      rows,
      limit,
      (r) => [r.at_key, r.id],
      (r) => toRequestDto(actor, r),
    );
  }

  /** One request of a person in the HR's subtree (else 404): current and requested values. */
  async get(actor: Actor, id: string): Promise<ProfileChangeRequestDto> {
    return toRequestDto(actor, await this.findInScope(this.dataSource.manager, actor, id));
  }

  /**
   * Applies the requested change to the person (as PATCH /people/:id does: names re-derived,
   * birth date and CCCD checked again — a CCCD taken since answers 409) and approves the
   * request, in one transaction.
   */
  async approve(
    actor: Actor,
    id: string,
    dto: ApproveProfileChangeRequestDto,
  ): Promise<ProfileChangeRequestDto> {
    return this.dataSource.transaction(async (em) => {
      const row = await this.findInScope(em, actor, id, true);
      this.assertPending(row);
      this.assertNotOwn(actor, row);
      await this.people.updateIn(em, actor, row.person_id, row.requested as UpdatePersonDto);
      return this.close(
        em,
        actor,
        row,
        'approved',
        dto.note ?? null,
        'profile_change_request.approve',
      );
    });
  }

  /** Rejects the request with a reason the person reads; the record stays as it is. */
  async reject(
    actor: Actor,
    id: string,
    dto: RejectProfileChangeRequestDto,
  ): Promise<ProfileChangeRequestDto> {
    return this.dataSource.transaction(async (em) => {
      const row = await this.findInScope(em, actor, id, true);
      this.assertPending(row);
      this.assertNotOwn(actor, row);
      return this.close(em, actor, row, 'rejected', dto.reason, 'profile_change_request.reject');
    });
  }

  private async findInScope(
    em: EntityManager,
    actor: Actor,
    id: string,
    lock = false,
  ): Promise<RequestRow> {
    const scope = scopeConditionRaw('o.path', actor.scopePaths('hr:manage'), 2);
    const [row] = await em.query<RequestRow[]>(
      `${SELECT_REQUEST} WHERE r.id = $1 AND ${scope.sql} ${lock ? 'FOR UPDATE OF r' : ''}`,
      [id, ...scope.params],
    );
    if (!row) throw new DomainError('PROFILE_CHANGE_REQUEST_NOT_FOUND');
    return row;
  }

  private async rowById(em: EntityManager, id: string): Promise<RequestRow> {
    const [row] = await em.query<RequestRow[]>(`${SELECT_REQUEST} WHERE r.id = $1`, [id]);
    return row;
  }

  private assertPending(row: RequestRow): void {
    if (row.state !== 'pending') {
      throw new DomainError('PROFILE_CHANGE_REQUEST_NOT_PENDING', {
        state: STATE_WORDS[row.state],
      });
    }
  }

  /** Nobody decides their own request: another HR officer (or an administrator) does. */
  private assertNotOwn(actor: Actor, row: RequestRow): void {
    if (row.person_id === actor.personId) throw new DomainError('FORBIDDEN');
  }

  /** Moves a pending request to its final state, with who, when and why, audited. */
  private async close(
    em: EntityManager,
    actor: Actor,
    row: RequestRow,
    state: ProfileChangeRequestState,
    note: string | null,
    action: string,
  ): Promise<ProfileChangeRequestDto> {
    this.assertPending(row);
    await em.query(
      `UPDATE profile_change_requests
          SET state = $2::profile_change_request_state, decided_at = now(),
              decided_by_user_id = $3, decided_by_person_id = $4, decision_note = $5,
              updated_at = now()
        WHERE id = $1`,
      [row.id, state, actor.userId, actor.personId, note],
    );
    const after = await this.rowById(em, row.id);
    await this.audit.record(em, actor, {
      action,
      entityType: 'profile_change_request',
      entityId: row.id,
      orgUnitId: after.home_org_unit_id,
      before: requestAuditSnapshot(row),
      after: requestAuditSnapshot(after),
    });
    return toRequestDto(actor, after);
  }
}
