import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { UuidParam } from '../common/http/params';
import { HeatmapDto, HeatmapQueryDto, PersonGapsDto, PersonGapsQueryDto } from './dto/gaps.dto';
import { GapsService } from './gaps.service';

@ApiTags('gaps')
@Controller()
export class GapsController {
  constructor(private readonly gaps: GapsService) {}

  @Get('people/:id/gaps')
  @RequirePermission('self:use')
  @ApiOkResponse({ type: PersonGapsDto, description: 'The person themself, or staff in scope' })
  @ApiOperation({
    summary: 'Khoảng trống năng lực của cán bộ',
    description: "A person's competency gaps against the role profile of their posts",
  })
  personGaps(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: PersonGapsQueryDto,
  ): Promise<PersonGapsDto> {
    return this.gaps.personGaps(actor, id, query);
  }

  @Get('org-units/:id/competency-heatmap')
  @RequirePermission('people:read')
  @ApiOkResponse({ type: HeatmapDto })
  @ApiOperation({
    summary: 'Bản đồ nhiệt khoảng trống năng lực của đơn vị',
    description: 'Competency gaps of the people of a subtree, by unit and competency',
  })
  heatmap(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: HeatmapQueryDto,
  ): Promise<HeatmapDto> {
    return this.gaps.heatmap(actor, id, query);
  }
}
