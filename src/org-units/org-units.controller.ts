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
import { ApiPageResponse } from '../common/openapi/api-page.decorator';

@ApiTags('org-units')
@Controller('org-units')
export class OrgUnitsController {
  constructor(private readonly orgUnits: OrgUnitsService) {}

  @Get()
  @RequirePermission('org-units:read')
  @ApiOperation({
    summary: 'Danh sách, tìm kiếm đơn vị công đoàn',
    description: 'Children of a unit, or a diacritics-insensitive search of a subtree',
  })
  @ApiPageResponse(OrgUnitDto)
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListOrgUnitsQueryDto,
  ): Promise<Page<OrgUnitDto>> {
    return this.orgUnits.list(actor, query);
  }

  @Get(':id')
  @RequirePermission('org-units:read')
  @ApiOkResponse({ type: OrgUnitDto })
  @ApiOperation({ summary: 'Xem một đơn vị công đoàn', description: 'One union unit' })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<OrgUnitDto> {
    return this.orgUnits.get(actor, id);
  }

  @Post()
  @RequirePermission('org-units:write')
  @ApiOkResponse({ type: OrgUnitDto })
  @ApiOperation({
    summary: 'Tạo đơn vị công đoàn',
    description: "Create a union unit under a parent in the caller's scope",
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateOrgUnitDto): Promise<OrgUnitDto> {
    return this.orgUnits.create(actor, dto);
  }

  @Patch(':id')
  @RequirePermission('org-units:write')
  @ApiOkResponse({ type: OrgUnitDto })
  @ApiOperation({
    summary: 'Sửa thông tin đơn vị công đoàn',
    description: 'Change the name or details of a unit',
  })
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
  @ApiOperation({
    summary: 'Chuyển đơn vị sang đơn vị cấp trên khác',
    description: 'Move a unit and its whole subtree under another parent',
  })
  @ApiOkResponse({ type: OrgUnitDto })
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
  @ApiOperation({
    summary: 'Giải thể (lưu trữ) đơn vị',
    description: 'Archive a unit; it must have no active child units and no people',
  })
  @ApiOkResponse({ type: OrgUnitDto })
  archive(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<OrgUnitDto> {
    return this.orgUnits.archive(actor, id);
  }
}
