import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, scopeConditionRaw } from '../auth/actor';
import { Permission } from '../auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { nfc } from '../common/text/vietnamese';
import { AuditEntryDto } from '../audit/dto/audit.dto';
import { CertificateEvent } from '../notifications/notification.types';
import { NotificationsService } from '../notifications/notifications.service';
import { TrainingRecordsService } from '../training-records/training-records.service';
import { CertificateExpiryService } from './certificate-expiry.service';
import { newVerificationCode } from './certificate-format';
import {
  CERTIFICATE_ACTIONS,
  CertificateAction,
  CertificateTransition,
  nextStatus,
} from './certificate-lifecycle';
import { effectiveStatus, lapsed, lapsedOnVi } from './certificate-status';
import { CertificateSnapshot, CertificateStatus } from './certificate.types';
import { certificateMessage, CertificatesService } from './certificates.service';
import {
  CertificateDetailDto,
  CertificateEventDto,
  CertificateRefDto,
} from './dto/certificate-lifecycle.dto';
import { formatDateVi } from '../common/dates/vietnam-dates';
import { Clock } from '../common/clock/clock';

/** The audit log's entity type for certificates. */
const ENTITY = 'certificate';

interface CertificateRow {
  id: string;
  serial: string;
  code: string;
  status: CertificateStatus;
  person_id: string;
  enrolment_id: string;
  course_id: string;
  issuer_org_unit_id: string;
  issued_at: Date;
  status_changed_at: Date | null;
  /** ISO date, the last valid day; null: no expiry. */
  expires_on: string | null;
  snapshot: CertificateSnapshot;
  home_org_unit_id: string;
  next_id: string | null;
  next_serial: string | null;
  prev_id: string | null;
  prev_serial: string | null;
}

/** What the audit log keeps of each change (its `before` and `after`). */
interface StatusState {
  status: CertificateStatus;
  serial?: string;
  expiresOn?: string | null;
  reason?: string | null;
  related?: CertificateRefDto | null;
}

/** The message each officer's change sends its holder; a reinstatement only if valid again. */
const MESSAGE_OF: Partial<Record<CertificateTransition, CertificateEvent>> = {
  suspend: 'certificate_suspended',
  reinstate: 'certificate_reinstated',
  revoke: 'certificate_revoked',
};

/**
 * Suspend, reinstate, revoke and reissue, by officers whose scope covers the holder's home unit
 * (outside it: 404). Each change locks the certificate row, checks the status machine
 * (certificate-lifecycle.ts), writes its audit entry (actor, time, before, after) and queues
 * the holder's message in the same transaction; rows are never deleted. A certificate found
 * past its last valid day is first recorded as expired (as the daily scan would), then the
 * machine decides. The PDF of any status stays downloadable and unchanged: status lives in
 * verification.
 */
