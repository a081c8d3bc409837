import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
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

@ApiTags('rotations')
@Controller()
export class RotationsController {
  constructor(private readonly rotations: RotationsService) {}

  @Post('rotations')
  @RequirePermission('hr:manage')
  @ApiCreatedResponse({ type: RotationDto })
  @ApiOperation({
    summary:
      'Plan a rotation of an approved nominee to an existing post (422 ROTATION_TOO_SHORT, ' +
      'ROTATION_NOT_NOMINEE; 409 ROTATION_OVERLAP)',
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateRotationDto): Promise<RotationDto> {
    return this.rotations.create(actor, dto);
  }

  @Get('rotations/:id')
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: RotationDto })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<RotationDto> {
    return this.rotations.get(actor, id);
  }

  @Get('people/:id/rotations')
  @RequirePermission('hr:manage')
  @ApiOperation({ summary: "A person's rotations, latest start first" })
  listForPerson(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: ListRotationsQueryDto,
  ): Promise<Page<RotationDto>> {
    return this.rotations.listForPerson(actor, id, query);
  }

  @Post('rotations/:id/start')
  @HttpCode(200)
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: RotationDto })
  @ApiOperation({
    summary:
      'Start: end the from-post appointment (the day before) and appoint to the to-post, in ' +
      'one transaction (409 APPOINTMENT_OVERLAP on a taken post: nothing written)',
  })
  start(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<RotationDto> {
    return this.rotations.start(actor, id);
  }

  @Post('rotations/:id/complete')
  @HttpCode(200)
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: RotationDto })
  @ApiOperation({
    summary:
      'Complete with the end evaluation; ends the to-post appointment, optionally returns home',
  })
  complete(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: CompleteRotationDto,
  ): Promise<RotationDto> {
    return this.rotations.complete(actor, id, dto);
  }

  @Post('rotations/:id/cancel')
  @HttpCode(200)
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: RotationDto })
  @ApiOperation({ summary: 'Cancel a planned or active rotation (kept, with its reason)' })
  cancel(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: CancelRotationDto,
  ): Promise<RotationDto> {
    return this.rotations.cancel(actor, id, dto);
  }
}
