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
  Unique,
} from 'typeorm';
import { PersonEntity } from '../people/person.entity';
import { EVALUATION_LEVELS, EvaluationLevel } from './evaluation-policy';
import { numericColumn } from '../common/sql/numeric-column';

/**
 * One revision of a person's yearly evaluation (đánh giá, xếp loại). A correction inserts the
 * next revision and marks the previous one superseded; nothing is updated in place otherwise
 * and nothing is deleted. The partial unique index keeps exactly one current revision per
 * (person, year); the level is stored as decided under the thresholds of its day.
 */
@Entity('evaluations')
@Unique('uq_evaluations_revision', ['personId', 'year', 'revision'])
@Index('ux_evaluations_current', ['personId', 'year'], {
  unique: true,
  where: 'superseded_at IS NULL',
})
@Index('ix_evaluations_year_current', ['year', 'level', 'personId'], {
  where: 'superseded_at IS NULL',
})
@Check('ck_evaluations_score', 'score >= 0 AND score <= 100')
@Check('ck_evaluations_year', 'year >= 1900 AND year <= 2200')
@Check('ck_evaluations_revision', 'revision >= 1')
export class EvaluationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<PersonEntity>;

  @Column({ type: 'int' })
  year: number;

  @Column({ type: 'int', default: 1 })
  revision: number;

  @Column({ type: 'numeric', precision: 5, scale: 2, transformer: numericColumn })
  score: number;

  @Column({ type: 'enum', enum: EVALUATION_LEVELS, enumName: 'evaluation_level' })
  level: EvaluationLevel;

  /** The person who evaluated (the signed-in HR officer's own profile). */
  @Column({ name: 'evaluator_person_id', type: 'uuid' })
  evaluatorPersonId: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'evaluator_person_id' })
  evaluator?: Relation<PersonEntity>;

  @Column({ type: 'text', nullable: true })
  comments: string | null;

  @Column({ name: 'superseded_at', type: 'timestamptz', nullable: true })
  supersededAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