@Injectable()
export class CertificateLifecycleService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly certificates: CertificatesService,
    private readonly audit: AuditService,
    private readonly trainingRecords: TrainingRecordsService,
    private readonly expiry: CertificateExpiryService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  suspend(actor: Actor, id: string, reason: string): Promise<CertificateDetailDto> {
    return this.changeStatus(actor, id, 'suspend', reason);
  }

  reinstate(actor: Actor, id: string, reason?: string): Promise<CertificateDetailDto> {
    return this.changeStatus(actor, id, 'reinstate', reason ?? null);
  }

  revoke(actor: Actor, id: string, reason: string): Promise<CertificateDetailDto> {
    return this.changeStatus(actor, id, 'revoke', reason);
  }

  /**
   * Supersedes a valid certificate by a new one: a new serial of the current year, a new
   * verification code and a fresh snapshot of today's names (holder, course, issuing unit);
   * hours, score, grade and the last valid day are those earned (a correction extends nothing).
   * The old row becomes `replaced` and points at the new one; the transcript line names the new
   * serial; the holder is told of the new certificate. Answers the new certificate.
   */
  async reissue(actor: Actor, id: string, reason: string): Promise<CertificateDetailDto> {
    const newId = await this.dataSource.transaction(async (em) => {
      const old = await this.lockForChange(em, actor, id);
      nextStatus(old.status, 'reissue', context(old));
      const [fresh] = await em.query<
        {
          holder_name: string;
          issuer_name: string;
          course_code: string | null;
          course_title: string | null;
        }[]
      >(
        // Today's names, read where they live. The course may be unknown to this database
        // (certificates imported without it): the frozen texts are kept then.
        `SELECT p.full_name AS holder_name, o.name AS issuer_name,
                co.code AS course_code, co.title AS course_title
           FROM people p
           JOIN org_units o ON o.id = $2
           LEFT JOIN courses co ON co.id = $3
          WHERE p.id = $1`,
        [old.person_id, old.issuer_org_unit_id, old.course_id],
      );
      const issuedAt = this.clock.now();
      await em.query(
        `UPDATE certificates SET status = 'replaced', status_changed_at = $2, updated_at = now()
          WHERE id = $1`,
        [old.id, issuedAt],
      );
      const { serial } = await this.certificates.drawSerial(em, issuedAt);
      const code = newVerificationCode();
      const snapshot: CertificateSnapshot = {
        holderName: nfc(fresh.holder_name),
        courseCode: nfc(fresh.course_code ?? old.snapshot.courseCode),
        courseTitle: nfc(fresh.course_title ?? old.snapshot.courseTitle),
        hours: old.snapshot.hours,
        ...(old.snapshot.attendedHours === undefined
          ? {}
          : { attendedHours: old.snapshot.attendedHours }),
        score: old.snapshot.score,
        grade: old.snapshot.grade,
        issuedOn: formatDateVi(issuedAt),
        issuerName: nfc(fresh.issuer_name),
        serial,
        verifyUrl: this.certificates.verifyUrl(code),
        replacesSerial: old.serial,
        ...(old.snapshot.validUntil ? { validUntil: old.snapshot.validUntil } : {}),
      };
      const [created] = await em.query<{ id: string }[]>(
        `INSERT INTO certificates (serial, code, enrolment_id, person_id, course_id,
                                   issuer_org_unit_id, status, issued_at, snapshot, expires_on)
         VALUES ($1, $2, $3, $4, $5, $6, 'valid', $7, $8::jsonb, $9::date)
         RETURNING id`,
        [
          serial,
          code,
          old.enrolment_id,
          old.person_id,
          old.course_id,
          old.issuer_org_unit_id,
          issuedAt,
          JSON.stringify(snapshot),
          old.expires_on,
        ],
      );
      await em.query('UPDATE certificates SET replaced_by_id = $2 WHERE id = $1', [
        old.id,
        created.id,
      ]);
      await this.trainingRecords.pointToReissuedCertificate(em, old, { id: created.id, serial });
      // The enrolment names its current certificate. Written here in SQL rather than through
      // the courses module, which depends on this one (completion issues certificates).
      await em.query(
        'UPDATE enrolments SET certificate_id = $3 WHERE id = $1 AND certificate_id = $2',
        [old.enrolment_id, old.id, created.id],
      );

      const cleanReason = nfc(reason);
      await this.record(em, actor, old, 'reissue', stateOf(old), {
        ...stateOf(old),
        status: 'replaced',
        reason: cleanReason,
        related: { id: created.id, serial },
      });
      await this.record(em, actor, { ...old, id: created.id }, 'issue', null, {
        status: 'valid',
        serial,
        expiresOn: old.expires_on,
        reason: cleanReason,
        related: { id: old.id, serial: old.serial },
      });
      await this.notifications.enqueueCertificate(em, 'certificate_issued', old.person_id, {
        ...certificateMessage(created.id, snapshot, { issuedAt, expiresOn: old.expires_on }),
        topic: `certificate:${created.id}:issue`,
      });
      return created.id;
    });
    return this.detail(actor, newId, 'certificates:manage');
  }

  /**
   * A certificate with its history, for staff whose scope covers the holder (training:read;
   * out of scope: 404). `permission` lets a change answer under the right it was made with.
   */
  async detail(
    actor: Actor,
    id: string,
    permission: Permission = 'training:read',
  ): Promise<CertificateDetailDto> {
    const row = await this.findInScope(this.dataSource.manager, actor, id, permission, false);
    const entries = await this.audit.historyOf(ENTITY, [row.id]);
    const status = effectiveStatus(row.status, row.expires_on, this.clock.todayVn());
    return {
      id: row.id,
      serial: row.serial,
      code: row.code,
      personId: row.person_id,
      holderName: row.snapshot.holderName,
      courseCode: row.snapshot.courseCode,
      courseTitle: row.snapshot.courseTitle,
      issuedAt: new Date(row.issued_at).toISOString(),
      status,
      statusChangedAt: row.status_changed_at ? new Date(row.status_changed_at).toISOString() : null,
      expiresOn: row.expires_on,
      replacedBy: ref(row.next_id, row.next_serial),
      replaces: ref(row.prev_id, row.prev_serial),
      history: entries.map(toEvent).filter((e): e is CertificateEventDto => e !== null),
    };
  }

  private async changeStatus(
    actor: Actor,
    id: string,
    action: Exclude<CertificateTransition, 'reissue'>,
    reason: string | null,
  ): Promise<CertificateDetailDto> {
    await this.dataSource.transaction(async (em) => {
      const row = await this.lockForChange(em, actor, id);
      let to = nextStatus(row.status, action, context(row));
      // Lifted after the last valid day: the suspension ends, the validity does not return.
      if (to === 'valid' && lapsed(row.expires_on, this.clock.todayVn())) to = 'expired';
      const [changed] = await em.query<{ at: Date }[]>(
        `WITH u AS (
           UPDATE certificates SET status = $2, status_changed_at = now(), updated_at = now()
            WHERE id = $1
           RETURNING status_changed_at)
         SELECT status_changed_at AS at FROM u`,
        [row.id, to],
      );
      const cleanReason = reason === null ? null : nfc(reason);
      await this.record(em, actor, row, action, stateOf(row), {
        ...stateOf(row),
        status: to,
        reason: cleanReason,
      });
      const event = MESSAGE_OF[action];
      if (event && !(action === 'reinstate' && to !== 'valid')) {
        await this.notifications.enqueueCertificate(em, event, row.person_id, {
          ...certificateMessage(row.id, row.snapshot, {
            issuedAt: new Date(row.issued_at),
            expiresOn: row.expires_on,
            reason: cleanReason,
          }),
          topic: `certificate:${row.id}:${action}:${new Date(changed.at).toISOString()}`,
        });
      }
    });
    return this.detail(actor, id, 'certificates:manage');
  }

  /**
   * The certificate, locked, if the actor manages its holder; never one's own certificate. One
   * found valid past its last valid day is recorded as expired first (the daily scan's change,
   * made now), so that the status machine decides on the status of today.
   */
  private async lockForChange(
    em: EntityManager,
    actor: Actor,
    id: string,
  ): Promise<CertificateRow> {
    const row = await this.findInScope(em, actor, id, 'certificates:manage', true);
    if (row.person_id === actor.personId) throw new DomainError('CERTIFICATE_OWN_CHANGE');
    const today = this.clock.todayVn();
    if (effectiveStatus(row.status, row.expires_on, today) !== row.status) {
      await this.expiry.expireLapsed(em, today, row.id);
      return { ...row, status: 'expired' };
    }
    return row;
  }

  private async findInScope(
    em: EntityManager,
    actor: Actor,
    id: string,
    permission: Permission,
    lock: boolean,
  ): Promise<CertificateRow> {
    const scope = scopeConditionRaw('o.path', actor.scopePaths(permission), 2);
    const rows = await em.query<CertificateRow[]>(
      `SELECT c.id, c.serial, c.code, c.status, c.person_id, c.enrolment_id, c.course_id,
              c.issuer_org_unit_id, c.issued_at, c.status_changed_at, c.snapshot,
              c.expires_on::text AS expires_on,
              p.home_org_unit_id,
              n.id AS next_id, n.serial AS next_serial,
              (SELECT v.id FROM certificates v WHERE v.replaced_by_id = c.id) AS prev_id,
              (SELECT v.serial FROM certificates v WHERE v.replaced_by_id = c.id) AS prev_serial
         FROM certificates c
         JOIN people p ON p.id = c.person_id
         JOIN org_units o ON o.id = p.home_org_unit_id
         LEFT JOIN certificates n ON n.id = c.replaced_by_id
        WHERE c.id = $1 AND ${scope.sql}
        ${lock ? 'FOR UPDATE OF c' : ''}`,
      [id, ...scope.params],
    );
    if (!rows[0]) throw new DomainError('CERTIFICATE_NOT_FOUND');
    return rows[0];
  }

  private record(
    em: EntityManager,
    actor: Actor,
    row: Pick<CertificateRow, 'id' | 'home_org_unit_id'>,
    action: CertificateAction,
    before: StatusState | null,
    after: StatusState,
  ): Promise<void> {
    return this.audit.record(em, actor, {
      action: `${ENTITY}.${action}`,
      entityType: ENTITY,
      entityId: row.id,
      // The holder's home unit: the same subtree test as every other read of the certificate.
      orgUnitId: row.home_org_unit_id,
      before,
      after,
    });
  }
}

/** The state of a certificate row the audit log keeps around a change. */
function stateOf(row: CertificateRow): StatusState {
  return { status: row.status, serial: row.serial, expiresOn: row.expires_on };
}

function context(row: CertificateRow): { successorSerial: string | null; lapsedOn: string | null } {
  return {
    successorSerial: row.next_serial,
    lapsedOn: row.expires_on ? lapsedOnVi(row.expires_on) : null,
  };
}

function ref(id: string | null, serial: string | null): CertificateRefDto | null {
  return id && serial ? { id, serial } : null;
}

function toEvent(entry: AuditEntryDto): CertificateEventDto | null {
  const action = entry.action.slice(ENTITY.length + 1) as CertificateAction;
  if (!CERTIFICATE_ACTIONS.includes(action)) return null;
  const before = entry.before as StatusState | null;
  const after = entry.after as StatusState;
  return {
    at: entry.at,
    action,
    fromStatus: before?.status ?? null,
    toStatus: after.status,
    reason: after.reason ?? null,
    actorPersonId: entry.actorPersonId,
    related: after.related ?? null,
  };
}
