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
  UpdateDateColumn,
} from 'typeorm';
import { OrgUnitEntity } from '../org-units/org-unit.entity';
import { ORG_LEVELS, OrgLevel, Sector, SECTORS } from '../org-units/org-unit.types';
import { PersonEntity } from '../people/person.entity';
import { POST_TYPES, PostType } from '../posts/post-types';
import {
  CURRENT_LEVEL_POLICIES,
  CurrentLevelPolicy,
  FRAMEWORK_VERSION_STATUSES,
  FrameworkVersionStatus,
  RATING_SOURCES,
  RatingSource,
} from './competency.types';

/** A competency framework (khung năng lực), owned by the confederation or a federation. */
@Entity('competency_frameworks')
@Index('ix_competency_frameworks_owner', ['ownerOrgUnitId', 'code'])
export class FrameworkEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 40, unique: true, collation: 'C' })
  code: string;

  @Column({ name: 'name_vi', type: 'varchar', length: 300 })
  nameVi: string;

  @Column({ name: 'name_en', type: 'varchar', length: 300 })
  nameEn: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'owner_org_unit_id', type: 'uuid' })
  ownerOrgUnitId: string;

  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'owner_org_unit_id' })
  ownerOrgUnit?: Relation<OrgUnitEntity>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * One version of a framework: draft → published → retired. A published or retired version never
 * changes (the service refuses every write with FRAMEWORK_VERSION_LOCKED); a change is a new
 * draft copied from it. At most one draft per framework, enforced by a partial unique index.
 */
@Entity('framework_versions')
@Unique('uq_framework_versions_number', ['frameworkId', 'versionNo'])
@Index('uq_framework_versions_one_draft', ['frameworkId'], {
  unique: true,
  where: "status = 'draft'",
})
@Check('ck_framework_versions_number', 'version_no >= 1')
@Check('ck_framework_versions_proficient', 'proficient_level >= 1')
@Check(
  'ck_framework_versions_policy_years',
  "(policy = 'highest_valid_within_years') = (policy_years IS NOT NULL) AND (policy_years IS NULL OR policy_years BETWEEN 1 AND 50)",
)
export class FrameworkVersionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'framework_id', type: 'uuid' })
  frameworkId: string;

  @ManyToOne(() => FrameworkEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'framework_id' })
  framework?: Relation<FrameworkEntity>;

  @Column({ name: 'version_no', type: 'int' })
  versionNo: number;

  @Column({
    type: 'enum',
    enum: FRAMEWORK_VERSION_STATUSES,
    enumName: 'framework_version_status',
    default: 'draft',
  })
  status: FrameworkVersionStatus;

  /** The level from which a person counts as proficient (a level of this version's scale). */
  @Column({ name: 'proficient_level', type: 'smallint' })
  proficientLevel: number;

  @Column({
    type: 'enum',
    enum: CURRENT_LEVEL_POLICIES,
    enumName: 'current_level_policy',
    default: 'latest_valid',
  })
  policy: CurrentLevelPolicy;

  /** N of highest_valid_within_years; null for the other policies. */
  @Column({ name: 'policy_years', type: 'smallint', nullable: true })
  policyYears: number | null;

  /** The version this draft was copied from (new-version), for the record. */
  @Column({ name: 'copied_from_id', type: 'uuid', nullable: true })
  copiedFromId: string | null;

  @ManyToOne(() => FrameworkVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'copied_from_id' })
  copiedFrom?: Relation<FrameworkVersionEntity>;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** A level of a version's scale (1..n). Ratings reference it, so a level is always on the scale. */
@Entity('framework_levels')
@Check('ck_framework_levels_level', 'level BETWEEN 1 AND 10')
export class FrameworkLevelEntity {
  @PrimaryColumn({ name: 'version_id', type: 'uuid' })
  versionId: string;

  @PrimaryColumn({ type: 'smallint' })
  level: number;

