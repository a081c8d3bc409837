import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One recorded change: who (account and person), when, what (action on an entity) and the
 * entity's state before and after. Append-only — a trigger refuses UPDATE and DELETE — and
 * written inside the transaction of the change it records, so a change and its entry commit or
 * roll back together. The unit's path is copied at write time (C collation) so that readers are
 * scope-filtered with the same prefix test as everything else, without joining org_units.
 */
@Entity('audit_log')
@Index('ix_audit_log_entity', ['entityType', 'entityId', 'at', 'id'])
@Index('ix_audit_log_path', ['orgPath', 'at', 'id'])
@Index('ix_audit_log_at', ['at', 'id'])
export class AuditEntryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;

  /** The account that acted; null for system writers (seed, workers). */
  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ name: 'actor_person_id', type: 'uuid', nullable: true })
  actorPersonId: string | null;

  /** `<entity>.<verb>`, e.g. nomination.approve, planning_cycle.status. */
  @Column({ type: 'varchar', length: 80 })
  action: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 60 })
  entityType: string;

  @Column({ name: 'entity_id', type: 'uuid' })
  entityId: string;

  /** The unit the change belongs to (a cycle's unit, a rotation's unit…); scope follows it. */
  @Column({ name: 'org_unit_id', type: 'uuid', nullable: true })
  orgUnitId: string | null;

  @Column({ name: 'org_path', type: 'varchar', length: 400, collation: 'C', nullable: true })
  orgPath: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before: unknown;

  @Column({ type: 'jsonb', nullable: true })
  after: unknown;

  /** The X-Request-Id of the HTTP request that made the change, when there was one. */
  @Column({ name: 'request_id', type: 'varchar', length: 100, nullable: true })
  requestId: string | null;
}
