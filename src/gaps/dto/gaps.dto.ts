import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import type { OrgLevel, Sector } from '../../org-units/org-unit.types';
import { POST_TYPES, PostType } from '../../posts/post-types';
import { RATING_SOURCES, RatingSource } from '../../competencies/competency.types';

export class PersonGapsQueryDto {
  @ApiPropertyOptional({
    enum: POST_TYPES,
    description: 'Measure against this post type instead of the person’s current posts',
  })
  @IsOptional()
  @IsIn(POST_TYPES)
  postType?: PostType;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Framework version; default: the latest published one with a profile for the post',
  })
  @IsOptional()
  @IsUUID()
  versionId?: string;
}

export const HEATMAP_DEFAULT_ROWS = 100;
export const HEATMAP_MAX_ROWS = 500;

export class HeatmapQueryDto {
  @ApiPropertyOptional({ enum: POST_TYPES, default: 'chair' })
  @IsOptional()
  @IsIn(POST_TYPES)
  postType?: PostType;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Framework version; default: the latest published one with a profile for the post',
  })
  @IsOptional()
  @IsUUID()
  versionId?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: HEATMAP_MAX_ROWS,
    default: HEATMAP_DEFAULT_ROWS,
    description: 'Child units (rows) per page',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(HEATMAP_MAX_ROWS)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page (nextCursor)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export class GapCourseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'K01' })
  code: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ description: 'The level the course develops the competency to' })
  level: number;

  @ApiProperty({ description: 'level ≥ the required level' })
  reachesRequired: boolean;
}

export class CompetencyGapDto {
  @ApiProperty({ format: 'uuid' })
  competencyId: string;

  @ApiProperty({ format: 'uuid' })
  lineageId: string;

  @ApiProperty({ example: 'C1' })
  code: string;

  @ApiProperty()
  nameVi: string;

  @ApiProperty()
  nameEn: string;

  @ApiProperty()
  requiredLevel: number;

  @ApiProperty()
  critical: boolean;

  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Null: no valid evidence (counted as 0 in the gap)',
  })
  currentLevel: number | null;

  @ApiProperty({
    nullable: true,
    enum: RATING_SOURCES,
    description:
      'Where the current level comes from: self, supervisor, hr, course or assessment. A ' +
      'self-rating counts only when no other source has valid evidence',
  })
  source: RatingSource | null;

  @ApiProperty({ nullable: true, type: String, description: 'yyyy-MM-dd: when it was rated' })
  ratedOn: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'yyyy-MM-dd: last day it counts' })
  validUntil: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description:
      'The framework version the rating was made against: the block’s version, or another ' +
      'version of the same competency (evidence follows the lineage)',
  })
  ratedVersionId: string | null;

  @ApiProperty({ nullable: true, type: Number })
  ageDays: number | null;

  @ApiProperty({ description: 'max(0, required − current), current 0 when there is no evidence' })
  gap: number;

  @ApiProperty({ type: [GapCourseDto], description: 'Published courses developing it' })
  courses: GapCourseDto[];
}

export class GapUnitDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  code: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  level: OrgLevel;

  @ApiProperty({ nullable: true, type: String })
  sector: Sector | null;
}

export class GapProfileDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ nullable: true, type: String })
  orgLevel: OrgLevel | null;

  @ApiProperty({ nullable: true, type: String })
  sector: Sector | null;
}

export class GapBlockDto {
  @ApiProperty({ enum: POST_TYPES })
  postType: PostType;

  @ApiProperty({
    nullable: true,
    type: Object,
    description: 'The current post measured against; null for a post type asked for',
  })
  post: { id: string; title: string; appointmentId: string } | null;

  @ApiProperty({
    type: GapUnitDto,
    description: 'The unit whose level and sector pick the profile',
  })
  orgUnit: GapUnitDto;

  @ApiProperty({ nullable: true, type: String, format: 'uuid' })
  versionId: string | null;

  @ApiProperty({ nullable: true, type: GapProfileDto, description: 'Null: no profile applies' })
  profile: GapProfileDto | null;

  @ApiProperty({ description: 'Sum of the gaps' })
  totalGap: number;

  @ApiProperty({ type: [CompetencyGapDto] })
  items: CompetencyGapDto[];
}

export class PersonGapsDto {
  @ApiProperty({ format: 'uuid' })
  personId: string;

  @ApiProperty({ description: 'yyyy-MM-dd: the day evidence must be valid on' })
  asOf: string;

  @ApiProperty({ type: [GapBlockDto], description: 'One block per current post (or post type)' })
  blocks: GapBlockDto[];
}

export class HeatmapCellDto {
  @ApiProperty({ format: 'uuid' })
  competencyId: string;

  @ApiProperty()
  code: string;

  @ApiProperty({ description: 'Holders whose applicable profile requires this competency' })
  holders: number;

  @ApiProperty({ description: 'Of them, below the required level (no evidence counts as 0)' })
  below: number;

  @ApiProperty({ nullable: true, type: Number, description: 'below / holders; null when 0' })
  share: number | null;
}

export class HeatmapRowDto {
  @ApiProperty({ type: Object })
  orgUnit: { id: string; code: string; name: string };

  @ApiProperty({ type: [HeatmapCellDto] })
  cells: HeatmapCellDto[];
}

export class HeatmapDto {
  @ApiProperty({ type: Object })
  orgUnit: { id: string; code: string; name: string };

  @ApiProperty({ format: 'uuid' })
  versionId: string;

  @ApiProperty({ enum: POST_TYPES })
  postType: PostType;

  @ApiProperty()
  asOf: string;

  @ApiProperty({ type: Object, isArray: true })
  competencies: { id: string; code: string; nameVi: string; nameEn: string }[];

  @ApiProperty({ type: [HeatmapRowDto] })
  rows: HeatmapRowDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}
