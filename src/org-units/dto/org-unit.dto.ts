import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
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
} from 'class-validator';
import { IsOmittable, Trim } from '../../common/http/validators';
import { PageQueryDto } from '../../common/pagination/page';
import { ORG_LEVELS, ORG_STATUSES, OrgLevel, OrgStatus, Sector, SECTORS } from '../org-unit.types';

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const PROVINCE = /^[0-9]{2}$/;

export class CreateOrgUnitDto {
  @ApiProperty({ example: '01-HK-001', description: 'Unique code: letters, digits, . _ -' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  @Matches(CODE)
  code: string;

  @ApiProperty({ example: 'Công đoàn cơ sở Công ty TNHH May Hà Đông' })
  @Trim()
  @IsString()
  @MinLength(2)
  @MaxLength(300)
  name: string;

  @ApiProperty({ enum: ORG_LEVELS })
  @IsIn(ORG_LEVELS)
  level: OrgLevel;

  @ApiPropertyOptional({ enum: SECTORS, description: 'Grassroots units and sub-units only' })
  @IsOptional()
  @IsIn(SECTORS)
  sector?: Sector;

  @ApiPropertyOptional({ example: '01', description: 'Province code after the 2025 merger' })
  @IsOptional()
  @Matches(PROVINCE)
  provinceCode?: string;

  @ApiProperty({ format: 'uuid', description: 'The unit directly above' })
  @IsUUID()
  parentId: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 10_000_000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  memberCount?: number;
}

export class UpdateOrgUnitDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  @Matches(CODE)
  code?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @Trim()
  @IsString()
  @MinLength(2)
  @MaxLength(300)
  name?: string;

  @ApiPropertyOptional({ enum: SECTORS, nullable: true, description: 'null clears it' })
  @IsOptional()
  @IsIn(SECTORS)
  sector?: Sector | null;

  @ApiPropertyOptional({ nullable: true, description: 'null clears it' })
  @IsOptional()
  @Matches(PROVINCE)
  provinceCode?: string | null;

  @ApiPropertyOptional({ minimum: 0, maximum: 10_000_000 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  memberCount?: number;
}

export class MoveOrgUnitDto {
  @ApiProperty({ format: 'uuid', description: 'The new parent' })
  @IsUUID()
  parentId: string;
}

const toBool = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class ListOrgUnitsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'List the direct children of this unit' })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Search the whole subtree of this unit (default: everything in scope)',
  })
  @IsOptional()
  @IsUUID()
  under?: string;

  @ApiPropertyOptional({
    description: 'Name or code; diacritics optional ("ha noi" finds "Hà Nội")',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: ORG_LEVELS })
  @IsOptional()
  @IsIn(ORG_LEVELS)
  level?: OrgLevel;

  @ApiPropertyOptional({ enum: SECTORS })
  @IsOptional()
  @IsIn(SECTORS)
  sector?: Sector;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  includeArchived?: boolean;
}

export class OrgUnitDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ORG_LEVELS }) level: OrgLevel;
  @ApiProperty({ enum: SECTORS, nullable: true }) sector: Sector | null;
  @ApiProperty({ nullable: true }) provinceCode: string | null;
  @ApiProperty({ nullable: true }) parentId: string | null;
  @ApiProperty() depth: number;
  @ApiProperty() memberCount: number;
  @ApiProperty({ enum: ORG_STATUSES }) status: OrgStatus;
}
