import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Relation,
  UpdateDateColumn,
} from 'typeorm';
import { OrgUnitEntity } from '../org-units/org-unit.entity';
import { PersonEntity } from '../people/person.entity';
import { CERTIFICATE_STATUSES, CertificateSnapshot, CertificateStatus } from './certificate.types';

/**
 * The issuance ledger: one row per certificate, never deleted; its status changes instead, and
 * each change is written to the audit log in the same transaction.
 * One certificate per enrolment that is not `replaced` (a partial unique index), so concurrent
 * completions of one enrolment yield one certificate while a reissue can supersede it.
 * Enrolments and courses belong to the courses module: referenced by id, without foreign keys.
 */
@Entity('certificates')
@Index('ix_certificates_person', ['personId', 'issuedAt'])
// What the daily scan reads: valid certificates that carry an expiry, by date. A certificate
// leaves the index when it expires (or changes status for any other reason).
@Index('ix_certificates_expiring', ['expiresOn'], {
  where: `status = 'valid' AND expires_on IS NOT NULL`,
})
@Index('ux_certificates_enrolment_current', ['enrolmentId'], {
  unique: true,
  where: `status <> 'replaced'`,
})
export class CertificateEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 20, unique: true })
  serial: string;

  /** Random verification code of the public /verify link; unrelated to the serial. */
  @Column({ type: 'varchar', length: 40, unique: true })
  code: string;

  @Column({ name: 'enrolment_id', type: 'uuid' })
  enrolmentId: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<PersonEntity>;

  @Column({ name: 'course_id', type: 'uuid' })
  courseId: string;

  @Column({ name: 'issuer_org_unit_id', type: 'uuid' })
  issuerOrgUnitId: string;

  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'issuer_org_unit_id' })
  issuerOrgUnit?: Relation<OrgUnitEntity>;

  @Column({
    type: 'enum',
    enum: CERTIFICATE_STATUSES,
    enumName: 'certificate_status',
    default: 'valid',
  })
  status: CertificateStatus;

  /** When the status last changed (null: as issued); the full history is in the audit log. */
  @Column({ name: 'status_changed_at', type: 'timestamptz', nullable: true })
  statusChangedAt: Date | null;

  /** Set when the status is `replaced`: the reissued certificate that supersedes this one. */
  @Column({ name: 'replaced_by_id', type: 'uuid', nullable: true, unique: true })
  replacedById: string | null;

  @ManyToOne(() => CertificateEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'replaced_by_id' })
  replacedBy?: Relation<CertificateEntity>;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt: Date;

  /**
   * The last day (Vietnam calendar) the certificate is valid, set at issue when the course was
   * taken under a programme with a recertification policy; null: valid without end. The day
   * after it the daily scan moves a valid certificate to `expired`.
   */
  @Column({ name: 'expires_on', type: 'date', nullable: true })
  expiresOn: string | null;

  @Column({ type: 'jsonb' })
  snapshot: CertificateSnapshot;

  /** Set on first download: the key of the cached bytes in certificate_pdfs. */
  @Column({ name: 'pdf_sha256', type: 'char', length: 64, nullable: true })
  pdfSha256: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** Rendered PDFs by content hash: written once on first download, then served as they are. */
@Entity('certificate_pdfs')
export class CertificatePdfEntity {
  @PrimaryColumn({ type: 'char', length: 64 })
  sha256: string;

  @Column({ type: 'bytea' })
  content: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** Last serial number drawn per year; its row is the lock that keeps serials gap-free. */
@Entity('certificate_serial_counters')
export class CertificateSerialCounterEntity {
  @PrimaryColumn({ type: 'int' })
  year: number;

  @Column({ name: 'last_value', type: 'int', default: 0 })
  lastValue: number;
}
