import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { UuidParam } from '../common/http/params';
import { Page, PageQueryDto } from '../common/pagination/page';
import { CourseCompetencyListDto, PutCourseCompetenciesDto } from './course-competencies.dto';
import { CourseCompetenciesService } from './course-competencies.service';
import { CourseLessonsService } from './course-lessons.service';
import { CourseVersionsService } from './course-versions.service';
import { CoursesService } from './courses.service';
import {
  CopyCourseDto,
  CourseDto,
  CourseVersionListDto,
  CreateCourseDto,
  CreateLessonDto,
  EnrolDto,
  EnrolmentListDto,
  LessonDto,
  ListCoursesQueryDto,
  ManualCompletionDto,
  ManualCompletionRequestDto,
  MyEnrolmentDto,
  NewVersionDto,
  ReorderLessonsDto,
  RetireCourseDto,
  UpdateCourseDto,
  UpdateLessonDto,
} from './dto/course.dto';
import { EnrolmentsService } from './enrolments.service';

@ApiTags('courses')
@Controller('courses')
export class CoursesController {
  constructor(
    private readonly courses: CoursesService,
    private readonly lessons: CourseLessonsService,
    private readonly versions: CourseVersionsService,
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

  @Patch(':id')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: CourseDto, description: 'Corrects a draft version' })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateCourseDto,
  ): Promise<CourseDto> {
    return this.courses.update(actor, id, dto);
  }

  @Post(':id/lessons')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: LessonDto })
  addLesson(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: CreateLessonDto,
  ): Promise<LessonDto> {
    return this.lessons.add(actor, id, dto);
  }

  @Put(':id/lessons/order')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: CourseDto, description: 'Every lesson of the draft, in the new order' })
  reorderLessons(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: ReorderLessonsDto,
  ): Promise<CourseDto> {
    return this.lessons.reorder(actor, id, dto);
  }

  @Patch(':id/lessons/:lessonId')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: LessonDto })
  updateLesson(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('lessonId', UuidParam) lessonId: string,
    @Body() dto: UpdateLessonDto,
  ): Promise<LessonDto> {
    return this.lessons.update(actor, id, lessonId, dto);
  }

  @Delete(':id/lessons/:lessonId')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: CourseDto, description: 'The draft without the lesson, renumbered' })
  deleteLesson(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('lessonId', UuidParam) lessonId: string,
  ): Promise<CourseDto> {
    return this.lessons.remove(actor, id, lessonId);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: CourseDto, description: 'Supersedes the published version, if any' })
  publish(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<CourseDto> {
    return this.versions.publish(actor, id);
  }

  @Get(':id/versions')
  @RequirePermission('training:read')
  @ApiOkResponse({ type: CourseVersionListDto })
  listVersions(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<CourseVersionListDto> {
    return this.courses.versions(actor, id);
  }

  @Post(':id/versions')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: CourseDto, description: 'A draft copy of this version, numbered next' })
  newVersion(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: NewVersionDto,
  ): Promise<CourseDto> {
    return this.versions.newVersion(actor, id, dto);
  }

  @Post(':id/retire')
  @HttpCode(200)
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: CourseDto, description: 'No new enrolments; learners finish' })
  retire(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: RetireCourseDto,
  ): Promise<CourseDto> {
    return this.versions.retire(actor, id, dto);
  }

  @Post(':id/copy')
  @RequirePermission('training:manage')
  @ApiOkResponse({
    type: CourseDto,
    description: 'A new course (new code, draft) with this content',
  })
  copy(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: CopyCourseDto,
  ): Promise<CourseDto> {
    return this.versions.copy(actor, id, dto);
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
