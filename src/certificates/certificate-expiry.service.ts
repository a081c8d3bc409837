import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';

/** What a validity policy is asked about: a completion that is being certified. */
export interface ValiditySubject {
  enrolmentId: string;
  personId: string;
  courseId: string;
  completedAt: Date;
}

/**
 * A rule that may limit how long the certificate of a completion stays valid: it answers the
 * last valid day (ISO date, Vietnam calendar) or null when it has nothing to say. It runs in
 * the issuing transaction and must read only through `em`.
 */
export type ValidityPolicy = (
  em: EntityManager,
  subject: ValiditySubject,
) => Promise<string | null>;

/**
 * How long certificates stay valid, and their expiry.
 *
 * The certificates module knows no programme: modules that set validity (recertification
 * policies of programmes) register a policy when they start. At issue, in the completion's
 * transaction, every policy is asked and the earliest day wins — the certificate must not be
 * shown valid on a day any policy that governs the holder says it has lapsed. The day is then
 * fixed on the certificate (`expires_on`, and on the page); a later change of a policy applies
 * to later certificates only, as printed paper cannot change.
 *
 * The daily scan moves every valid certificate whose last valid day is past to `expired`, with
 * one audit entry each, in one statement; readers that meet a lapsed certificate before the scan
 * already answer `expired` (certificate-status.ts).
 */
@Injectable()
export class CertificateExpiryService {
  private readonly policies: ValidityPolicy[] = [];

  constructor(private readonly audit: AuditService) {}

  addPolicy(policy: ValidityPolicy): void {
    this.policies.push(policy);
  }

  /** The earliest last valid day any policy gives the completion, or null (valid without end). */
  async lastValidDay(em: EntityManager, subject: ValiditySubject): Promise<string | null> {
    let earliest: string | null = null;
    for (const policy of this.policies) {
      const day = await policy(em, subject);
      if (day !== null && (earliest === null || day < earliest)) earliest = day;
    }
    return earliest;
  }

  /**
   * Expires, in the caller's transaction, every valid certificate whose last valid day is
   * before `today` (ISO, Vietnam calendar) — or only `certificateId` — recording each change as
   * the system's (no actor). The status changed when the validity ended (the first moment of
   * the next day in Vietnam), not when the scan ran. Idempotent. Answers how many expired.
   */
  expireLapsed(em: EntityManager, today: string, certificateId?: string): Promise<number> {
    const params: unknown[] = [today];
    let only = '';
    if (certificateId) {
      params.push(certificateId);
      only = 'AND c.id = $2::uuid';
    }
    return this.audit.recordSet(em, null, {
      action: 'certificate.expire',
      entityType: 'certificate',
      rows: `UPDATE certificates c
                SET status = 'expired',
                    status_changed_at = (c.expires_on + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh',
                    updated_at = now()
               FROM people p
              WHERE p.id = c.person_id AND c.status = 'valid' AND c.expires_on < $1::date ${only}
          RETURNING c.id AS entity_id, p.home_org_unit_id AS org_unit_id,
                    jsonb_build_object('status', 'valid', 'serial', c.serial,
                                       'expiresOn', c.expires_on) AS before,
                    jsonb_build_object('status', 'expired', 'serial', c.serial,
                                       'expiresOn', c.expires_on) AS after`,
      params,
    });
  }
}
