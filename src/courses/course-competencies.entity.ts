import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  Relation,
} from 'typeorm';
import { CourseEntity } from './course.entities';

/**
 * Which competencies a course develops, and to which level (issue 4, item 6/7).
 * Linked by the competency's lineage (competencies.lineage_id), not by one version's row, so a
 * course stays linked when its framework gets a new version. No foreign key on the lineage: it
 * names "the same competency across versions", not one row. The level is checked against the
 * scale of the version the officer picked when the link is written; 1..10 is the hard bound of
 * every scale (framework_levels.level).
 * ix_course_competencies_lineage serves "which courses develop this competency" (gaps).
 */
@Entity('course_competencies')
@Index('ix_course_competencies_lineage', ['competencyLineageId', 'level'])
@Check('ck_course_competencies_level', 'level BETWEEN 1 AND 10')
export class CourseCompetencyEntity {
  @PrimaryColumn({ name: 'course_id', type: 'uuid' })
  courseId: string;

  @ManyToOne(() => CourseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'course_id' })
  course?: Relation<CourseEntity>;

  @PrimaryColumn({ name: 'competency_lineage_id', type: 'uuid' })
  competencyLineageId: string;

  @Column({ type: 'smallint' })
  level: number;
}
