import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { UuidParam } from '../common/http/params';
import { Page } from '../common/pagination/page';
import {
  EvaluationDto,
  ListPersonEvaluationsQueryDto,
  ListUnitEvaluationsQueryDto,
  RecordEvaluationDto,
  UnitEvaluationPageDto,
} from './dto/evaluation.dto';
import { EvaluationsService } from './evaluations.service';
import { ApiPageResponse } from '../common/openapi/api-page.decorator';

@ApiTags('evaluations')
@Controller()
export class EvaluationsController {
  constructor(private readonly evaluations: EvaluationsService) {}

  @Post('evaluations')
  @RequirePermission('hr:manage')
  @ApiCreatedResponse({ type: EvaluationDto, description: 'A new evaluation or a new revision' })
  @ApiOkResponse({
    type: EvaluationDto,
    description: 'Identical to the current revision: nothing written, the current one answered',
  })
  @ApiOperation({
    summary: 'Ghi kết quả đánh giá, xếp loại hằng năm',
    description:
      "Record a person's yearly evaluation; again for the same year with another score or " +
      'comments makes a new revision, with the same ones changes nothing (200)',
  })
  async record(
    @CurrentActor() actor: Actor,
    @Body() dto: RecordEvaluationDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EvaluationDto> {
    const { evaluation, created } = await this.evaluations.record(actor, dto);
    res.status(created ? 201 : 200);
    return evaluation;
  }

  @Get('people/:id/evaluations')
  @RequirePermission('people:read')
  @ApiOperation({
    summary: 'Lịch sử đánh giá hằng năm của cán bộ',
    description: 'Every revision, newest year and revision first',
  })
  @ApiPageResponse(EvaluationDto)
  listForPerson(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: ListPersonEvaluationsQueryDto,
  ): Promise<Page<EvaluationDto>> {
    return this.evaluations.listForPerson(actor, id, query);
  }

  @Get('org-units/:id/evaluations')
  @RequirePermission('people:read')
  @ApiOkResponse({ type: UnitEvaluationPageDto })
  @ApiOperation({
    summary: 'Kết quả đánh giá hằng năm của đơn vị',
    description: "A year's current evaluations in a subtree, with its warnings",
  })
  listForUnit(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: ListUnitEvaluationsQueryDto,
  ): Promise<UnitEvaluationPageDto> {
    return this.evaluations.listForUnit(actor, id, query);
  }
}
