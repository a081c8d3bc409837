import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, Relation, Unique } from 'typeorm';
import { ProgrammeAssignmentEntity } from './programme.entities';

/**
 * Where the next cycles of an assignment go when its programme is recertified by another
 * programme: one assignment of the recertifying programme per source assignment (and recertifying
 * programme, should that policy change), created by
 * the first window that opens and reused by every later one. A programme that recertifies
 * itself needs no row: its next cycle is the same assignment with cycle + 1.
 */
@Entity('recertification_targets')
@Unique('uq_recertification_targets_target', ['targetAssignmentId'])
export class RecertificationTargetEntity {
  @PrimaryColumn({ name: 'source_assignment_id', type: 'uuid' })
  sourceAssignmentId: string;

  @ManyToOne(() => ProgrammeAssignmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'source_assignment_id' })
  source?: Relation<ProgrammeAssignmentEntity>;

  @PrimaryColumn({ name: 'target_programme_id', type: 'uuid' })
  targetProgrammeId: string;

  @Column({ name: 'target_assignment_id', type: 'uuid' })
  targetAssignmentId: string;

  @ManyToOne(() => ProgrammeAssignmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'target_assignment_id' })
  target?: Relation<ProgrammeAssignmentEntity>;
}
