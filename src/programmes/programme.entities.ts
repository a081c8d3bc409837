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
import { CourseEntity } from '../courses/course.entities';
import { OrgUnitEntity } from '../org-units/org-unit.entity';
import { PersonEntity } from '../people/person.entity';
import {
  ASSIGNMENT_JOB_STATUSES,
  ASSIGNMENT_STATUS_LABELS,
  AssignmentJobStatus,
  AssignmentStatusLabel,
  AudienceRule,
  DUE_RULE_KINDS,
  DueRuleKind,
  PROGRAMME_STATUSES,
  ProgrammeStatus,
  SET_RULES,
  SetRule,
} from './programme.types';

const DUE_RULE_CHECK = `(due_rule_kind = 'days_after_assignment' AND due_days IS NOT NULL AND due_days > 0)
  OR (due_rule_kind = 'fixed_date' AND due_date IS NOT NULL)`;

/**
 * A programme: courses in ordered sets, a due date rule and a recertification policy. Like a
 * course, its sets are locked once published, so what an assignment enrolled people in keeps
 * its meaning; the recertification policy stays editable (it applies from the next cycle).
 */
@Entity('programmes')
@Index('ix_programmes_owner', ['ownerOrgUnitId', 'code'])
@Check('ck_programmes_due_rule', DUE_RULE_CHECK)
@Check(
  'ck_programmes_recert',
  `(recert_validity_months IS NULL OR recert_validity_months > 0)
   AND (recert_window_days IS NULL OR (recert_window_days >= 0 AND recert_validity_months IS NOT NULL))`,
)
export class ProgrammeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 40, unique: true, collation: 'C' })
  code: string;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'owner_org_unit_id', type: 'uuid' })
  ownerOrgUnitId: string;

  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'owner_org_unit_id' })
  ownerOrgUnit?: Relation<OrgUnitEntity>;

  @Column({
    name: 'due_rule_kind',
    type: 'enum',
    enum: DUE_RULE_KINDS,
    enumName: 'programme_due_rule',
  })
  dueRuleKind: DueRuleKind;

  @Column({ name: 'due_days', type: 'int', nullable: true })
  dueDays: number | null;

  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate: string | null;

  /** Months a completion stays valid; null = never expires. */
  @Column({ name: 'recert_validity_months', type: 'int', nullable: true })
  recertValidityMonths: number | null;

  /** The recertification window opens this many days before expiry. */
  @Column({ name: 'recert_window_days', type: 'int', nullable: true })
  recertWindowDays: number | null;

  /** The programme that recertifies this one (itself or another); null = this one. */
  @Column({ name: 'recert_programme_id', type: 'uuid', nullable: true })
  recertProgrammeId: string | null;

  @ManyToOne(() => ProgrammeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recert_programme_id' })
  recertProgramme?: Relation<ProgrammeEntity>;

  @Column({
    type: 'enum',
    enum: PROGRAMME_STATUSES,
    enumName: 'programme_status',
    default: 'draft',
  })
  status: ProgrammeStatus;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** A set of courses of a programme, in order, with the rule that makes it complete. */
@Entity('programme_course_sets')
@Unique('uq_programme_course_sets_position', ['programmeId', 'position'])
@Check(
  'ck_programme_course_sets_min',
  `(rule = 'at_least_n') = (min_count IS NOT NULL) AND (min_count IS NULL OR min_count >= 1)`,
)
export class ProgrammeCourseSetEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'programme_id', type: 'uuid' })
  programmeId: string;

  @ManyToOne(() => ProgrammeEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'programme_id' })
  programme?: Relation<ProgrammeEntity>;

  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'enum', enum: SET_RULES, enumName: 'programme_set_rule' })
  rule: SetRule;

  @Column({ name: 'min_count', type: 'int', nullable: true })
  minCount: number | null;
}

/** A course of a set, in order. A course appears at most once in a set. */
@Entity('programme_set_courses')
@Unique('uq_programme_set_courses_position', ['setId', 'position'])
@Index('ix_programme_set_courses_course', ['courseId'])
export class ProgrammeSetCourseEntity {
  @PrimaryColumn({ name: 'set_id', type: 'uuid' })
  setId: string;

  @ManyToOne(() => ProgrammeCourseSetEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'set_id' })
  set?: Relation<ProgrammeCourseSetEntity>;

  @PrimaryColumn({ name: 'course_id', type: 'uuid' })
  courseId: string;

  @ManyToOne(() => CourseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'course_id' })
  course?: Relation<CourseEntity>;

  @Column({ type: 'int' })
  position: number;
}

/**
 * A programme assigned to an audience: the rule (named people, or the subtree of org_unit_id
 * narrowed by filters) and a snapshot of the due rule at the time of assigning, so editing the
 * programme later never moves the dates of people already assigned.
 */
@Entity('programme_assignments')
@Index('ix_programme_assignments_programme', ['programmeId', 'createdAt', 'id'])
@Index('ix_programme_assignments_unit', ['orgUnitId'])
// The target of the members' composite foreign key: a member row's programme is its assignment's.
@Unique('uq_programme_assignments_id_programme', ['id', 'programmeId'])
@Check('ck_programme_assignments_due_rule', DUE_RULE_CHECK)
export class ProgrammeAssignmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'programme_id', type: 'uuid' })
  programmeId: string;

  @ManyToOne(() => ProgrammeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'programme_id' })
  programme?: Relation<ProgrammeEntity>;

  /** The audience root, within the officer's training:manage scope. */
  @Column({ name: 'org_unit_id', type: 'uuid' })
  orgUnitId: string;

  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'org_unit_id' })
  orgUnit?: Relation<OrgUnitEntity>;

  @Column({ type: 'jsonb' })
  audience: AudienceRule;

  @Column({
    name: 'due_rule_kind',
    type: 'enum',
    enum: DUE_RULE_KINDS,
    enumName: 'assignment_due_rule',
  })
  dueRuleKind: DueRuleKind;

  @Column({ name: 'due_days', type: 'int', nullable: true })
  dueDays: number | null;

  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate: string | null;

  /** Read it through readAssignmentStatus: rows of older releases say `completed`. */
  @Column({
    type: 'enum',
    enum: ASSIGNMENT_STATUS_LABELS,
    enumName: 'assignment_status',
    default: 'pending',
  })
  status: AssignmentStatusLabel;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_run_at', type: 'timestamptz', nullable: true })
  lastRunAt: Date | null;
}

