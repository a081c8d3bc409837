import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsOmittable, Trim } from '../../common/http/validators';
import { PageQueryDto } from '../../common/pagination/page';
import { POST_TYPES, PostType } from '../post-types';
import { EMPLOYMENT_KINDS, EmploymentKind, POST_STATUSES, PostStatus } from '../post.types';

export class CreatePostDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  orgUnitId: string;

  @ApiProperty({ enum: POST_TYPES })
  @IsIn(POST_TYPES)
  postType: PostType;

  @ApiPropertyOptional({
    example: 'Chủ tịch',
    description: 'Defaults to the Vietnamese name of the post type',
  })
  @IsOmittable()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ enum: EMPLOYMENT_KINDS, default: 'part_time' })
  @IsOmittable()
  @IsIn(EMPLOYMENT_KINDS)
  employment?: EmploymentKind;

  @ApiPropertyOptional({
    description: 'Default: true for chair, inspection_chair and women_head; false otherwise',
  })
  @IsOmittable()
  @IsBoolean()
  singleHolder?: boolean;

  @ApiPropertyOptional({ description: 'Default: true for chair and vice_chair' })
  @IsOmittable()
  @IsBoolean()
  keyPost?: boolean;
}

/** The unit and type of a post never change: appointments to it keep their meaning. */
export class UpdatePostDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ enum: EMPLOYMENT_KINDS })
  @IsOmittable()
  @IsIn(EMPLOYMENT_KINDS)
  employment?: EmploymentKind;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean()
  singleHolder?: boolean;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean()
  keyPost?: boolean;

  @ApiPropertyOptional({ enum: POST_STATUSES })
  @IsOmittable()
  @IsIn(POST_STATUSES)
  status?: PostStatus;
}

const toBool = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class ListPostsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  includeArchived?: boolean;
}

export class PostDto {
  @ApiProperty() id: string;
  @ApiProperty() orgUnitId: string;
  @ApiProperty({ enum: POST_TYPES }) postType: PostType;
  @ApiProperty() title: string;
  @ApiProperty({ enum: EMPLOYMENT_KINDS }) employment: EmploymentKind;
  @ApiProperty() singleHolder: boolean;
  @ApiProperty() keyPost: boolean;
  @ApiProperty({ enum: POST_STATUSES }) status: PostStatus;
}
