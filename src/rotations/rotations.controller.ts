import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { Language, RequestLanguage } from '../common/http/language';
import { UuidParam } from '../common/http/params';
import { Page } from '../common/pagination/page';
import {
  CancelRotationDto,
  CompleteRotationDto,
  CreateRotationDto,
  ListRotationsQueryDto,
  RotationDto,
} from './dto/rotation.dto';
import { RotationsService } from './rotations.service';
import { ApiPageResponse } from '../common/openapi/api-page.decorator';

@ApiTags('rotations')
@Controller()
export class RotationsController {
  constructor(private readonly rotations: RotationsService) {}

  @Post('rotations')
  @RequirePermission('hr:manage')
  @ApiCreatedResponse({ type: RotationDto })
  @ApiOperation({
    summary: 'Lập kế hoạch luân chuyển cán bộ',
    description:
      'Plan a rotation of an approved nominee to an existing post (422 ROTATION_TOO_SHORT, ' +
      'ROTATION_NOT_NOMINEE, ROTATION_SERVICE_YEARS: fewer years of service left than the ' +
      'policy asks, to the statutory retirement date; 409 ROTATION_OVERLAP)',
  })
  create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateRotationDto,
    @RequestLanguage() lang: Language,
  ): Promise<RotationDto> {
    return this.rotations.create(actor, dto, lang);
  }

  @Get('rotations/:id')
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: RotationDto })
  @ApiOperation({
    summary: 'Xem một đợt luân chuyển',
    description: 'One rotation with its evaluations',
  })
  get(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @RequestLanguage() lang: Language,
  ): Promise<RotationDto> {
    return this.rotations.get(actor, id, lang);
  }

  @Get('people/:id/rotations')
  @RequirePermission('hr:manage')
  @ApiOperation({
    summary: 'Các đợt luân chuyển của cán bộ',
    description: "A person's rotations, latest start first",
  })
  @ApiPageResponse(RotationDto)
  listForPerson(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: ListRotationsQueryDto,
    @RequestLanguage() lang: Language,
  ): Promise<Page<RotationDto>> {
    return this.rotations.listForPerson(actor, id, query, lang);
  }

  @Post('rotations/:id/start')
  @HttpCode(200)
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: RotationDto })
  @ApiOperation({
    summary: 'Bắt đầu đợt luân chuyển',
    description:
      'Start: end the from-post appointment (the day before) and appoint to the to-post, in ' +
      'one transaction (409 APPOINTMENT_OVERLAP on a taken post: nothing written)',
  })
  start(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @RequestLanguage() lang: Language,
  ): Promise<RotationDto> {
    return this.rotations.start(actor, id, lang);
  }

  @Post('rotations/:id/complete')
  @HttpCode(200)
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: RotationDto })
  @ApiOperation({
    summary: 'Kết thúc đợt luân chuyển',
    description:
      'Complete with the end evaluation; ends the to-post appointment, optionally returns ' +
      'home. Before the minimum length an earlyEndReason is required (422 ' +
      'ROTATION_EARLY_END_REASON) and recorded',
  })
  complete(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: CompleteRotationDto,
    @RequestLanguage() lang: Language,
  ): Promise<RotationDto> {
    return this.rotations.complete(actor, id, dto, lang);
  }

  @Post('rotations/:id/cancel')
  @HttpCode(200)
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: RotationDto })
  @ApiOperation({
    summary: 'Hủy đợt luân chuyển',
    description: 'Cancel a planned or active rotation (kept, with its reason)',
  })
  cancel(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: CancelRotationDto,
    @RequestLanguage() lang: Language,
  ): Promise<RotationDto> {
    return this.rotations.cancel(actor, id, dto, lang);
  }
}