/**
 * One person of an assignment in one cycle (recertification adds cycle 2, 3, …). Never deleted:
 * a person who leaves the audience (and had not started) is marked targeted = false and keeps
 * the row. org_path (the home unit's path when assigned, C collation) serves per-child-unit
 * progress.
 *
 * A person holds at most ONE live membership of a programme, whatever the number of
 * assignments that target them: the first assignment holds it, the others record that they
 * also target the person (assignment_also_targets). The database enforces it with the partial
 * unique index below over the programme (copied from the assignment, checked by the composite
 * foreign key) and the person, per cycle, among targeted rows; the run also serialises the
 * runs of one programme, so the index is a guard that never fires, not a path.
 */
@Entity('assignment_members')
@Index('ix_assignment_members_person', ['personId'])
@Index('ix_assignment_members_path', ['assignmentId', 'orgPath'])
@Index('uq_assignment_members_live', ['programmeId', 'personId', 'cycle'], {
  unique: true,
  where: 'targeted',
})
export class AssignmentMemberEntity {
  @PrimaryColumn({ name: 'assignment_id', type: 'uuid' })
  assignmentId: string;

  @Column({ name: 'programme_id', type: 'uuid' })
  programmeId: string;

  @ManyToOne(() => ProgrammeAssignmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'assignment_id', referencedColumnName: 'id' },
    { name: 'programme_id', referencedColumnName: 'programmeId' },
  ])
  assignment?: Relation<ProgrammeAssignmentEntity>;

  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<PersonEntity>;

  @PrimaryColumn({ type: 'int', default: 1 })
  cycle: number;

  @Column({ name: 'org_path', type: 'varchar', length: 400, collation: 'C' })
  orgPath: string;

  @Column({ name: 'assigned_at', type: 'timestamptz', default: () => 'now()' })
  assignedAt: Date;

  @Column({ name: 'due_on', type: 'date' })
  dueOn: string;

  @Column({ type: 'boolean', default: true })
  targeted: boolean;

  @Column({ name: 'untargeted_at', type: 'timestamptz', nullable: true })
  untargetedAt: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /** When the completion stops being valid (recertification); null = never. */
  @Column({ name: 'expires_on', type: 'date', nullable: true })
  expiresOn: string | null;
}

/**
 * A person an assignment targets whose membership of the programme is held by another
 * assignment. The assignment records that it also targets them, so its counts and progress
 * include them and nobody is dropped; the holding assignment will not untarget a person another
 * assignment still targets. Never deleted: a person who leaves this audience is marked
 * targeted = false (history kept).
 */
@Entity('assignment_also_targets')
@Index('ix_assignment_also_targets_person', ['programmeId', 'personId'], { where: 'targeted' })
export class AssignmentAlsoTargetEntity {
  @PrimaryColumn({ name: 'assignment_id', type: 'uuid' })
  assignmentId: string;

  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ name: 'programme_id', type: 'uuid' })
  programmeId: string;

  @ManyToOne(() => ProgrammeAssignmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'assignment_id', referencedColumnName: 'id' },
    { name: 'programme_id', referencedColumnName: 'programmeId' },
  ])
  assignment?: Relation<ProgrammeAssignmentEntity>;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<PersonEntity>;

  /** The home unit's path when first targeted (C collation), as for members. */
  @Column({ name: 'org_path', type: 'varchar', length: 400, collation: 'C' })
  orgPath: string;

  @Column({ name: 'since', type: 'timestamptz', default: () => 'now()' })
  since: Date;

  @Column({ type: 'boolean', default: true })
  targeted: boolean;

  @Column({ name: 'untargeted_at', type: 'timestamptz', nullable: true })
  untargetedAt: Date | null;
}

/**
 * A large assignment run in the background. The whole run is one database transaction, so a
 * crash rolls it back by itself; heartbeat_at tells a restarted worker which 'running' jobs
 * were orphaned and must run again (the run is idempotent).
 */
@Entity('assignment_jobs')
@Index('ix_assignment_jobs_status', ['status', 'createdAt'])
@Index('ix_assignment_jobs_assignment', ['assignmentId'])
export class AssignmentJobEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'assignment_id', type: 'uuid' })
  assignmentId: string;

  @ManyToOne(() => ProgrammeAssignmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'assignment_id' })
  assignment?: Relation<ProgrammeAssignmentEntity>;

  @Column({
    type: 'enum',
    enum: ASSIGNMENT_JOB_STATUSES,
    enumName: 'assignment_job_status',
    default: 'queued',
  })
  status: AssignmentJobStatus;

  @Column({ type: 'int', nullable: true })
  total: number | null;

  @Column({ type: 'int', default: 0 })
  processed: number;

  /** Runs started so far; a job orphaned too often is given up (rolled_back). */
  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'heartbeat_at', type: 'timestamptz', nullable: true })
  heartbeatAt: Date | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
