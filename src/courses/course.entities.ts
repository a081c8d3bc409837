import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Relation,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { OrgUnitEntity } from '../org-units/org-unit.entity';
import { PersonEntity } from '../people/person.entity';
import {
  COMPLETION_METHODS,
  CompletionMethod,
  COURSE_STATUSES,
  CourseStatus,
  DELIVERY_MODES,
  DeliveryMode,
  ENROLMENT_STATUSES,
  EnrolmentStatus,
  LESSON_KINDS,
  LessonKind,
} from './course.types';
import { numericColumn } from '../common/sql/numeric-column';

/**
 * One version of a course of the catalogue, owned by a union unit. The code people know (K01)
 * is the course: every version of it shares the code and has its own number (version_no) and
 * row. A published version never changes — a change of content is a new version, a draft copy
 * that supersedes the published one when it is published — so that what a learner enrolled in
 * never changes under them and every certificate names what was taught. Enrolments, lesson
 * completions, attempts and certificates point at the version they were made on.
 * At most one published and one draft version per code, enforced by partial unique indexes.
 */
@Entity('courses')
@Index('ix_courses_owner', ['ownerOrgUnitId', 'code'])
@Unique('uq_courses_code_version', ['code', 'versionNo'])
@Index('ux_courses_published_code', ['code'], { unique: true, where: `status = 'published'` })
@Index('ux_courses_draft_code', ['code'], { unique: true, where: `status = 'draft'` })
@Check('ck_courses_pass_score', 'pass_score >= 0 AND pass_score <= 10')
@Check('ck_courses_duration', 'duration_hours > 0')
@Check('ck_courses_version_no', 'version_no >= 1')
@Check(
  'ck_courses_attendance_min_percent',
  'attendance_min_percent >= 0 AND attendance_min_percent <= 100',
)
export class CourseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 40, collation: 'C' })
  code: string;

  @Column({ name: 'version_no', type: 'int', default: 1 })
  versionNo: number;

  /** The version this one was made from: the previous version, or the course it copies. */
  @Column({ name: 'based_on_id', type: 'uuid', nullable: true })
  basedOnId: string | null;

  @ManyToOne(() => CourseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'based_on_id' })
  basedOn?: Relation<CourseEntity>;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({
    name: 'delivery_mode',
    type: 'enum',
    enum: DELIVERY_MODES,
    enumName: 'course_delivery_mode',
  })
  deliveryMode: DeliveryMode;

  @Column({
    name: 'duration_hours',
    type: 'numeric',
    precision: 6,
    scale: 1,
    transformer: numericColumn,
  })
  durationHours: number;

  @Column({
    name: 'pass_score',
    type: 'numeric',
    precision: 4,
    scale: 2,
    default: 5,
    transformer: numericColumn,
  })
  passScore: number;

  /** With classroom sessions: the share of session time a learner must attend (issue 17). */
  @Column({ name: 'attendance_min_percent', type: 'smallint', default: 80 })
  attendanceMinPercent: number;

  @Column({ name: 'owner_org_unit_id', type: 'uuid' })
  ownerOrgUnitId: string;

  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'owner_org_unit_id' })
  ownerOrgUnit?: Relation<OrgUnitEntity>;

  @Column({ type: 'enum', enum: COURSE_STATUSES, enumName: 'course_status', default: 'draft' })
  status: CourseStatus;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  /** When a newer version of the same code was published over this one. */
  @Column({ name: 'superseded_at', type: 'timestamptz', nullable: true })
  supersededAt: Date | null;

  /** When the course was retired (status archived). */
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** A step of a course, in order. An 'assessment' lesson stands for the final assessment. */
@Entity('course_lessons')
@Unique('uq_course_lessons_position', ['courseId', 'position'])
@Check('ck_course_lessons_url', "kind NOT IN ('video', 'link') OR url IS NOT NULL")
@Check('ck_course_lessons_assessment', "(kind = 'assessment') = (assessment_id IS NOT NULL)")
export class LessonEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'course_id', type: 'uuid' })
  courseId: string;

  @ManyToOne(() => CourseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'course_id' })
  course?: Relation<CourseEntity>;

  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'enum', enum: LESSON_KINDS, enumName: 'lesson_kind' })
  kind: LessonKind;

  @Column({ type: 'text', nullable: true })
  content: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  url: string | null;

  @Column({ type: 'boolean', default: true })
  required: boolean;

  /** The final assessment this lesson stands for (assessments module); no FK across modules. */
  @Column({ name: 'assessment_id', type: 'uuid', nullable: true, unique: true })
  assessmentId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/**
 * A person enrolled in a course: at most one per (course, person, cycle), so enrolling twice
 * finds the existing row. `cycle` is the n-th take of the course by this person: 1 for every
 * ordinary enrolment; a recertification adds take n + 1 when take n is completed, because a
 * completed enrolment (with its certificate and record) is history and is never reset.
 * Assessment results arrive from the assessments module through EnrolmentsService.
 */
