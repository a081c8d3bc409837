import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, scopeCondition } from '../auth/actor';
import { RateLimiter } from '../auth/rate-limiter';
import { DomainError } from '../common/errors/domain-error';
import { nfc } from '../common/text/vietnamese';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import {
  formatDateVi,
  formatSerial,
  newVerificationCode,
  serialYear,
  VERIFICATION_CODE_PATTERN,
} from './certificate-format';
import { renderCertificatePdf } from './certificate-pdf';
import { CertificateEntity } from './certificate.entity';
import { CertificateSnapshot, CertificateStatus } from './certificate.types';
import {
  CertificateSummaryDto,
  CertificateVerificationDto,
  MyCertificatesDto,
} from './dto/certificate.dto';

export interface IssueCertificateInput {
  enrolmentId: string;
  personId: string;
  courseId: string;
  holderName: string;
  courseCode: string;
  courseTitle: string;
  hours: number;
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

@Injectable()
export class CertificatesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly limiter: RateLimiter,
  ) {}

  /**
   * Issues the certificate of a completed enrolment inside the caller's transaction (only `em`
   * is used). Idempotent: a second call for the same enrolment, concurrent or later, returns
   * the certificate already issued. The unique enrolment_id is what guarantees one certificate;
   * the per-year counter row, locked by its upsert until commit, keeps serials gap-free: a
   * caller that loses the race gives its number back before anyone else can draw.
   */
  async issueForCompletion(
    em: EntityManager,
    input: IssueCertificateInput,
  ): Promise<IssuedCertificate> {
    const existing = await this.findByEnrolment(em, input.enrolmentId);
    if (existing) return existing;

    const { year, sequence, serial } = await this.drawSerial(em, input.completedAt);
    const code = newVerificationCode();
    const snapshot: CertificateSnapshot = {
      holderName: nfc(input.holderName),
      courseCode: nfc(input.courseCode),
      courseTitle: nfc(input.courseTitle),
      hours: Number(input.hours),
      score: input.score === null ? null : Number(input.score),
      grade: input.grade === null ? null : nfc(input.grade),
      issuedOn: formatDateVi(input.completedAt),
      issuerName: nfc(input.issuerName),
      serial,
      verifyUrl: this.verifyUrl(code),
    };
    const inserted: IssuedCertificate[] = await em.query(
      `INSERT INTO certificates (serial, code, enrolment_id, person_id, course_id,
                                 issuer_org_unit_id, status, issued_at, snapshot)
       VALUES ($1, $2, $3, $4, $5, $6, 'valid', $7, $8::jsonb)
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
      ],
    );
    if (inserted[0]) return inserted[0];

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
    return `${this.config.publicBaseUrl}/api/v1/verify/${code}`;
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

  /** The caller's own certificates, newest first. */
  async listMine(actor: Actor): Promise<MyCertificatesDto> {
    const rows = await this.dataSource
      .createQueryBuilder(CertificateEntity, 'c')
      .where('c.person_id = :personId', { personId: actor.personId })
      .orderBy('c.issued_at', 'DESC')
      .addOrderBy('c.serial', 'DESC')
      .getMany();
    return { items: rows.map(toSummary) };
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
   * Public verification by code, throttled per client address. Answers the certificate's
   * status and its frozen texts: the holder's name and nothing else personal. A replaced
   * certificate points at its successor by serial and date only — not by code nor by the new
   * texts, which may carry a changed name that the holder of the old paper need not learn.
   * Reasons for a suspension or revocation are never public.
   */
  async verify(code: string, clientKey: string): Promise<CertificateVerificationDto> {
    const decision = this.limiter.hit(
      `verify-ip:${clientKey}`,
      this.config.publicLimitPerMinute,
      60_000,
    );
    if (!decision.allowed) {
      throw new DomainError('TOO_MANY_REQUESTS', { seconds: decision.retryAfterSeconds });
    }
    if (!VERIFICATION_CODE_PATTERN.test(code)) throw new DomainError('CERTIFICATE_NOT_FOUND');
    const rows: {
      status: CertificateStatus;
      snapshot: CertificateSnapshot;
      status_changed_at: Date | null;
      next_serial: string | null;
      next_issued_at: Date | null;
    }[] = await this.dataSource.query(
      `SELECT c.status, c.snapshot, c.status_changed_at,
              n.serial AS next_serial, n.issued_at AS next_issued_at
         FROM certificates c
         LEFT JOIN certificates n ON n.id = c.replaced_by_id
        WHERE c.code = $1`,
      [code],
    );
    const row = rows[0];
    if (!row) throw new DomainError('CERTIFICATE_NOT_FOUND');
    const s = row.snapshot;
    return {
      status: row.status,
      statusChangedOn: row.status_changed_at ? formatDateVi(new Date(row.status_changed_at)) : null,
      replacedBy:
        row.next_serial && row.next_issued_at
          ? { serial: row.next_serial, issuedOn: formatDateVi(new Date(row.next_issued_at)) }
          : null,
      holderName: s.holderName,
      courseTitle: s.courseTitle,
      issuedOn: s.issuedOn,
      grade: s.grade,
      issuer: s.issuerName,
      serial: s.serial,
    };
  }
}

function toSummary(c: CertificateEntity): CertificateSummaryDto {
  return {
    id: c.id,
    serial: c.serial,
    code: c.code,
    courseTitle: c.snapshot.courseTitle,
    issuedAt: c.issuedAt.toISOString(),
    status: c.status,
  };
}
