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
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { UuidParam } from '../common/http/params';
import { Page } from '../common/pagination/page';
import { AssessmentAuthoringService } from './assessment-authoring.service';
import { AssessmentsService } from './assessments.service';
import { AttemptsService } from './attempts.service';
import {
  AssessmentDto,
  AttemptDto,
  AttemptResultDto,
  CreateAssessmentDto,
  ListMyAttemptsQueryDto,
  MyAttemptDto,
  ReplaceAssessmentDto,
  SaveAnswerDto,
  SavedAnswerDto,
  UpdateAssessmentDto,
  UpdateQuestionDto,
} from './dto/assessment.dto';
import { ApiErrors } from '../common/openapi/api-errors.decorator';

@ApiTags('assessments')
@Controller()
export class AssessmentsController {
  constructor(
    private readonly assessments: AssessmentsService,
    private readonly authoring: AssessmentAuthoringService,
    private readonly attempts: AttemptsService,
  ) {}

  @Post('assessments')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: AssessmentDto })
  @ApiOperation({
    summary: 'Tạo bài kiểm tra cho khóa học',
    description: 'Create an assessment (the final test of a course) as a lesson of a draft course',
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateAssessmentDto): Promise<AssessmentDto> {
    return this.authoring.create(actor, dto);
  }

  @Get('assessments/:id')
  @RequirePermission('training:read')
  @ApiOkResponse({
    type: AssessmentDto,
    description: 'The right answers only for staff who may change the course',
  })
  @ApiOperation({
    summary: 'Xem bài kiểm tra cùng câu hỏi và đáp án',
    description: 'An assessment with its questions and answer keys (staff)',
  })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<AssessmentDto> {
    return this.assessments.get(actor, id);
  }

  @Put('assessments/:id')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: AssessmentDto, description: 'Replaces a draft’s assessment whole' })
  @ApiOperation({
    summary: 'Thay toàn bộ nội dung bài kiểm tra',
    description: "Replace an assessment's settings and questions (drafts only)",
  })
  replace(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: ReplaceAssessmentDto,
  ): Promise<AssessmentDto> {
    return this.authoring.replace(actor, id, dto);
  }

  @Patch('assessments/:id')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: AssessmentDto, description: 'Settings of a draft’s assessment' })
  @ApiOperation({
    summary: 'Sửa thiết lập bài kiểm tra',
    description: 'Change some settings of an assessment',
  })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateAssessmentDto,
  ): Promise<AssessmentDto> {
    return this.authoring.update(actor, id, dto);
  }

  @Delete('assessments/:id')
  @HttpCode(204)
  @RequirePermission('training:manage')
  @ApiNoContentResponse({ description: 'Deleted with its questions and lesson (drafts only)' })
  @ApiOperation({
    summary: 'Xóa bài kiểm tra (chỉ bản nháp)',
    description: 'Delete an assessment with its questions and lesson (drafts only)',
  })
  remove(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<void> {
    return this.authoring.remove(actor, id);
  }

  @Patch('assessments/:id/questions/:questionId')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: AssessmentDto })
  @ApiOperation({
    summary: 'Sửa một câu hỏi của bài kiểm tra',
    description: 'Change one question of an assessment',
  })
  updateQuestion(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('questionId', UuidParam) questionId: string,
    @Body() dto: UpdateQuestionDto,
  ): Promise<AssessmentDto> {
    return this.authoring.updateQuestion(actor, id, questionId, dto);
  }

  @Post('assessments/:id/attempts')
  @RequirePermission('self:use')
  @ApiOkResponse({ type: AttemptDto })
  @ApiOperation({
    summary: 'Bắt đầu một lượt làm bài',
    description:
      'Start an attempt: the questions without their answer keys; one open attempt at a time',
  })
  start(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<AttemptDto> {
    return this.attempts.start(actor, id);
  }

  @Get('me/attempts')
  @RequirePermission('self:use')
  @ApiOkResponse({ type: [MyAttemptDto], description: 'Newest first, keyset pages' })
  @ApiOperation({
    summary: 'Các lượt làm bài của tôi',
    description: "The caller's attempts, newest first",
  })
  mine(
    @CurrentActor() actor: Actor,
    @Query() query: ListMyAttemptsQueryDto,
  ): Promise<Page<MyAttemptDto>> {
    return this.attempts.listMine(actor, query);
  }

  @Get('attempts/:id')
  @RequirePermission('self:use')
  @ApiOkResponse({
    type: AttemptDto,
    description: 'Once submitted: the result, and the review when the policy allows',
  })
  @ApiOperation({
    summary: 'Xem lượt làm bài của mình',
    description:
      "The caller's attempt: questions, saved answers, time left; results once submitted",
  })
  view(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<AttemptDto> {
    return this.attempts.view(actor, id);
  }

  @Put('attempts/:id/answers/:questionId')
  @RequirePermission('self:use')
  @ApiOkResponse({ type: SavedAnswerDto })
  @ApiOperation({
    summary: 'Lưu câu trả lời cho một câu hỏi',
    description: 'Save the answer to one question of an open attempt (again to change it)',
  })
  saveAnswer(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('questionId', UuidParam) questionId: string,
    @Body() dto: SaveAnswerDto,
  ): Promise<SavedAnswerDto> {
    return this.attempts.saveAnswer(actor, id, questionId, dto.selected);
  }

  @Post('attempts/:id/submit')
  @HttpCode(200)
  @RequirePermission('self:use')
  @ApiOkResponse({ type: AttemptResultDto })
  @ApiOperation({
    summary: 'Nộp bài và nhận kết quả',
    description:
      'Submit an attempt: graded at once; a pass completes the enrolment, records the training and issues the certificate in one transaction',
  })
  @ApiErrors('ATTEMPT_NOT_FOUND', 'ATTEMPT_CLOSED')
  submit(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<AttemptResultDto> {
    return this.attempts.submit(actor, id);
  }
}