@Entity('enrolments')
@Unique('uq_enrolments_course_person_cycle', ['courseId', 'personId', 'cycle'])
@Index('ix_enrolments_person', ['personId', 'enrolledAt', 'id'])
export class EnrolmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'course_id', type: 'uuid' })
  courseId: string;

  @ManyToOne(() => CourseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'course_id' })
  course?: Relation<CourseEntity>;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<PersonEntity>;

  @Column({ type: 'int', default: 1 })
  cycle: number;

  @Column({
    type: 'enum',
    enum: ENROLMENT_STATUSES,
    enumName: 'enrolment_status',
    default: 'enrolled',
  })
  status: EnrolmentStatus;

  /** Best passing score of the final assessment; null until passed. */
  @Column({
    name: 'assessment_score',
    type: 'numeric',
    precision: 4,
    scale: 2,
    nullable: true,
    transformer: numericColumn,
  })
  assessmentScore: number | null;

  @Column({ name: 'assessment_passed_at', type: 'timestamptz', nullable: true })
  assessmentPassedAt: Date | null;

  @Column({
    type: 'numeric',
    precision: 4,
    scale: 2,
    nullable: true,
    transformer: numericColumn,
  })
  score: number | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  grade: string | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({
    name: 'completion_method',
    type: 'enum',
    enum: COMPLETION_METHODS,
    enumName: 'completion_method',
    nullable: true,
  })
  completionMethod: CompletionMethod | null;

  /** Why an officer completed it by hand (recognition of prior learning). */
  @Column({ name: 'completion_reason', type: 'text', nullable: true })
  completionReason: string | null;

  /** The account that completed it by hand. */
  @Column({ name: 'completed_by', type: 'uuid', nullable: true })
  completedBy: string | null;

  /** The certificate issued on completion (certificates module). */
  @Column({ name: 'certificate_id', type: 'uuid', nullable: true })
  certificateId: string | null;

  @Column({ name: 'enrolled_by', type: 'uuid', nullable: true })
  enrolledBy: string | null;

  /** When the course should be finished (development plans of nominees); null: no deadline. */
  @Column({ name: 'due_on', type: 'date', nullable: true })
  dueOn: string | null;

  @Column({ name: 'enrolled_at', type: 'timestamptz', default: () => 'now()' })
  enrolledAt: Date;
}

/** A lesson the learner finished. Marking again changes nothing. */
@Entity('lesson_completions')
export class LessonCompletionEntity {
  @PrimaryColumn({ name: 'enrolment_id', type: 'uuid' })
  enrolmentId: string;

  @ManyToOne(() => EnrolmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'enrolment_id' })
  enrolment?: Relation<EnrolmentEntity>;

  @PrimaryColumn({ name: 'lesson_id', type: 'uuid' })
  lessonId: string;

  @ManyToOne(() => LessonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'lesson_id' })
  lesson?: Relation<LessonEntity>;

  @Column({ name: 'completed_at', type: 'timestamptz', default: () => 'now()' })
  completedAt: Date;
}
