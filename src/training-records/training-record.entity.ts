import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Relation,
} from 'typeorm';
import { COMPLETION_METHODS, CompletionMethod } from '../courses/course.types';
import { PersonEntity } from '../people/person.entity';
import { numericColumn } from '../common/sql/numeric-column';

/**
 * One line of a person's transcript: an internal completion, with the course's code and title
 * as they were at completion, so later course edits leave the transcript as it was.
 */
@Entity('training_records')
@Index('ix_training_records_person', ['personId', 'completedAt'])
export class TrainingRecordEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<PersonEntity>;

  @Column({ name: 'enrolment_id', type: 'uuid', unique: true })
  enrolmentId: string;

  @Column({ name: 'course_id', type: 'uuid' })
  courseId: string;

  @Column({ name: 'course_code', type: 'varchar', length: 40 })
  courseCode: string;

  @Column({ name: 'course_title', type: 'varchar', length: 300 })
  courseTitle: string;

  @Column({ type: 'numeric', precision: 7, scale: 2, transformer: numericColumn })
  hours: number;

  /** Null when the course had no final assessment (completion on lessons alone). */
  @Column({ type: 'numeric', precision: 4, scale: 2, nullable: true, transformer: numericColumn })
  score: number | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  grade: string | null;

  @Column({ name: 'completed_at', type: 'timestamptz' })
  completedAt: Date;

  /** 'manual': an officer recognised learning done before (see `note` for the reason). */
  @Column({
    type: 'enum',
    enum: COMPLETION_METHODS,
    enumName: 'completion_method',
    default: 'rules',
  })
  recognition: CompletionMethod;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'certificate_id', type: 'uuid', nullable: true })
  certificateId: string | null;

  @Column({ name: 'certificate_serial', type: 'varchar', length: 20, nullable: true })
  certificateSerial: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

export const EXTERNAL_TRAINING_STATUSES = ['verified', 'withdrawn'] as const;
export type ExternalTrainingStatus = (typeof EXTERNAL_TRAINING_STATUSES)[number];

/**
 * Training a person did outside the system (a course of the provincial union school, a Party
 * school class), recorded and verified by a training officer. Never deleted: a record entered
 * by mistake is withdrawn, with the reason, and leaves the transcript.
 */
@Entity('external_trainings')
@Index('ix_external_trainings_person', ['personId', 'endOn'])
@Check('ck_external_trainings_dates', 'end_on >= start_on')
@Check('ck_external_trainings_hours', 'hours > 0')
@Check('ck_external_trainings_withdrawn', "(status = 'withdrawn') = (withdrawn_at IS NOT NULL)")
export class ExternalTrainingEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<PersonEntity>;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'varchar', length: 300 })
  provider: string;

  @Column({ name: 'start_on', type: 'date' })
  startOn: string;

  @Column({ name: 'end_on', type: 'date' })
  endOn: string;

  @Column({ type: 'numeric', precision: 6, scale: 1, transformer: numericColumn })
  hours: number;

  @Column({ name: 'evidence_note', type: 'text', nullable: true })
  evidenceNote: string | null;

  @Column({
    type: 'enum',
    enum: EXTERNAL_TRAINING_STATUSES,
    enumName: 'external_training_status',
    default: 'verified',
  })
  status: ExternalTrainingStatus;

  /** The account that entered it. */
  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedBy: string | null;

  @Column({ name: 'verified_by_person_id', type: 'uuid', nullable: true })
  verifiedByPersonId: string | null;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'verified_by_person_id' })
  verifiedBy?: Relation<PersonEntity>;

  @Column({ name: 'verified_at', type: 'timestamptz', default: () => 'now()' })
  verifiedAt: Date;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt: Date | null;

  @Column({ name: 'withdrawn_reason', type: 'text', nullable: true })
  withdrawnReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
