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
import { PostEntity } from '../posts/post.entities';
import {
  NOMINATION_STATUSES,
  NominationStatus,
  PLANNING_CYCLE_STATUSES,
  PlanningCycleStatus,
  PlanningRules,
  READINESS_LEVELS,
  Readiness,
  REMOVAL_REASONS,
  RemovalReason,
  REVIEW_DECISIONS,
  ReviewDecision,
} from './planning.types';

const READINESS_SQL = READINESS_LEVELS.map((r) => `'${r}'`).join(', ');

/** A planning list (quy hoạch) of one unit for the next term: its posts, rules and status. */
@Entity('planning_cycles')
@Index('ix_planning_cycles_unit', ['orgUnitId', 'termStart', 'id'])
@Check('ck_planning_cycles_term', 'term_end > term_start')
export class PlanningCycleEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'org_unit_id', type: 'uuid' })
  orgUnitId: string;

  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'org_unit_id' })
  orgUnit?: Relation<OrgUnitEntity>;

  /** As people write it: "2028–2033". */
  @Column({ name: 'term_label', type: 'varchar', length: 40 })
  termLabel: string;

  @Column({ name: 'term_start', type: 'date' })
  termStart: string;

  @Column({ name: 'term_end', type: 'date' })
  termEnd: string;

  @Column({
    type: 'enum',
    enum: PLANNING_CYCLE_STATUSES,
    enumName: 'planning_cycle_status',
    default: 'draft',
  })
  status: PlanningCycleStatus;

  /** The full rule set (defaults merged in at creation), see PlanningRules. */
  @Column({ type: 'jsonb' })
  rules: PlanningRules;

  /** The account that created it. */
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * A post planned in a cycle. Its row is the lock that serialises nominations to the post
 * (SELECT … FOR NO KEY UPDATE before counting), so "at most N per post" holds under races.
 */
@Entity('planning_cycle_posts')
@Index('ix_planning_cycle_posts_post', ['postId'])
export class PlanningCyclePostEntity {
  @PrimaryColumn({ name: 'cycle_id', type: 'uuid' })
  cycleId: string;

  @PrimaryColumn({ name: 'post_id', type: 'uuid' })
  postId: string;

  @ManyToOne(() => PlanningCycleEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cycle_id' })
  cycle?: Relation<PlanningCycleEntity>;

  @ManyToOne(() => PostEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'post_id' })
  post?: Relation<PostEntity>;
}

/**
 * A cadre named for a post of a cycle. Never deleted: removal sets the status with a reason.
 * At most one non-removed nomination per (cycle, post, person), by a partial unique index; across
 * the live cycles of a post the same holds under the person's row lock (planning-limits.ts).
 * The (cycle_id, post_id) pair references planning_cycle_posts, so only planned posts are named.
 */
@Entity('nominations')
@Index('ux_nominations_active', ['cycleId', 'postId', 'personId'], {
  unique: true,
  where: `status <> 'removed'`,
})
@Index('ix_nominations_cycle_post', ['cycleId', 'postId', 'status'])
@Index('ix_nominations_person', ['personId', 'status'])
// The rules that span lists read a post's current nominees across cycles (caps, "once per
// post", four eyes), as does the pipeline.
@Index('ix_nominations_post_current', ['postId', 'personId'], { where: `status <> 'removed'` })
@Check(
  'ck_nominations_removal',
  `(status = 'removed') = (removal_reason IS NOT NULL) AND (status <> 'approved' OR approved_at IS NOT NULL)`,
)
export class NominationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'cycle_id', type: 'uuid' })
  cycleId: string;

  @Column({ name: 'post_id', type: 'uuid' })
  postId: string;

  @ManyToOne(() => PlanningCyclePostEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'cycle_id', referencedColumnName: 'cycleId' },
    { name: 'post_id', referencedColumnName: 'postId' },
  ])
  cyclePost?: Relation<PlanningCyclePostEntity>;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<PersonEntity>;

  @Column({ type: 'enum', enum: READINESS_LEVELS, enumName: 'nomination_readiness' })
  readiness: Readiness;

  @Column({
    type: 'enum',
    enum: NOMINATION_STATUSES,
    enumName: 'nomination_status',
    default: 'proposed',
  })
  status: NominationStatus;

  @Column({
    name: 'removal_reason',
    type: 'enum',
    enum: REMOVAL_REASONS,
    enumName: 'nomination_removal_reason',
    nullable: true,
  })
  removalReason: RemovalReason | null;

  @Column({ name: 'removal_note', type: 'varchar', length: 1000, nullable: true })
  removalNote: string | null;

  /** The proposer's person id (four eyes compare people, not accounts). */
  @Column({ name: 'proposed_by', type: 'uuid', nullable: true })
  proposedBy: string | null;

  /** The approver's person id; differs from proposed_by. */
  @Column({ name: 'approved_by', type: 'uuid', nullable: true })
  approvedBy: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'removed_by', type: 'uuid', nullable: true })
  removedBy: string | null;

  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true })
  removedAt: Date | null;

  /** No approved nomination of the person existed when this one was proposed (age rule applied). */
  @Column({ name: 'first_time', type: 'boolean' })
  firstTime: boolean;

  /** Why HR chose a readiness other than the suggested one (readiness suggestion, issue 5 item 3). */
  @Column({ name: 'readiness_override_reason', type: 'varchar', length: 1000, nullable: true })
  readinessOverrideReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * One nominee's entry in a yearly review: the flags computed when the review was opened and
 * HR's decision (kept with readiness kept or changed, or removed). Undecided while decision is
 * null. One entry per nomination and year.
 */
@Entity('nomination_reviews')
@Unique('uq_nomination_reviews_year', ['nominationId', 'reviewYear'])
@Index('ix_nomination_reviews_cycle', ['cycleId', 'reviewYear', 'id'])
@Check('ck_nomination_reviews_decided', '(decision IS NULL) = (decided_at IS NULL)')
@Check(
  'ck_nomination_reviews_readiness',
  `readiness_before IN (${READINESS_SQL}) AND (readiness_after IS NULL OR readiness_after IN (${READINESS_SQL}))`,
)
export class NominationReviewEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'nomination_id', type: 'uuid' })
  nominationId: string;

  @ManyToOne(() => NominationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'nomination_id' })
  nomination?: Relation<NominationEntity>;

  /** The nomination's cycle, copied so a cycle's reviews list from one index. */
  @Column({ name: 'cycle_id', type: 'uuid' })
  cycleId: string;

  @ManyToOne(() => PlanningCycleEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cycle_id' })
  cycle?: Relation<PlanningCycleEntity>;

  @Column({ name: 'review_year', type: 'int' })
  reviewYear: number;

  /** Readiness values as text (checked), so the enum type stays with nominations alone. */
  @Column({ name: 'readiness_before', type: 'varchar', length: 20 })
  readinessBefore: Readiness;

  @Column({ name: 'readiness_after', type: 'varchar', length: 20, nullable: true })
  readinessAfter: Readiness | null;

  @Column({
    type: 'enum',
    enum: REVIEW_DECISIONS,
    enumName: 'nomination_review_decision',
    nullable: true,
  })
  decision: ReviewDecision | null;

  /** { notCompletedEvaluation, evaluationYear, failsAgeRule, retirementDate, … } */
  @Column({ type: 'jsonb' })
  flags: Record<string, unknown>;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  note: string | null;

  /** The reviewer's person id. */
  @Column({ type: 'uuid', nullable: true })
  reviewer: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
