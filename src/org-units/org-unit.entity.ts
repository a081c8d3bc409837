import {
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
import { ORG_LEVELS, ORG_STATUSES, OrgLevel, OrgStatus, Sector, SECTORS } from './org-unit.types';

/**
 * A union organisation. `path` is the materialized path of sequence numbers from the root
 * ("/1/7/42/"), in the C collation so that `path LIKE '/1/7/%'` walks a btree index: every
 * scope filter in the system is that prefix test.
 */
@Entity('org_units')
@Index('ix_org_units_parent', ['parentId', 'sortKey', 'id'])
@Index('ix_org_units_search', ['searchName'])
export class OrgUnitEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'bigint', generated: 'increment', unique: true })
  seq: string;

  @Column({ type: 'varchar', length: 40, unique: true })
  code: string;

  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column({ name: 'search_name', type: 'varchar', length: 300 })
  searchName: string;

  @Column({ name: 'sort_key', type: 'varchar', length: 700, collation: 'C' })
  sortKey: string;

  @Column({ type: 'enum', enum: ORG_LEVELS, enumName: 'org_level' })
  level: OrgLevel;

  @Column({ type: 'enum', enum: SECTORS, enumName: 'org_sector', nullable: true })
  sector: Sector | null;

  @Column({ name: 'province_code', type: 'char', length: 2, nullable: true })
  provinceCode: string | null;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id' })
  parent?: Relation<OrgUnitEntity>;

  @Index('ix_org_units_path')
  @Column({ type: 'varchar', length: 400, collation: 'C' })
  path: string;

  @Column({ type: 'int' })
  depth: number;

  @Column({ name: 'member_count', type: 'int', default: 0 })
  memberCount: number;

  @Column({ type: 'enum', enum: ORG_STATUSES, enumName: 'org_status', default: 'active' })
  status: OrgStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