  @ManyToOne(() => FrameworkVersionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'version_id' })
  version?: Relation<FrameworkVersionEntity>;

  @Column({ name: 'name_vi', type: 'varchar', length: 100 })
  nameVi: string;

  @Column({ name: 'name_en', type: 'varchar', length: 100 })
  nameEn: string;

  @Column({ name: 'description_vi', type: 'text', nullable: true })
  descriptionVi: string | null;

  @Column({ name: 'description_en', type: 'text', nullable: true })
  descriptionEn: string | null;
}

/** A group of competencies of one version (e.g. "Chính trị và pháp luật"). */
@Entity('competency_domains')
@Unique('uq_competency_domains_code', ['versionId', 'code'])
export class CompetencyDomainEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'version_id', type: 'uuid' })
  versionId: string;

  @ManyToOne(() => FrameworkVersionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'version_id' })
  version?: Relation<FrameworkVersionEntity>;

  @Column({ type: 'varchar', length: 40, collation: 'C' })
  code: string;

  @Column({ name: 'name_vi', type: 'varchar', length: 300 })
  nameVi: string;

  @Column({ name: 'name_en', type: 'varchar', length: 300 })
  nameEn: string;

  @Column({ type: 'int' })
  position: number;
}

/**
 * A competency of one version. `lineageId` is the same for "the same competency" across versions
 * (the id of its first appearance), so links from courses and reports can outlive a new version.
 */
@Entity('competencies')
@Unique('uq_competencies_code', ['versionId', 'code'])
@Index('ix_competencies_domain', ['domainId', 'position'])
@Index('ix_competencies_lineage', ['lineageId'])
export class CompetencyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'version_id', type: 'uuid' })
  versionId: string;

  @ManyToOne(() => FrameworkVersionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'version_id' })
  version?: Relation<FrameworkVersionEntity>;

  @Column({ name: 'domain_id', type: 'uuid' })
  domainId: string;

  @ManyToOne(() => CompetencyDomainEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'domain_id' })
  domain?: Relation<CompetencyDomainEntity>;

  @Column({ name: 'lineage_id', type: 'uuid' })
  lineageId: string;

  @Column({ type: 'varchar', length: 40, collation: 'C' })
  code: string;

  @Column({ name: 'name_vi', type: 'varchar', length: 300 })
  nameVi: string;

  @Column({ name: 'name_en', type: 'varchar', length: 300 })
  nameEn: string;

  @Column({ name: 'description_vi', type: 'text', nullable: true })
  descriptionVi: string | null;

  @Column({ name: 'description_en', type: 'text', nullable: true })
  descriptionEn: string | null;

  @Column({ type: 'int' })
  position: number;
}

/** What a person shows at one level of one competency (behaviour indicator). */
@Entity('competency_indicators')
export class CompetencyIndicatorEntity {
  @PrimaryColumn({ name: 'competency_id', type: 'uuid' })
  competencyId: string;

  @PrimaryColumn({ type: 'smallint' })
  level: number;

  @ManyToOne(() => CompetencyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'competency_id' })
  competency?: Relation<CompetencyEntity>;

  @Column({ name: 'text_vi', type: 'text' })
  textVi: string;

  @Column({ name: 'text_en', type: 'text' })
  textEn: string;
}

/**
 * What a post requires, against one framework version, optionally narrowed to an org level and a
 * sector (null = any). One profile per (version, post type, org level, sector), nulls compared
 * as "any": three partial unique indexes plus a plain one cover the four combinations.
 */
@Entity('role_profiles')
@Index('uq_role_profiles_any_any', ['versionId', 'postType'], {
  unique: true,
  where: 'org_level IS NULL AND sector IS NULL',
})
@Index('uq_role_profiles_level_any', ['versionId', 'postType', 'orgLevel'], {
  unique: true,
  where: 'org_level IS NOT NULL AND sector IS NULL',
})
@Index('uq_role_profiles_any_sector', ['versionId', 'postType', 'sector'], {
  unique: true,
  where: 'org_level IS NULL AND sector IS NOT NULL',
})
@Index('uq_role_profiles_level_sector', ['versionId', 'postType', 'orgLevel', 'sector'], {
  unique: true,
})
@Check('ck_role_profiles_post_type', `post_type IN (${POST_TYPES.map((p) => `'${p}'`).join(', ')})`)
export class RoleProfileEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'version_id', type: 'uuid' })
  versionId: string;

  @ManyToOne(() => FrameworkVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'version_id' })
  version?: Relation<FrameworkVersionEntity>;

  @Column({ name: 'post_type', type: 'varchar', length: 30 })
  postType: PostType;

  @Column({
    name: 'org_level',
    type: 'enum',
    enum: ORG_LEVELS,
    enumName: 'org_level',
    nullable: true,
  })
  orgLevel: OrgLevel | null;

  @Column({ type: 'enum', enum: SECTORS, enumName: 'org_sector', nullable: true })
  sector: Sector | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** The required level of one competency in a role profile, and whether falling short is critical. */
