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
import { ApiPageResponse } from '../common/openapi/api-page.decorator';
import { ApiErrors } from '../common/openapi/api-errors.decorator';

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
  @ApiOperation({
    summary: 'Danh sách khóa học',
    description:
      'Courses the caller may see (own subtree, or published above it), with filters, keyset paged',
  })
  @ApiPageResponse(CourseDto)
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListCoursesQueryDto,
  ): Promise<Page<CourseDto>> {
    return this.courses.list(actor, query);
  }

  @Post()
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: CourseDto })
  @ApiOperation({
    summary: 'Tạo khóa học (bản nháp)',
    description: "Create a course as a draft, owned by a unit in the caller's scope",
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateCourseDto): Promise<CourseDto> {
    return this.courses.create(actor, dto);
  }

  @Get(':id')
  @RequirePermission('self:use')
  @ApiOkResponse({ type: CourseDto, description: 'Staff in scope, or an enrolled learner' })
  @ApiOperation({
    summary: 'Xem khóa học cùng các bài học',
    description: 'A course with its lessons',
  })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<CourseDto> {
    return this.courses.get(actor, id);
  }

  @Patch(':id')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: CourseDto, description: 'Corrects a draft version' })
  @ApiOperation({
    summary: 'Sửa thông tin khóa học',
    description: 'Change some fields of a course',
  })
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
  @ApiOperation({
    summary: 'Thêm bài học vào khóa học',
    description: 'Add a lesson to a draft course',
  })
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
  @ApiOperation({
    summary: 'Sắp xếp lại thứ tự bài học',
    description: 'Reorder the lessons of a draft course',
  })
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
  @ApiOperation({ summary: 'Sửa một bài học', description: 'Change a lesson of a draft course' })
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
  @ApiOperation({ summary: 'Xóa một bài học', description: 'Delete a lesson of a draft course' })
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
  @ApiOperation({
    summary: 'Công bố khóa học',
    description: 'Publish a draft course: learners can enrol; its content is then locked',
  })
  publish(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<CourseDto> {
    return this.versions.publish(actor, id);
  }

  @Get(':id/versions')
  @RequirePermission('training:read')
  @ApiOkResponse({ type: CourseVersionListDto })
  @ApiOperation({ summary: 'Các phiên bản của khóa học', description: 'The versions of a course' })
  listVersions(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<CourseVersionListDto> {
    return this.courses.versions(actor, id);
  }

  @Post(':id/versions')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: CourseDto, description: 'A draft copy of this version, numbered next' })
  @ApiOperation({
    summary: 'Tạo phiên bản mới của khóa học',
    description: 'Start a new draft version of a published course',
  })
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
  @ApiOperation({ summary: 'Ngừng khóa học', description: 'Retire a course' })
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
  @ApiOperation({
    summary: 'Sao chép khóa học thành bản nháp mới',
    description: 'Copy a course into a new draft with a new code',
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
  @ApiOperation({
    summary: 'Năng lực mà khóa học bồi dưỡng',
    description: 'Competencies a course develops, with the level it brings them to',
  })
  competencies(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<CourseCompetencyListDto> {
    return this.courseCompetencies.list(actor, id);
  }

  @Put(':id/competencies')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: CourseCompetencyListDto, description: 'Replaces the set' })
  @ApiOperation({
    summary: 'Đặt danh sách năng lực của khóa học',
    description: 'Replace the competencies a course develops',
  })
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
  @ApiOperation({
    summary: 'Ghi danh học viên vào khóa học',
    description: "Enrol the caller, or people in the officer's scope, in a published course",
  })
  @ApiErrors(
    'COURSE_NOT_FOUND',
    'PERSON_NOT_FOUND',
    'COURSE_NOT_PUBLISHED',
    'COURSE_RETIRED',
    'DUE_DATE_IN_PAST',
  )
  enrol(@CurrentActor() actor: Actor, @Body() dto: EnrolDto): Promise<EnrolmentListDto> {
    return this.enrolments.enrol(actor, dto);
  }

  @Get('me/enrolments')
  @RequirePermission('self:use')
  @ApiOperation({
    summary: 'Các khóa học tôi đã ghi danh',
    description: "The caller's enrolments with progress, keyset paged",
  })
  @ApiPageResponse(MyEnrolmentDto)
  mine(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<Page<MyEnrolmentDto>> {
    return this.enrolments.mine(actor, query);
  }

  @Post('enrolments/:id/complete')
  @HttpCode(200)
  @RequirePermission('training:manage')
  @ApiOperation({
    summary: 'Công nhận hoàn thành khóa học',
    description:
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
  @ApiOperation({
    summary: 'Đánh dấu hoàn thành một bài học',
    description:
      'Mark a lesson of an enrolment complete; the enrolment completes when its completion rule is met',
  })
  completeLesson(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('lessonId', UuidParam) lessonId: string,
  ): Promise<MyEnrolmentDto> {
    return this.enrolments.completeLesson(actor, id, lessonId);
  }
}
