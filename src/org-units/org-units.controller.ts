import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { UuidParam } from '../common/http/params';
import { Page } from '../common/pagination/page';
import {
  CreateOrgUnitDto,
  ListOrgUnitsQueryDto,
  MoveOrgUnitDto,
  OrgUnitDto,
  UpdateOrgUnitDto,
} from './dto/org-unit.dto';
import { OrgUnitsService } from './org-units.service';

@ApiTags('org-units')
@Controller('org-units')
export class OrgUnitsController {
  constructor(private readonly orgUnits: OrgUnitsService) {}

  @Get()
  @RequirePermission('org-units:read')
  @ApiOperation({ summary: 'Children of a unit, or a diacritics-insensitive search of a subtree' })
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListOrgUnitsQueryDto,
  ): Promise<Page<OrgUnitDto>> {
    return this.orgUnits.list(actor, query);
  }

  @Get(':id')
  @RequirePermission('org-units:read')
  @ApiOkResponse({ type: OrgUnitDto })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<OrgUnitDto> {
    return this.orgUnits.get(actor, id);
  }

  @Post()
  @RequirePermission('org-units:write')
  @ApiOkResponse({ type: OrgUnitDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateOrgUnitDto): Promise<OrgUnitDto> {
    return this.orgUnits.create(actor, dto);
  }

  @Patch(':id')
  @RequirePermission('org-units:write')
  @ApiOkResponse({ type: OrgUnitDto })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateOrgUnitDto,
  ): Promise<OrgUnitDto> {
    return this.orgUnits.update(actor, id, dto);
  }

  @Post(':id/move')
  @HttpCode(200)
  @RequirePermission('org-units:write')
  @ApiOperation({ summary: 'Move a unit and its whole subtree under another parent' })
  move(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: MoveOrgUnitDto,
  ): Promise<OrgUnitDto> {
    return this.orgUnits.move(actor, id, dto.parentId);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @RequirePermission('org-units:write')
  archive(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<OrgUnitDto> {
    return this.orgUnits.archive(actor, id);
  }
}