@Entity('role_profile_requirements')
@Index('ix_role_profile_requirements_competency', ['competencyId'])
@Check('ck_role_profile_requirements_level', 'required_level >= 1')
export class RoleProfileRequirementEntity {
  @PrimaryColumn({ name: 'profile_id', type: 'uuid' })
  profileId: string;

  @PrimaryColumn({ name: 'competency_id', type: 'uuid' })
  competencyId: string;

  @ManyToOne(() => RoleProfileEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'profile_id' })
  profile?: Relation<RoleProfileEntity>;

  @ManyToOne(() => CompetencyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'competency_id' })
  competency?: Relation<CompetencyEntity>;

  @Column({ name: 'required_level', type: 'smallint' })
  requiredLevel: number;

  @Column({ type: 'boolean', default: false })
  critical: boolean;
}

/**
 * Append-only evidence of a person's level in a competency. Never updated or deleted: a
 * correction is a new rating. The level references the version's scale (composite foreign key),
 * so a rating off the scale cannot be stored.
 * - ix_competency_ratings_current serves "current level per person and competency" (DISTINCT ON
 *   person, competency ordered by date) for one person or a whole set of post holders;
 * - ix_competency_ratings_history serves a person's history, newest first, keyset on (rated_on, id);
 * - uq_competency_ratings_source makes learning evidence idempotent: one rating per competency
 *   for each thing that produced it (an enrolment, an attempt).
 */
@Entity('competency_ratings')
@Index('ix_competency_ratings_current', ['personId', 'versionId', 'competencyId', 'ratedOn'])
@Index('ix_competency_ratings_history', ['personId', 'ratedOn', 'id'])
@Index('uq_competency_ratings_source', ['sourceType', 'sourceId', 'competencyId'], {
  unique: true,
  where: 'source_id IS NOT NULL',
})
@Check('ck_competency_ratings_valid', 'valid_until >= rated_on')
@Check('ck_competency_ratings_source_ref', '(source_type IS NULL) = (source_id IS NULL)')
export class CompetencyRatingEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<PersonEntity>;

  @Column({ name: 'competency_id', type: 'uuid' })
  competencyId: string;

  @ManyToOne(() => CompetencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'competency_id' })
  competency?: Relation<CompetencyEntity>;

  @Column({ name: 'version_id', type: 'uuid' })
  versionId: string;

  @Column({ type: 'smallint' })
  level: number;

  @ManyToOne(() => FrameworkLevelEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'version_id', referencedColumnName: 'versionId' },
    { name: 'level', referencedColumnName: 'level' },
  ])
  scaleLevel?: Relation<FrameworkLevelEntity>;

  @Column({ type: 'enum', enum: RATING_SOURCES, enumName: 'rating_source' })
  source: RatingSource;

  /** Who rated: the person themself, the supervisor or hr officer; null for course/assessment. */
  @Column({ name: 'rater_person_id', type: 'uuid', nullable: true })
  raterPersonId: string | null;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'rater_person_id' })
  rater?: Relation<PersonEntity>;

  @Column({ name: 'rated_on', type: 'date' })
  ratedOn: string;

  @Column({ name: 'valid_until', type: 'date' })
  validUntil: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  /** What produced it, e.g. ('enrolment', id) or ('attempt', id); no FK across modules. */
  @Column({ name: 'source_type', type: 'varchar', length: 40, nullable: true })
  sourceType: string | null;

  @Column({ name: 'source_id', type: 'uuid', nullable: true })
  sourceId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
