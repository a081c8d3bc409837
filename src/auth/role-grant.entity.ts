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
import { OrgUnitEntity } from '../org-units/org-unit.entity';
import { Role, ROLES } from './roles';
import { UserAccountEntity } from './user-account.entity';

/** A role held over an org subtree. Revoking keeps the row (revoked_at) for the record. */
@Entity('role_grants')
@Index('ix_role_grants_user', ['userId'])
@Index('ux_role_grants_active', ['userId', 'role', 'orgUnitId'], {
  unique: true,
  where: 'revoked_at IS NULL',
})
@Index('ix_role_grants_live_role', ['role', 'userId'], { where: '"revoked_at" IS NULL' })
export class RoleGrantEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserAccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<UserAccountEntity>;

  @Column({ type: 'enum', enum: ROLES, enumName: 'user_role' })
  role: Role;

  @Column({ name: 'org_unit_id', type: 'uuid' })
  orgUnitId: string;

  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'org_unit_id' })
  orgUnit?: Relation<OrgUnitEntity>;

  @Column({ name: 'granted_by', type: 'uuid', nullable: true })
  grantedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
