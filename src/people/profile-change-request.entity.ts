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
  UpdateDateColumn,
} from 'typeorm';
import { PersonEntity } from './person.entity';
import { Gender } from './person.types';

/** pending → approved | rejected | withdrawn | superseded (by the person's next request). */
export const PROFILE_CHANGE_REQUEST_STATES = [
  'pending',
  'approved',
  'rejected',
  'withdrawn',
  'superseded',
] as const;
export type ProfileChangeRequestState = (typeof PROFILE_CHANGE_REQUEST_STATES)[number];

/** The fields of a person's record that only HR changes, at the person's request. */
export const REQUESTABLE_FIELDS = [
  'familyName',
  'middleName',
  'givenName',
  'birthDate',
  'gender',
  'nationalId',
] as const;
export type RequestableField = (typeof REQUESTABLE_FIELDS)[number];

/** The values asked for: only the fields the request changes (null clears an optional one). */
export interface RequestedValues {
  familyName?: string;
  middleName?: string | null;
  givenName?: string;
  birthDate?: string | null;
  gender?: Gender | null;
  nationalId?: string | null;
}

/**
 * A person's request to correct a field of their record that HR keeps. Never deleted: it
 * changes state, and the decision (who, when, why) stays on the row and in the audit log.
 */
@Entity('profile_change_requests')
@Check(
  'ck_profile_change_requests_decided',
  `state NOT IN ('approved', 'rejected') OR decided_at IS NOT NULL`,
)
@Index('ux_profile_change_requests_one_pending', ['personId'], {
  unique: true,
  where: `state = 'pending'`,
})
@Index('ix_profile_change_requests_queue', ['state', 'createdAt', 'id'])
@Index('ix_profile_change_requests_person', ['personId', 'createdAt'])
export class ProfileChangeRequestEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_profile_change_requests' })
  id: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'fk_profile_change_requests_person' })
  person?: Relation<PersonEntity>;

  @Column({
    type: 'enum',
    enum: PROFILE_CHANGE_REQUEST_STATES,
    enumName: 'profile_change_request_state',
    default: 'pending',
  })
  state: ProfileChangeRequestState;

  @Column({ type: 'jsonb' })
  requested: RequestedValues;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  note: string | null;

  @Column({ name: 'requested_by_user_id', type: 'uuid', nullable: true })
  requestedByUserId: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decided_by_user_id', type: 'uuid', nullable: true })
  decidedByUserId: string | null;

  @Column({ name: 'decided_by_person_id', type: 'uuid', nullable: true })
  decidedByPersonId: string | null;

  /** HR's note on an approval, or the reason of a rejection. */
  @Column({ name: 'decision_note', type: 'varchar', length: 1000, nullable: true })
  decisionNote: string | null;

  @Column({ name: 'superseded_by_id', type: 'uuid', nullable: true })
  supersededById: string | null;

  @ManyToOne(() => ProfileChangeRequestEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'superseded_by_id',
    foreignKeyConstraintName: 'fk_profile_change_requests_superseded_by',
  })
  supersededBy?: Relation<ProfileChangeRequestEntity>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
