import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { UuidParam } from '../common/http/params';
import { Page, PageQueryDto } from '../common/pagination/page';
import { CourseCompetencyListDto, PutCourseCompetenciesDto } from './course-competencies.dto';
import { CourseCompetenciesService } from './course-competencies.service';
import { CoursesService } from './courses.service';
import {
  CourseDto,
  CreateCourseDto,
  CreateLessonDto,
  EnrolDto,
  EnrolmentListDto,
  LessonDto,
  ListCoursesQueryDto,
  ManualCompletionDto,
  ManualCompletionRequestDto,
  MyEnrolmentDto,
} from './dto/course.dto';
import { EnrolmentsService } from './enrolments.service';

@ApiTags('courses')
@Controller('courses')
export class CoursesController {
  constructor(
    private readonly courses: CoursesService,
    private readonly courseCompetencies: CourseCompetenciesService,
  ) {}

  @Get()
  @RequirePermission('training:read')
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListCoursesQueryDto,
  ): Promise<Page<CourseDto>> {
    return this.courses.list(actor, query);
  }

  @Post()
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: CourseDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateCourseDto): Promise<CourseDto> {
    return this.courses.create(actor, dto);
  }

  @Get(':id')
  @RequirePermission('self:use')
  @ApiOkResponse({ type: CourseDto, description: 'Staff in scope, or an enrolled learner' })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<CourseDto> {
    return this.courses.get(actor, id);
  }

  @Post(':id/lessons')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: LessonDto })
  addLesson(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: CreateLessonDto,
  ): Promise<LessonDto> {
    return this.courses.addLesson(actor, id, dto);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: CourseDto })
  publish(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<CourseDto> {
    return this.courses.publish(actor, id);
  }

  @Get(':id/competencies')
  @RequirePermission('training:read')
  @ApiOkResponse({ type: CourseCompetencyListDto })
  competencies(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<CourseCompetencyListDto> {
    return this.courseCompetencies.list(actor, id);
  }

  @Put(':id/competencies')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: CourseCompetencyListDto, description: 'Replaces the set' })
  putCompetencies(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: PutCourseCompetenciesDto,
  ): Promise<CourseCompetencyListDto> {
    return this.courseCompetencies.replace(actor, id, dto);
  }
}

@ApiTags('enrolments')
@Controller()
export class EnrolmentsController {
  constructor(private readonly enrolments: EnrolmentsService) {}

  @Post('enrolments')
  @HttpCode(200)
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: EnrolmentListDto })
  enrol(@CurrentActor() actor: Actor, @Body() dto: EnrolDto): Promise<EnrolmentListDto> {
    return this.enrolments.enrol(actor, dto);
  }

  @Get('me/enrolments')
  @RequirePermission('self:use')
  mine(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<Page<MyEnrolmentDto>> {
    return this.enrolments.mine(actor, query);
  }

  @Post('enrolments/:id/complete')
  @HttpCode(200)
  @RequirePermission('training:manage')
  @ApiOperation({
    summary:
      'Complete an enrolment by hand (recognition of prior learning), with the reason: ' +
      'certificate, transcript line and programme progress follow; audited',
  })
  @ApiOkResponse({ type: ManualCompletionDto })
  completeByOfficer(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: ManualCompletionRequestDto,
  ): Promise<ManualCompletionDto> {
    return this.enrolments.completeByOfficer(actor, id, dto.reason);
  }

  @Post('enrolments/:id/lessons/:lessonId/complete')
  @HttpCode(200)
  @RequirePermission('self:use')
  @ApiOkResponse({ type: MyEnrolmentDto })
  completeLesson(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('lessonId', UuidParam) lessonId: string,
  ): Promise<MyEnrolmentDto> {
    return this.enrolments.completeLesson(actor, id, lessonId);
  }
}
