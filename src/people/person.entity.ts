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
import { OrgUnitEntity } from '../org-units/org-unit.entity';
import { Gender, GENDERS, PERSON_STATUSES, PersonStatus } from './person.types';

/** A union cadre or member. Name parts are kept apart; the full name is derived. */
@Entity('people')
@Index('ix_people_home_org', ['homeOrgUnitId', 'sortKey', 'id'])
@Index('ix_people_search', ['searchName'])
export class PersonEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'family_name', type: 'varchar', length: 60 })
  familyName: string;

  @Column({ name: 'middle_name', type: 'varchar', length: 80, nullable: true })
  middleName: string | null;

  @Column({ name: 'given_name', type: 'varchar', length: 60 })
  givenName: string;

  @Column({ name: 'full_name', type: 'varchar', length: 210 })
  fullName: string;

  @Column({ name: 'search_name', type: 'varchar', length: 210 })
  searchName: string;

  /** Folded "given middle family" so that a plain ORDER BY gives the Vietnamese list order. */
  @Column({ name: 'sort_key', type: 'varchar', length: 210, collation: 'C' })
  sortKey: string;

  @Column({ name: 'birth_date', type: 'date', nullable: true })
  birthDate: string | null;

  @Column({ type: 'enum', enum: GENDERS, enumName: 'person_gender', nullable: true })
  gender: Gender | null;

  @Column({ name: 'ethnicity_code', type: 'char', length: 2, nullable: true })
  ethnicityCode: string | null;

  @Column({ name: 'national_id', type: 'char', length: 12, nullable: true, unique: true })
  nationalId: string | null;

  /** The cadre's id in the federation's own HR system; imports match people by it. */
  @Index('ux_people_external_id', { unique: true, where: 'external_id IS NOT NULL' })
  @Column({ name: 'external_id', type: 'varchar', length: 60, nullable: true })
  externalId: string | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone: string | null;

  @Column({ name: 'home_org_unit_id', type: 'uuid' })
  homeOrgUnitId: string;

  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'home_org_unit_id' })
  homeOrgUnit?: Relation<OrgUnitEntity>;

  @Column({ type: 'enum', enum: PERSON_STATUSES, enumName: 'person_status', default: 'active' })
  status: PersonStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
