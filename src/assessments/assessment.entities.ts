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
} from 'typeorm';
import {
  QUESTION_KINDS,
  QuestionKind,
  QuestionOption,
  REVIEW_POLICIES,
  ReviewPolicy,
} from './assessment.types';
import type { CompetencyBand } from './competency-bands';
import { numericColumn } from '../common/sql/numeric-column';

/** The final assessment of a course: one per course (courses module owns the course row). */
@Entity('assessments')
@Check('ck_assessments_pass_score', 'pass_score >= 0 AND pass_score <= 10')
@Check('ck_assessments_limits', 'time_limit_minutes > 0 AND max_attempts > 0')
export class AssessmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'course_id', type: 'uuid', unique: true })
  courseId: string;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ name: 'time_limit_minutes', type: 'int' })
  timeLimitMinutes: number;

  @Column({ name: 'max_attempts', type: 'int' })
  maxAttempts: number;

  @Column({
    name: 'pass_score',
    type: 'numeric',
    precision: 4,
    scale: 2,
    transformer: numericColumn,
  })
  passScore: number;

  /** Off: a multiple-choice question scores only when exactly all right options are chosen. */
  @Column({ name: 'partial_credit', type: 'boolean', default: false })
  partialCredit: boolean;

  /** When learners see the right answers of their submitted attempts (see REVIEW_POLICIES). */
  @Column({
    name: 'review_policy',
    type: 'enum',
    enum: REVIEW_POLICIES,
    enumName: 'assessment_review_policy',
    default: 'after_close',
  })
  reviewPolicy: ReviewPolicy;

  /**
   * Score bands that turn a tagged competency's score into a level of evidence, highest
   * first; null when no question is tagged.
   */
  @Column({ name: 'competency_bands', type: 'jsonb', nullable: true })
  competencyBands: CompetencyBand[] | null;

  /** Attempts draw their questions from the blueprint (assessment_rules), not the inline ones. */
  @Column({ type: 'boolean', default: false })
  drawn: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

@Entity('assessment_questions')
@Unique('uq_assessment_questions_position', ['assessmentId', 'position'])
export class QuestionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'assessment_id', type: 'uuid' })
  assessmentId: string;

  @ManyToOne(() => AssessmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'assessment_id' })
  assessment?: Relation<AssessmentEntity>;

  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'enum', enum: QUESTION_KINDS, enumName: 'question_kind' })
  kind: QuestionKind;

  @Column({ type: 'text' })
  prompt: string;

  @Column({ type: 'jsonb' })
  options: QuestionOption[];

  /** The right option keys: never sent to a learner. */
  @Column({ type: 'jsonb' })
  correct: string[];

  @Column({ type: 'int' })
  points: number;

  /**
   * The competency the question tests, by lineage (competencies.lineage_id), so the tag holds
   * across framework versions; no foreign key across modules. Null: untagged.
   */
  @Column({ name: 'competency_lineage_id', type: 'uuid', nullable: true })
  competencyLineageId: string | null;
}

/**
 * One sitting of an assessment. The deadline is fixed from the server clock at start; at most
 * one open (unsubmitted) attempt per enrolment, enforced by a partial unique index; the number
 * is unique per enrolment so that two racing starts cannot both take the last attempt.
 */
@Entity('assessment_attempts')
@Unique('uq_attempts_number', ['enrolmentId', 'number'])
@Index('ux_attempts_open', ['enrolmentId'], { unique: true, where: 'submitted_at IS NULL' })
@Index('ix_attempts_person', ['personId', 'startedAt', 'id'])
export class AttemptEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'assessment_id', type: 'uuid' })
  assessmentId: string;

  @ManyToOne(() => AssessmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'assessment_id' })
  assessment?: Relation<AssessmentEntity>;

  /** The enrolment (courses module) the attempt counts for. */
  @Column({ name: 'enrolment_id', type: 'uuid' })
  enrolmentId: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ type: 'int' })
  number: number;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ type: 'timestamptz' })
  deadline: Date;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  @Column({
    name: 'points_earned',
    type: 'numeric',
    precision: 8,
    scale: 2,
    nullable: true,
    transformer: numericColumn,
  })
  pointsEarned: number | null;

  @Column({ name: 'points_total', type: 'int', nullable: true })
  pointsTotal: number | null;

  @Column({
    type: 'numeric',
    precision: 4,
    scale: 2,
    nullable: true,
    transformer: numericColumn,
  })
  score: number | null;

  @Column({ type: 'boolean', nullable: true })
  passed: boolean | null;
}

/** The learner's latest choice for one question; saved_at tells whether it beat the deadline. */
@Entity('attempt_answers')
export class AnswerEntity {
  @PrimaryColumn({ name: 'attempt_id', type: 'uuid' })
  attemptId: string;

  @ManyToOne(() => AttemptEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'attempt_id' })
  attempt?: Relation<AttemptEntity>;

  @PrimaryColumn({ name: 'question_id', type: 'uuid' })
  questionId: string;

  @ManyToOne(() => QuestionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'question_id' })
  question?: Relation<QuestionEntity>;

  @Column({ type: 'jsonb' })
  selected: string[];

  @Column({ name: 'saved_at', type: 'timestamptz' })
  savedAt: Date;
}
