import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, scopeCondition } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { Language } from '../common/http/language';
import { nfc } from '../common/text/vietnamese';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { NotificationCertificate } from '../notifications/notification.types';
import { NotificationsService } from '../notifications/notifications.service';
import { CertificateExpiryService } from './certificate-expiry.service';
import {
  formatSerial,
  newVerificationCode,
  serialYear,
  VERIFICATION_CODE_PATTERN,
} from './certificate-format';
import { renderCertificatePdf } from './certificate-pdf';
import { effectiveStatus, lapsedOnVi, statusInWords } from './certificate-status';
import { CertificateEntity } from './certificate.entity';
import { CertificateSnapshot, CertificateStatus } from './certificate.types';
import {
  CertificateSummaryDto,
  CertificateVerificationDto,
  MyCertificatesDto,
} from './dto/certificate.dto';
import { formatDateVi, isoDateVi, isoToVi } from '../common/dates/vietnam-dates';
import { Clock } from '../common/clock/clock';

export interface IssueCertificateInput {
  enrolmentId: string;
  personId: string;
  courseId: string;
  holderName: string;
  courseCode: string;
  courseTitle: string;
  hours: number;
  /** Hours attended of the booked classroom session; null (not printed) without one. */
  attendedHours?: number | null;
  /** Null for a course completed without a final assessment. */
  score: number | null;
  grade: string | null;
  issuerOrgUnitId: string;
  issuerName: string;
  completedAt: Date;
}

export interface IssuedCertificate {
  id: string;
  serial: string;
  code: string;
}

export interface CertificatePdf {
  serial: string;
  sha256: string;
  content: Buffer;
}

/** What the holder's message says of a certificate: its frozen texts and the verify link. */
export function certificateMessage(
  id: string,
  snapshot: CertificateSnapshot,
  facts: { issuedAt: Date; expiresOn: string | null; reason?: string | null },
): NotificationCertificate {
  return {
    certificateId: id,
    serial: snapshot.serial,
    courseCode: snapshot.courseCode,
    courseTitle: snapshot.courseTitle,
    issuerName: snapshot.issuerName,
    issuedOn: isoDateVi(facts.issuedAt),
    validUntil: facts.expiresOn,
    verifyUrl: snapshot.verifyUrl,
    replacesSerial: snapshot.replacesSerial ?? null,
    reason: facts.reason ?? null,
  };
}

