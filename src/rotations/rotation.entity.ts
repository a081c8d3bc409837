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
  UpdateDateColumn,
} from 'typeorm';
import { EVALUATION_LEVELS, EvaluationLevel } from '../evaluations/evaluation-policy';
import { OrgUnitEntity } from '../org-units/org-unit.entity';
import { PersonEntity } from '../people/person.entity';
import { AppointmentEntity, PostEntity } from '../posts/post.entities';
import { ROTATION_STATUSES, RotationStatus } from './rotation.types';
import { numericColumn } from '../common/sql/numeric-column';

/**
 * A rotation plan and its outcome. Never deleted: cancelling keeps the row with its reason.
 * The appointments it ended and started are linked, so its effect on who holds which post can
 * be read back. No two non-cancelled rotations of one person overlap: the check runs with the
 * person's row locked; the partial unique index adds "at most one active" in the database.
 */
@Entity('rotations')
@Index('ix_rotations_person', ['personId', 'startDate', 'id'])
@Index('ix_rotations_to_unit', ['toOrgUnitId', 'startDate', 'id'])
@Index('ux_rotations_active_person', ['personId'], { unique: true, where: `status = 'active'` })
@Check('ck_rotations_dates', 'planned_end_date > start_date')
@Check('ck_rotations_actual_end', 'actual_end_date IS NULL OR actual_end_date >= start_date')
@Check('ck_rotations_end_score', 'end_score IS NULL OR (end_score >= 0 AND end_score <= 100)')
@Check(
  'ck_rotations_completed',
  `status <> 'completed' OR (actual_end_date IS NOT NULL AND end_evaluation IS NOT NULL)`,
)
export class RotationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<PersonEntity>;

  /** The post left for the rotation; null when the person held none. */
  @Column({ name: 'from_post_id', type: 'uuid', nullable: true })
  fromPostId: string | null;

  @ManyToOne(() => PostEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'from_post_id' })
  fromPost?: Relation<PostEntity>;

  /** The from-post's unit, or the person's home unit when there is no from-post. */
  @Column({ name: 'from_org_unit_id', type: 'uuid' })
  fromOrgUnitId: string;

  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'from_org_unit_id' })
  fromOrgUnit?: Relation<OrgUnitEntity>;

  /** An existing post: a rotation never creates one. */
  @Column({ name: 'to_post_id', type: 'uuid' })
  toPostId: string;

  @ManyToOne(() => PostEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'to_post_id' })
  toPost?: Relation<PostEntity>;

  @Column({ name: 'to_org_unit_id', type: 'uuid' })
  toOrgUnitId: string;

  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'to_org_unit_id' })
  toOrgUnit?: Relation<OrgUnitEntity>;

  @Column({ name: 'start_date', type: 'date' })
  startDate: string;

  @Column({ name: 'planned_end_date', type: 'date' })
  plannedEndDate: string;

  /** Last day of the rotation (inclusive), recorded on completion or on cancelling it active. */
  @Column({ name: 'actual_end_date', type: 'date', nullable: true })
  actualEndDate: string | null;

  @Column({ type: 'varchar', length: 1000 })
  purpose: string;

  @Column({
    type: 'enum',
    enum: ROTATION_STATUSES,
    enumName: 'rotation_status',
    default: 'planned',
  })
  status: RotationStatus;

  /** The appointment in the from-post that the start ended. */
  @Column({ name: 'from_appointment_id', type: 'uuid', nullable: true })
  fromAppointmentId: string | null;

  @ManyToOne(() => AppointmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'from_appointment_id' })
  fromAppointment?: Relation<AppointmentEntity>;

  /** The appointment in the to-post that the start opened. */
  @Column({ name: 'to_appointment_id', type: 'uuid', nullable: true })
  toAppointmentId: string | null;

  @ManyToOne(() => AppointmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'to_appointment_id' })
  toAppointment?: Relation<AppointmentEntity>;

  /** The appointment back in the from-post, when the end returned the person home. */
  @Column({ name: 'return_appointment_id', type: 'uuid', nullable: true })
  returnAppointmentId: string | null;

  @ManyToOne(() => AppointmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'return_appointment_id' })
  returnAppointment?: Relation<AppointmentEntity>;

  @Column({ name: 'end_evaluation', type: 'text', nullable: true })
  endEvaluation: string | null;

  @Column({
    name: 'end_score',
    type: 'numeric',
    precision: 5,
    scale: 2,
    nullable: true,
    transformer: numericColumn,
  })
  endScore: number | null;

  @Column({
    name: 'end_level',
    type: 'enum',
    enum: EVALUATION_LEVELS,
    enumName: 'evaluation_level',
    nullable: true,
  })
  endLevel: EvaluationLevel | null;

  /**
   * Why the rotation was completed before its minimum length (policy minMonths); required then,
   * so every early end is on record with its reason.
   */
  @Column({ name: 'early_end_reason', type: 'varchar', length: 1000, nullable: true })
  earlyEndReason: string | null;

  @Column({ name: 'cancel_reason', type: 'varchar', length: 500, nullable: true })
  cancelReason: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
