import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { UuidParam } from '../common/http/params';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { AccommodationsService } from './accommodations.service';
import { BlueprintService } from './blueprint.service';
import { DrawnAttemptsService } from './drawn-attempts.service';
import { AccommodationDto, GrantAccommodationDto } from './dto/accommodation.dto';
import { AssessmentWindowDto, BlueprintDto, ReplaceBlueprintDto } from './dto/blueprint.dto';
import { SavedResponseDto, SaveResponseDto } from './dto/drawn-attempt.dto';

/**
 * Assessments drawn from question banks (issue 16): the blueprint and window an officer sets,
 * the accommodations they grant, and the learner's autosave of a response to a drawn question.
 * Starting, viewing and submitting an attempt keep their routes (AssessmentsController).
 */
@ApiTags('assessments')
@Controller()
export class ExamController {
  constructor(
    private readonly blueprints: BlueprintService,
    private readonly accommodations: AccommodationsService,
    private readonly drawn: DrawnAttemptsService,
  ) {}

  @Get('assessments/:id/blueprint')
  @RequirePermission('training:read')
  @ApiOkResponse({ type: BlueprintDto })
  @ApiOperation({
    summary: 'Xem cấu trúc đề rút từ ngân hàng',
    description: 'The blueprint: sections, fixed questions and draw rules, with what each can draw',
  })
  getBlueprint(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<BlueprintDto> {
    return this.blueprints.get(actor, id);
  }

  @Put('assessments/:id/blueprint')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: BlueprintDto })
  @ApiOperation({
    summary: 'Đặt cấu trúc đề rút từ ngân hàng (bản nháp)',
    description:
      'Replace the blueprint of a draft’s assessment: attempts then draw from banks (its own questions are removed)',
  })
  @ApiErrors('ASSESSMENT_POOL_SHORT', 'BLUEPRINT_RULE_UNKNOWN', 'COURSE_LOCKED')
  putBlueprint(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: ReplaceBlueprintDto,
  ): Promise<BlueprintDto> {
    return this.blueprints.replace(actor, id, dto);
  }

  @Put('assessments/:id/window')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: BlueprintDto })
  @ApiOperation({
    summary: 'Đặt thời gian mở và đóng bài kiểm tra',
    description: 'When attempts may start; attempts end at the close at the latest',
  })
  putWindow(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: AssessmentWindowDto,
  ): Promise<BlueprintDto> {
    return this.blueprints.setWindow(actor, id, dto);
  }

  @Get('assessments/:id/accommodations')
  @RequirePermission('training:read')
  @ApiOkResponse({ type: [AccommodationDto], description: 'Newest first, revoked ones too' })
  @ApiOperation({
    summary: 'Các điều chỉnh dành cho người học',
    description: 'Extra time and attempts granted on the assessment, in the reader’s scope',
  })
  listAccommodations(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<AccommodationDto[]> {
    return this.accommodations.list(actor, id);
  }

  @Put('assessments/:id/accommodations/:personId')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: AccommodationDto })
  @ApiOperation({
    summary: 'Cho thêm thời gian hoặc lượt làm bài',
    description: 'Grant (or replace) an accommodation for an enrolled person, with a reason',
  })
  grant(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('personId', UuidParam) personId: string,
    @Body() dto: GrantAccommodationDto,
  ): Promise<AccommodationDto> {
    return this.accommodations.grant(actor, id, personId, dto);
  }

  @Post('assessments/:id/accommodations/:personId/revoke')
  @HttpCode(200)
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: AccommodationDto })
  @ApiOperation({
    summary: 'Thu hồi điều chỉnh',
    description: 'End the current accommodation (kept in the history)',
  })
  @ApiErrors('ACCOMMODATION_NOT_ACTIVE')
  revoke(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('personId', UuidParam) personId: string,
  ): Promise<AccommodationDto> {
    return this.accommodations.revoke(actor, id, personId);
  }

  @Put('attempts/:id/responses/:questionId')
  @RequirePermission('self:use')
  @ApiOkResponse({ type: SavedResponseDto })
  @ApiOperation({
    summary: 'Lưu câu trả lời (đề rút từ ngân hàng)',
    description: 'Autosave the response to one question of an open drawn attempt',
  })
  @ApiErrors('ATTEMPT_NOT_FOUND', 'QUESTION_NOT_FOUND', 'ATTEMPT_CLOSED', 'RESPONSE_INVALID')
  saveResponse(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('questionId', UuidParam) questionId: string,
    @Body() dto: SaveResponseDto,
  ): Promise<SavedResponseDto> {
    return this.drawn.saveResponse(actor, id, questionId, dto.response);
  }
}
