import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Relation,
} from 'typeorm';
import { PersonEntity } from '../people/person.entity';

const numeric = {
  to: (value: number | null) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

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

  @Column({ type: 'numeric', precision: 7, scale: 2, transformer: numeric })
  hours: number;

  /** Null when the course had no final assessment (completion on lessons alone). */
  @Column({ type: 'numeric', precision: 4, scale: 2, nullable: true, transformer: numeric })
  score: number | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  grade: string | null;

  @Column({ name: 'completed_at', type: 'timestamptz' })
  completedAt: Date;

  @Column({ name: 'certificate_id', type: 'uuid', nullable: true })
  certificateId: string | null;

  @Column({ name: 'certificate_serial', type: 'varchar', length: 20, nullable: true })
  certificateSerial: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
