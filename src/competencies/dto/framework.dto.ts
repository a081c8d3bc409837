import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { IsNestedObject, Trim } from '../../common/http/validators';
import { PageQueryDto } from '../../common/pagination/page';
import {
  CURRENT_LEVEL_POLICIES,
  CurrentLevelPolicy,
  FRAMEWORK_VERSION_STATUSES,
  FrameworkVersionStatus,
} from '../competency.types';

export const CODE_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,39}$/u;
export const MAX_LEVELS = 10;
export const MAX_COMPETENCIES = 200;

export class ScaleLevelInputDto {
  @ApiProperty({ minimum: 1, maximum: MAX_LEVELS, description: '1..n, in order, no gaps' })
  @IsInt()
  @Min(1)
  @Max(MAX_LEVELS)
  level: number;

  @ApiProperty({ example: 'Vận dụng' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  nameVi: string;

  @ApiProperty({ example: 'Applies' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  nameEn: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  descriptionVi?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  descriptionEn?: string;
}

export class ScaleInputDto {
  @ApiProperty({ type: [ScaleLevelInputDto], minItems: 2, maxItems: MAX_LEVELS })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(MAX_LEVELS)
  @IsNestedObject(() => ScaleLevelInputDto, { each: true })
  levels: ScaleLevelInputDto[];

  @ApiProperty({ description: 'The level from which a person counts as proficient' })
  @IsInt()
  @Min(1)
  @Max(MAX_LEVELS)
  proficientLevel: number;
}

export class PolicyInputDto {
  @ApiProperty({ enum: CURRENT_LEVEL_POLICIES })
  @IsIn(CURRENT_LEVEL_POLICIES)
  kind: CurrentLevelPolicy;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 50,
    description: 'Required for highest_valid_within_years, refused otherwise',
  })
  @ValidateIf(
    (o: PolicyInputDto) => o.kind === 'highest_valid_within_years' || o.years !== undefined,
  )
  @IsInt()
  @Min(1)
  @Max(50)
  years?: number;
}

export class DomainInputDto {
  @ApiProperty({ example: 'D1' })
  @IsString()
  @Matches(CODE_PATTERN)
  code: string;

  @ApiProperty()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  nameVi: string;

  @ApiProperty()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  nameEn: string;
}

export class IndicatorInputDto {
  @ApiProperty({ minimum: 1, maximum: MAX_LEVELS })
  @IsInt()
  @Min(1)
  @Max(MAX_LEVELS)
  level: number;

  @ApiProperty()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  textVi: string;

  @ApiProperty()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  textEn: string;
}

/** A competency's content, without its code (the code is in the path of PUT). */
export class CompetencyBodyDto {
  @ApiProperty({ description: 'Code of a domain of the same version' })
  @IsString()
  @Matches(CODE_PATTERN)
  domainCode: string;

  @ApiProperty()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  nameVi: string;

  @ApiProperty()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  nameEn: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  descriptionVi?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  descriptionEn?: string;

  @ApiPropertyOptional({
    description: 'Position among the version’s competencies; defaults to the end',
    minimum: 1,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_COMPETENCIES)
  position?: number;

  @ApiProperty({ type: [IndicatorInputDto], description: 'Behaviour indicators, one per level' })
  @IsArray()
  @ArrayMaxSize(MAX_LEVELS)
  @IsNestedObject(() => IndicatorInputDto, { each: true })
  indicators: IndicatorInputDto[];
}

export class CompetencyInputDto extends CompetencyBodyDto {
  @ApiProperty({ example: 'C1', description: 'Unique within the version' })
  @IsString()
  @Matches(CODE_PATTERN)
  code: string;
}

export class VersionInputDto {
  @ApiProperty({ type: ScaleInputDto })
  @IsNestedObject(() => ScaleInputDto)
  scale: ScaleInputDto;

  @ApiProperty({ type: PolicyInputDto })
  @IsNestedObject(() => PolicyInputDto)
  policy: PolicyInputDto;

  @ApiProperty({ type: [DomainInputDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsNestedObject(() => DomainInputDto, { each: true })
  domains: DomainInputDto[];

  @ApiProperty({ type: [CompetencyInputDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_COMPETENCIES)
  @IsNestedObject(() => CompetencyInputDto, { each: true })
  competencies: CompetencyInputDto[];
}

export class CreateFrameworkDto {
  @ApiProperty({ example: 'KNL-CTCĐCS' })
  @IsString()
  @Matches(CODE_PATTERN)
  code: string;

  @ApiProperty()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  nameVi: string;

  @ApiProperty()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  nameEn: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiProperty({ format: 'uuid', description: 'The confederation or a federation in scope' })
  @IsUUID()
  ownerOrgUnitId: string;

  @ApiProperty({ type: VersionInputDto, description: 'Version 1, created as a draft' })
  @IsNestedObject(() => VersionInputDto)
  version: VersionInputDto;
}

/** Changes to a draft version's settings. */
export class UpdateVersionDto {
  @ApiPropertyOptional({ type: PolicyInputDto })
  @IsOptional()
  @IsNestedObject(() => PolicyInputDto)
  policy?: PolicyInputDto;

  @ApiPropertyOptional({ description: 'A level of the scale' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_LEVELS)
  proficientLevel?: number;
}

/** Adds or renames a domain of a draft version (the code is in the path). */
export class DomainBodyDto {
  @ApiProperty()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  nameVi: string;

  @ApiProperty()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  nameEn: string;
}

export class ListFrameworksQueryDto extends PageQueryDto {}

export class ScaleLevelDto {
  @ApiProperty() level: number;
  @ApiProperty() nameVi: string;
  @ApiProperty() nameEn: string;
  @ApiProperty({ nullable: true }) descriptionVi: string | null;
  @ApiProperty({ nullable: true }) descriptionEn: string | null;
}

export class DomainDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() nameVi: string;
  @ApiProperty() nameEn: string;
  @ApiProperty() position: number;
}

export class IndicatorDto {
  @ApiProperty() level: number;
  @ApiProperty() textVi: string;
  @ApiProperty() textEn: string;
}

export class CompetencyDto {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'The same for this competency in every version' })
  lineageId: string;
  @ApiProperty() code: string;
  @ApiProperty() domainCode: string;
  @ApiProperty() nameVi: string;
  @ApiProperty() nameEn: string;
  @ApiProperty({ nullable: true }) descriptionVi: string | null;
  @ApiProperty({ nullable: true }) descriptionEn: string | null;
  @ApiProperty() position: number;
  @ApiProperty({ type: [IndicatorDto] }) indicators: IndicatorDto[];
}

export class VersionSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty() frameworkId: string;
  @ApiProperty() versionNo: number;
  @ApiProperty({ enum: FRAMEWORK_VERSION_STATUSES }) status: FrameworkVersionStatus;
  @ApiProperty({ description: 'Published and retired versions never change' }) locked: boolean;
  @ApiProperty() proficientLevel: number;
  @ApiProperty() policy: { kind: CurrentLevelPolicy; years: number | null };
  @ApiProperty({ nullable: true }) copiedFromId: string | null;
  @ApiProperty({ nullable: true }) publishedAt: string | null;
  @ApiProperty({ nullable: true }) retiredAt: string | null;
}

export class FrameworkDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() nameVi: string;
  @ApiProperty() nameEn: string;
  @ApiProperty({ nullable: true }) description: string | null;
  @ApiProperty() ownerOrgUnitId: string;
  @ApiProperty({ type: [VersionSummaryDto] }) versions: VersionSummaryDto[];
}

export class VersionDto extends VersionSummaryDto {
  @ApiProperty() framework: { id: string; code: string; nameVi: string; nameEn: string };
  @ApiProperty({ type: [ScaleLevelDto] }) scale: ScaleLevelDto[];
  @ApiProperty({ type: [DomainDto] }) domains: DomainDto[];
  @ApiProperty({ type: [CompetencyDto] }) competencies: CompetencyDto[];
}
