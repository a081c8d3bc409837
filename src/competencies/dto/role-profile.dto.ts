import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { ORG_LEVELS, OrgLevel, Sector, SECTORS } from '../../org-units/org-unit.types';
import { POST_TYPES, PostType } from '../../posts/post-types';
import { CODE_PATTERN, MAX_COMPETENCIES, MAX_LEVELS } from './framework.dto';
import { IsNestedObject } from '../../common/http/validators';

export class RequirementInputDto {
  @ApiProperty({ example: 'C1' })
  @IsString()
  @Matches(CODE_PATTERN)
  competencyCode: string;

  @ApiProperty({ minimum: 1, description: 'A level of the version’s scale' })
  @IsInt()
  @Min(1)
  @Max(MAX_LEVELS)
  requiredLevel: number;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  critical?: boolean;
}

export class CreateRoleProfileDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  versionId: string;

  @ApiProperty({ enum: POST_TYPES })
  @IsIn(POST_TYPES)
  postType: PostType;

  @ApiPropertyOptional({ enum: ORG_LEVELS, description: 'Omitted: any org level' })
  @IsOptional()
  @IsIn(ORG_LEVELS)
  orgLevel?: OrgLevel;

  @ApiPropertyOptional({ enum: SECTORS, description: 'Omitted: any sector' })
  @IsOptional()
  @IsIn(SECTORS)
  sector?: Sector;

  @ApiProperty({ type: [RequirementInputDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_COMPETENCIES)
  @IsNestedObject(() => RequirementInputDto, { each: true })
  requirements: RequirementInputDto[];
}

/** The whole new list of a profile's requirements (PUT /role-profiles/:id/requirements). */
export class ReplaceRequirementsDto {
  @ApiProperty({ type: [RequirementInputDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_COMPETENCIES)
  @IsNestedObject(() => RequirementInputDto, { each: true })
  requirements: RequirementInputDto[];
}

/** One requirement, its competency named in the path (PUT /role-profiles/:id/requirements/:code). */
export class RequirementBodyDto {
  @ApiProperty({ minimum: 1, description: 'A level of the version’s scale' })
  @IsInt()
  @Min(1)
  @Max(MAX_LEVELS)
  requiredLevel: number;

  @ApiPropertyOptional({
    description: 'Left out: the requirement keeps its flag (false for a new requirement)',
  })
  @IsOptional()
  @IsBoolean()
  critical?: boolean;
}

export class ListRoleProfilesQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  versionId: string;
}

export class ResolveRoleProfileQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  versionId: string;

  @ApiProperty({ enum: POST_TYPES })
  @IsIn(POST_TYPES)
  postType: PostType;

  @ApiPropertyOptional({ enum: ORG_LEVELS })
  @IsOptional()
  @IsIn(ORG_LEVELS)
  orgLevel?: OrgLevel;

  @ApiPropertyOptional({ enum: SECTORS })
  @IsOptional()
  @IsIn(SECTORS)
  sector?: Sector;
}

export class RequirementDto {
  @ApiProperty() competencyId: string;
  @ApiProperty() competencyCode: string;
  @ApiProperty() nameVi: string;
  @ApiProperty() nameEn: string;
  @ApiProperty() requiredLevel: number;
  @ApiProperty() critical: boolean;
}

export class RoleProfileDto {
  @ApiProperty() id: string;
  @ApiProperty() versionId: string;
  @ApiProperty({ enum: POST_TYPES }) postType: PostType;
  @ApiProperty({ nullable: true, enum: ORG_LEVELS }) orgLevel: OrgLevel | null;
  @ApiProperty({ nullable: true, enum: SECTORS }) sector: Sector | null;
  @ApiProperty({ type: [RequirementDto] }) requirements: RequirementDto[];
}

export class RoleProfileListDto {
  @ApiProperty({ type: [RoleProfileDto] }) items: RoleProfileDto[];
}