@Injectable()
export class CertificatesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly expiry: CertificateExpiryService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  /**
   * Issues the certificate of a completed enrolment inside the caller's transaction (only `em`
   * is used). Idempotent: a second call for the same enrolment, concurrent or later, returns
   * the certificate already issued. The unique enrolment_id is what guarantees one certificate;
   * the per-year counter row, locked by its upsert until commit, keeps serials gap-free: a
   * caller that loses the race gives its number back before anyone else can draw.
   *
   * The validity policies fix the last valid day now (certificate-expiry.service.ts), so the
   * certificate, its page and its verification carry it from the start. A new certificate is
   * recorded in the audit log (the system's act: the completion rule issues it) and its holder
   * gets a message, both in this same transaction.
   */
  async issueForCompletion(
    em: EntityManager,
    input: IssueCertificateInput,
  ): Promise<IssuedCertificate> {
    const existing = await this.findByEnrolment(em, input.enrolmentId);
    if (existing) return existing;

    // Before the serial is drawn: the counter row stays locked from then until commit.
    const expiresOn = await this.expiry.lastValidDay(em, input);
    const { year, sequence, serial } = await this.drawSerial(em, input.completedAt);
    const code = newVerificationCode();
    const snapshot: CertificateSnapshot = {
      holderName: nfc(input.holderName),
      courseCode: nfc(input.courseCode),
      courseTitle: nfc(input.courseTitle),
      hours: Number(input.hours),
      ...(input.attendedHours == null ? {} : { attendedHours: Number(input.attendedHours) }),
      score: input.score === null ? null : Number(input.score),
      grade: input.grade === null ? null : nfc(input.grade),
      issuedOn: formatDateVi(input.completedAt),
      issuerName: nfc(input.issuerName),
      serial,
      verifyUrl: this.verifyUrl(code),
      ...(expiresOn ? { validUntil: isoToVi(expiresOn) } : {}),
    };
    const inserted: IssuedCertificate[] = await em.query(
      `INSERT INTO certificates (serial, code, enrolment_id, person_id, course_id,
                                 issuer_org_unit_id, status, issued_at, snapshot, expires_on)
       VALUES ($1, $2, $3, $4, $5, $6, 'valid', $7, $8::jsonb, $9::date)
       ON CONFLICT (enrolment_id) WHERE status <> 'replaced' DO NOTHING
       RETURNING id, serial, code`,
      [
        serial,
        code,
        input.enrolmentId,
        input.personId,
        input.courseId,
        input.issuerOrgUnitId,
        input.completedAt,
        JSON.stringify(snapshot),
        expiresOn,
      ],
    );
    if (inserted[0]) {
      await this.recordIssue(em, inserted[0].id, null, {
        status: 'valid',
        serial,
        enrolmentId: input.enrolmentId,
        expiresOn,
        reason: null,
        related: null,
      });
      await this.notifications.enqueueCertificate(em, 'certificate_issued', input.personId, {
        ...certificateMessage(inserted[0].id, snapshot, {
          issuedAt: input.completedAt,
          expiresOn,
        }),
        topic: `certificate:${inserted[0].id}:issue`,
      });
      return inserted[0];
    }

    // Another transaction issued it first (and committed while we waited for the counter lock).
    await em.query(
      `INSERT INTO certificate_serial_counters AS c (year, last_value) VALUES ($1, 0)
       ON CONFLICT (year) DO UPDATE SET last_value = c.last_value - 1
       WHERE c.last_value = $2`,
      [year, sequence],
    );
    const winner = await this.findByEnrolment(em, input.enrolmentId);
    if (!winner) throw new DomainError('CONCURRENT_UPDATE');
    return winner;
  }

  /**
   * Draws the next serial of the year of `at` in the caller's transaction. The counter row
   * stays locked by this upsert until commit, so serials are gap-free and in order.
   */
  async drawSerial(
    em: EntityManager,
    at: Date,
  ): Promise<{ year: number; sequence: number; serial: string }> {
    const year = serialYear(at);
    const counter: { last_value: number }[] = await em.query(
      `INSERT INTO certificate_serial_counters AS c (year, last_value) VALUES ($1, 1)
       ON CONFLICT (year) DO UPDATE SET last_value = c.last_value + 1
       RETURNING last_value`,
      [year],
    );
    const sequence = Number(counter[0].last_value);
    return { year, sequence, serial: formatSerial(year, sequence) };
  }

  verifyUrl(code: string): string {
    return `${this.config.publicBaseUrl}/verify/${code}`;
  }

  /**
   * The audit entry of a new certificate (`certificate.issue`), in the caller's transaction;
   * the unit it belongs to is the holder's home unit, as for every other entry of a certificate.
   * `actor` null: issued by the system (the completion rule), whoever's request completed it.
   */
  async recordIssue(
    em: EntityManager,
    certificateId: string,
    actor: Actor | null,
    after: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.recordSet(em, actor, {
      action: 'certificate.issue',
      entityType: 'certificate',
      rows: `SELECT c.id AS entity_id, p.home_org_unit_id AS org_unit_id,
                    NULL::jsonb AS before, $2::jsonb AS after
               FROM certificates c JOIN people p ON p.id = c.person_id
              WHERE c.id = $1`,
      params: [certificateId, JSON.stringify(after)],
    });
  }

  private async findByEnrolment(
    em: EntityManager,
    enrolmentId: string,
  ): Promise<IssuedCertificate | undefined> {
    const rows: IssuedCertificate[] = await em.query(
      `SELECT id, serial, code FROM certificates WHERE enrolment_id = $1 AND status <> 'replaced'`,
      [enrolmentId],
    );
    return rows[0];
  }

  /** The caller's own certificates, newest first, each with its status as of today. */
  async listMine(actor: Actor): Promise<MyCertificatesDto> {
    const rows = await this.dataSource
      .createQueryBuilder(CertificateEntity, 'c')
      .where('c.person_id = :personId', { personId: actor.personId })
      .orderBy('c.issued_at', 'DESC')
      .addOrderBy('c.serial', 'DESC')
      .getMany();
    const today = this.clock.todayVn();
    return { items: rows.map((c) => toSummary(c, today)) };
  }

  /**
   * The PDF of a certificate, for its holder and for staff whose training scope covers the
   * holder's home unit; anyone else is told it does not exist. Rendered on first download,
   * then served from the cache by content hash, so every download gives the same bytes.
   */
  async pdf(actor: Actor, id: string): Promise<CertificatePdf> {
    const scope = scopeCondition('o.path', actor.scopePaths('training:read'));
    const cert = await this.dataSource
      .createQueryBuilder(CertificateEntity, 'c')
      .innerJoin('people', 'p', 'p.id = c.person_id')
      .innerJoin('org_units', 'o', 'o.id = p.home_org_unit_id')
      .where('c.id = :id', { id })
      .andWhere(`(c.person_id = :me OR ${scope.sql})`, { me: actor.personId, ...scope.params })
      .getOne();
    if (!cert) throw new DomainError('CERTIFICATE_NOT_FOUND');

    if (cert.pdfSha256) {
      const cached: { content: Buffer }[] = await this.dataSource.query(
        'SELECT content FROM certificate_pdfs WHERE sha256 = $1',
        [cert.pdfSha256],
      );
      if (cached[0]) {
        return { serial: cert.serial, sha256: cert.pdfSha256, content: cached[0].content };
      }
    }

    const content = await renderCertificatePdf(cert.snapshot, cert.issuedAt);
    const sha256 = createHash('sha256').update(content).digest('hex');
    await this.dataSource.transaction(async (em) => {
      await em.query(
        `INSERT INTO certificate_pdfs (sha256, content) VALUES ($1, $2)
         ON CONFLICT (sha256) DO NOTHING`,
        [sha256, content],
      );
      await em.query(
        `WITH u AS (UPDATE certificates SET pdf_sha256 = $2, updated_at = now()
                     WHERE id = $1 AND pdf_sha256 IS DISTINCT FROM $2 RETURNING 1)
         SELECT count(*) FROM u`,
        [cert.id, sha256],
      );
    });
    return { serial: cert.serial, sha256, content };
  }

  /**
   * Public verification by code (throttled per client address by the controller's guard). Answers the certificate's
   * status as of today, in words with its date (Vietnamese unless `lang` is English), and its
   * frozen texts: the holder's name and nothing else personal — never a national ID. A replaced
   * certificate points at its successor by serial and date only — not by code nor by the new
   * texts, which may carry a changed name that the holder of the old paper need not learn.
   * Reasons for a suspension or revocation are never public.
   */
  async verify(code: string, lang: Language = 'vi'): Promise<CertificateVerificationDto> {
    if (!VERIFICATION_CODE_PATTERN.test(code)) throw new DomainError('CERTIFICATE_NOT_FOUND');
    const rows: {
      status: CertificateStatus;
      snapshot: CertificateSnapshot;
      status_changed_at: Date | null;
      expires_on: string | null;
      next_serial: string | null;
      next_issued_at: Date | null;
    }[] = await this.dataSource.query(
      `SELECT c.status, c.snapshot, c.status_changed_at, c.expires_on::text AS expires_on,
              n.serial AS next_serial, n.issued_at AS next_issued_at
         FROM certificates c
         LEFT JOIN certificates n ON n.id = c.replaced_by_id
        WHERE c.code = $1`,
      [code],
    );
    const row = rows[0];
    if (!row) throw new DomainError('CERTIFICATE_NOT_FOUND');
    const s = row.snapshot;
    const status = effectiveStatus(row.status, row.expires_on, this.clock.todayVn());
    // Expired: the day validity ended, whether or not the daily scan has recorded it yet.
    const statusChangedOn =
      status === 'expired' && row.expires_on
        ? lapsedOnVi(row.expires_on)
        : row.status_changed_at
          ? formatDateVi(new Date(row.status_changed_at))
          : null;
    const replacedBy =
      row.next_serial && row.next_issued_at
        ? { serial: row.next_serial, issuedOn: formatDateVi(new Date(row.next_issued_at)) }
        : null;
    return {
      status,
      statusText: statusInWords(lang, {
        status,
        changedOn: statusChangedOn,
        expiresOn: row.expires_on,
        replacedBy,
      }),
      statusChangedOn,
      validUntil: row.expires_on ? isoToVi(row.expires_on) : null,
      replacedBy,
      holderName: s.holderName,
      courseTitle: s.courseTitle,
      issuedOn: s.issuedOn,
      grade: s.grade,
      issuer: s.issuerName,
      serial: s.serial,
    };
  }
}

function toSummary(c: CertificateEntity, today: string): CertificateSummaryDto {
  return {
    id: c.id,
    serial: c.serial,
    code: c.code,
    courseTitle: c.snapshot.courseTitle,
    issuedAt: c.issuedAt.toISOString(),
    status: effectiveStatus(c.status, c.expiresOn, today),
    expiresOn: c.expiresOn,
  };
}
