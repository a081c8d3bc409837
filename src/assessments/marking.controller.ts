import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { UuidParam } from '../common/http/params';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import {
  MarkingQueueDto,
  MarkingQueueQueryDto,
  MarkItemDto,
  MarkResultDto,
  ReleaseMarkedDto,
  ReleaseOutcomeDto,
} from './dto/marking.dto';
import { MarkingService } from './marking.service';

/**
 * The manual grading queue of an assessment (issue 16, item 3): what waits for a mark, the mark
 * of one answer (an essay per rubric criterion, an override of any other answer) and the
 * release of the results whose every answer is final.
 */
@ApiTags('assessments')
@Controller()
export class MarkingController {
  constructor(private readonly marking: MarkingService) {}

  @Get('assessments/:id/marking')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: MarkingQueueDto })
  @ApiOperation({
    summary: 'Hàng đợi chấm bài',
    description:
      'Answers waiting for a first, second or third mark, of submitted and unreleased attempts ' +
      'by learners in the officer’s subtree, oldest submission first; with the count of attempts ready to release',
  })
  @ApiErrors('INVALID_CURSOR')
  queue(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: MarkingQueueQueryDto,
  ): Promise<MarkingQueueDto> {
    return this.marking.queue(actor, id, query);
  }

  @Put('attempts/:attemptId/items/:position/mark')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: MarkResultDto })
  @ApiOperation({
    summary: 'Chấm một câu trả lời',
    description:
      'An essay per rubric criterion (the caller’s own marker slot, or the next one it waits ' +
      'for), or an override of an auto-graded answer with points and a reason. A released ' +
      'result is recomputed. Every mark is kept and audited.',
  })
  @ApiErrors(
    'ATTEMPT_NOT_FOUND',
    'QUESTION_NOT_FOUND',
    'ATTEMPT_NOT_SUBMITTED',
    'MARK_OWN_ATTEMPT',
    'MARK_NOT_NEEDED',
    'MARKER_HOLDS_SLOT',
    'MARK_LEAVES_NO_FINAL',
  )
  mark(
    @CurrentActor() actor: Actor,
    @Param('attemptId', UuidParam) attemptId: string,
    // Read by the service once the attempt is found: an attempt that names nothing is 404 first.
    @Param('position') position: string,
    @Body() dto: MarkItemDto,
  ): Promise<MarkResultDto> {
    return this.marking.mark(actor, attemptId, position, dto);
  }

  @Post('assessments/:id/marking/release')
  @HttpCode(200)
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: ReleaseOutcomeDto })
  @ApiOperation({
    summary: 'Công bố kết quả đã chấm xong',
    description:
      'Releases every attempt in the officer’s subtree (or those named) whose answers all have ' +
      'their final points: score, completion, certificate and competency evidence',
  })
  @ApiErrors('ATTEMPT_NOT_FOUND')
  release(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: ReleaseMarkedDto,
  ): Promise<ReleaseOutcomeDto> {
    return this.marking.release(actor, id, dto);
  }
}
