import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { UuidParam } from '../common/http/params';
import { AssessmentsService } from './assessments.service';
import {
  AssessmentDto,
  AttemptDto,
  AttemptResultDto,
  CreateAssessmentDto,
  SaveAnswerDto,
  SavedAnswerDto,
} from './dto/assessment.dto';

@ApiTags('assessments')
@Controller()
export class AssessmentsController {
  constructor(private readonly assessments: AssessmentsService) {}

  @Post('assessments')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: AssessmentDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateAssessmentDto): Promise<AssessmentDto> {
    return this.assessments.create(actor, dto);
  }

  @Get('assessments/:id')
  @RequirePermission('training:read')
  @ApiOkResponse({ type: AssessmentDto, description: 'With the right answers: staff only' })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<AssessmentDto> {
    return this.assessments.get(actor, id);
  }

  @Post('assessments/:id/attempts')
  @RequirePermission('self:use')
  @ApiOkResponse({ type: AttemptDto })
  start(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<AttemptDto> {
    return this.assessments.start(actor, id);
  }

  @Get('attempts/:id')
  @RequirePermission('self:use')
  @ApiOkResponse({ type: AttemptDto })
  view(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<AttemptDto> {
    return this.assessments.view(actor, id);
  }

  @Put('attempts/:id/answers/:questionId')
  @RequirePermission('self:use')
  @ApiOkResponse({ type: SavedAnswerDto })
  saveAnswer(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('questionId', UuidParam) questionId: string,
    @Body() dto: SaveAnswerDto,
  ): Promise<SavedAnswerDto> {
    return this.assessments.saveAnswer(actor, id, questionId, dto.selected);
  }

  @Post('attempts/:id/submit')
  @HttpCode(200)
  @RequirePermission('self:use')
  @ApiOkResponse({ type: AttemptResultDto })
  submit(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<AttemptResultDto> {
    return this.assessments.submit(actor, id);
  }
}
