import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsUUID, Max, Min } from 'class-validator';
import { IsNestedObject } from '../common/http/validators';

/** The most competencies one course may declare; a course develops a handful. */
export const MAX_COURSE_COMPETENCIES = 50;

export class CourseCompetencyInputDto {
  @ApiProperty({
    format: 'uuid',
    description: 'A competency of any published framework version; stored as its lineage',
  })
  @IsUUID()
  competencyId: string;

  @ApiProperty({ minimum: 1, maximum: 10, description: 'The level the course develops it to' })
  @IsInt()
  @Min(1)
  @Max(10)
  level: number;
}

export class PutCourseCompetenciesDto {
  @ApiProperty({ type: [CourseCompetencyInputDto], description: 'Replaces the whole set' })
  @IsArray()
  @ArrayMaxSize(MAX_COURSE_COMPETENCIES)
  @IsNestedObject(() => CourseCompetencyInputDto, { each: true })
  items: CourseCompetencyInputDto[];
}

export class CourseCompetencyDto {
  @ApiProperty({ format: 'uuid' })
  competencyLineageId: string;

  @ApiProperty({
    format: 'uuid',
    description: 'The competency of this lineage in the latest published version',
  })
  competencyId: string;

  @ApiProperty({ format: 'uuid' })
  versionId: string;

  @ApiProperty({ example: 'KNL-CTCĐCS' })
  frameworkCode: string;

  @ApiProperty({ example: 'C1' })
  code: string;

  @ApiProperty()
  nameVi: string;

  @ApiProperty()
  nameEn: string;

  @ApiProperty({ minimum: 1 })
  level: number;
}

export class CourseCompetencyListDto {
  @ApiProperty({ format: 'uuid' })
  courseId: string;

  @ApiProperty({ type: [CourseCompetencyDto] })
  items: CourseCompetencyDto[];
}
