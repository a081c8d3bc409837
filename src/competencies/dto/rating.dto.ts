import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsNestedObject } from '../../common/http/validators';
import { CALENDAR_RANGE, DATE_RANGE } from '../../common/dates/date-range';
import { IsIsoDateIn } from '../../common/http/date-validators';
import { PageQueryDto } from '../../common/pagination/page';
import { RATING_SOURCES, RatingSource } from '../competency.types';
import { CODE_PATTERN, MAX_COMPETENCIES, MAX_LEVELS } from './framework.dto';

/** One competency's rating: name it by code or by id (exactly one of them). */
export class RatingItemDto {
  @ApiPropertyOptional({ example: 'C1', description: 'Either competencyCode or competencyId' })
  @ValidateIf((o: RatingItemDto) => o.competencyId === undefined || o.competencyCode !== undefined)
  @IsString()
  @Matches(CODE_PATTERN)
  competencyCode?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @ValidateIf((o: RatingItemDto) => o.competencyCode === undefined || o.competencyId !== undefined)
  @IsUUID()
  competencyId?: string;

  @ApiProperty({ minimum: 1, description: 'A level of the version’s scale' })
  @IsInt()
  @Min(1)
  @Max(MAX_LEVELS)
  level: number;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class SelfRatingDto {
  @ApiProperty({ format: 'uuid', description: 'A published framework version' })
  @IsUUID()
  versionId: string;

  @ApiProperty({ type: [RatingItemDto], description: 'Every competency of the version, once' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_COMPETENCIES)
  @IsNestedObject(() => RatingItemDto, { each: true })
  ratings: RatingItemDto[];
}

/** From 1900; the service answers a day after today (its clock's) with its own wording. */
const RATED_ON_RANGE = { min: DATE_RANGE.min, max: CALENDAR_RANGE.max };

export class SupervisorRatingDto extends SelfRatingDto {
  @ApiPropertyOptional({ description: 'yyyy-MM-dd, not in the future; default today' })
  @IsOptional()
  @IsIsoDateIn(RATED_ON_RANGE)
  ratedOn?: string;

  @ApiPropertyOptional({
    description: 'yyyy-MM-dd, on or after ratedOn; default by source (RATING_VALIDITY_YEARS)',
  })
  @IsOptional()
  @IsIsoDateIn()
  validUntil?: string;
}

export class ListRatingsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  versionId?: string;
}

export class CurrentLevelsQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  versionId: string;
}

export class RatingDto {
  @ApiProperty() id: string;
  @ApiProperty() personId: string;
  @ApiProperty() versionId: string;
  @ApiProperty() competencyId: string;
  @ApiProperty() competencyCode: string;
  @ApiProperty() level: number;
  @ApiProperty({ enum: RATING_SOURCES }) source: RatingSource;
  @ApiProperty({ nullable: true }) raterPersonId: string | null;
  @ApiProperty({ description: 'yyyy-MM-dd' }) ratedOn: string;
  @ApiProperty({ description: 'yyyy-MM-dd, last day it counts' }) validUntil: string;
  @ApiProperty({ nullable: true }) note: string | null;
  @ApiProperty({ nullable: true }) sourceRef: { type: string; id: string } | null;
  @ApiProperty() createdAt: string;
}

export class RatingListDto {
  @ApiProperty({ type: [RatingDto] }) items: RatingDto[];
}

export class CurrentLevelDto {
  @ApiProperty() competencyId: string;
  @ApiProperty() code: string;
  @ApiProperty() domainCode: string;
  @ApiProperty() nameVi: string;
  @ApiProperty() nameEn: string;
  @ApiProperty({ nullable: true, description: 'null: no valid evidence' }) level: number | null;
  @ApiProperty({ nullable: true }) proficient: boolean | null;
  @ApiProperty({ nullable: true, enum: RATING_SOURCES }) source: RatingSource | null;
  @ApiProperty({ nullable: true }) ratedOn: string | null;
  @ApiProperty({ nullable: true }) validUntil: string | null;
  @ApiProperty({ nullable: true, description: 'Days since ratedOn' }) ageDays: number | null;
  @ApiProperty({ nullable: true }) ratingId: string | null;
  @ApiProperty({
    nullable: true,
    description:
      'The version the rating was made against: this one, or an earlier or later version holding ' +
      'the same competency (same lineageId)',
  })
  ratedVersionId: string | null;
}

export class CurrentLevelsDto {
  @ApiProperty() personId: string;
  @ApiProperty() versionId: string;
  @ApiProperty() policy: { kind: string; years: number | null };
  @ApiProperty() asOf: string;
  @ApiProperty({ type: [CurrentLevelDto] }) items: CurrentLevelDto[];
}
