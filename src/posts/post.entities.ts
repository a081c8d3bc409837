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
import { OrgUnitEntity } from '../org-units/org-unit.entity';
import { PersonEntity } from '../people/person.entity';
import { POST_TYPES, PostType } from './post-types';
import {
  APPOINTMENT_METHODS,
  APPOINTMENT_STATUSES,
  AppointmentMethod,
  AppointmentStatus,
  EMPLOYMENT_KINDS,
  EmploymentKind,
  POST_STATUSES,
  PostStatus,
} from './post.types';

/**
 * A post (chức danh) at one union unit: "Chủ tịch" of CĐCS May Hà Đông. Its unit and type never
 * change, so the appointments made to it keep their meaning; title, employment and flags may.
 * The post_type enum is declared in rank order, so ORDER BY post_type lists the chair first.
 */
@Entity('posts')
@Index('ix_posts_unit', ['orgUnitId', 'postType', 'id'])
@Index('ux_posts_unit_title', ['orgUnitId', 'postType', 'title'], {
  unique: true,
  where: `status = 'active'`,
})
export class PostEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'org_unit_id', type: 'uuid' })
  orgUnitId: string;

  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'org_unit_id' })
  orgUnit?: Relation<OrgUnitEntity>;

  @Column({ name: 'post_type', type: 'enum', enum: POST_TYPES, enumName: 'post_type' })
  postType: PostType;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'enum', enum: EMPLOYMENT_KINDS, enumName: 'post_employment' })
  employment: EmploymentKind;

  /** Only one person may hold it at a time (the overlap check locks this row). */
  @Column({ name: 'single_holder', type: 'boolean' })
  singleHolder: boolean;

  /** A key post of the leadership pipeline (cadre planning works on these). */
  @Column({ name: 'key_post', type: 'boolean' })
  keyPost: boolean;

  @Column({ type: 'enum', enum: POST_STATUSES, enumName: 'post_status', default: 'active' })
  status: PostStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * A term (nhiệm kỳ) of one unit, both dates inclusive. Terms of a unit never overlap: the
 * check runs with the unit's row locked.
 */
@Entity('terms')
@Index('ix_terms_unit', ['orgUnitId', 'startDate', 'id'])
@Check('ck_terms_dates', 'end_date > start_date')
export class TermEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'org_unit_id', type: 'uuid' })
  orgUnitId: string;

  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'org_unit_id' })
  orgUnit?: Relation<OrgUnitEntity>;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ name: 'start_date', type: 'date' })
  startDate: string;

  @Column({ name: 'end_date', type: 'date' })
  endDate: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/**
 * A person holding a post from start_date to end_date, both inclusive (end null = open). Never
 * deleted: ending records the end date and reason, a mistaken entry is cancelled.
 */
@Entity('appointments')
@Index('ix_appointments_person', ['personId', 'startDate', 'id'])
@Index('ix_appointments_post', ['postId', 'startDate', 'id'])
@Index('ix_appointments_term', ['termId'])
@Check('ck_appointments_dates', 'end_date IS NULL OR end_date >= start_date')
@Check(
  'ck_appointments_status_end',
  `(status <> 'active' OR end_date IS NULL) AND (status <> 'ended' OR end_date IS NOT NULL)`,
)
export class AppointmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<PersonEntity>;

  @Column({ name: 'post_id', type: 'uuid' })
  postId: string;

  @ManyToOne(() => PostEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'post_id' })
  post?: Relation<PostEntity>;

  @Column({ name: 'term_id', type: 'uuid', nullable: true })
  termId: string | null;

  @ManyToOne(() => TermEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'term_id' })
  term?: Relation<TermEntity>;

  @Column({ type: 'enum', enum: APPOINTMENT_METHODS, enumName: 'appointment_method' })
  method: AppointmentMethod;

  @Column({ name: 'start_date', type: 'date' })
  startDate: string;

  @Column({ name: 'end_date', type: 'date', nullable: true })
  endDate: string | null;

  @Column({
    type: 'enum',
    enum: APPOINTMENT_STATUSES,
    enumName: 'appointment_status',
    default: 'active',
  })
  status: AppointmentStatus;

  @Column({ name: 'end_reason', type: 'varchar', length: 500, nullable: true })
  endReason: string | null;

  /** The account that recorded it; null for the seed and for system callers. */
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ name: 'ended_by', type: 'uuid', nullable: true })
  endedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
