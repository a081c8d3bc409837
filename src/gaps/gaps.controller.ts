import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  heatmap(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: HeatmapQueryDto,
  ): Promise<HeatmapDto> {
    return this.gaps.heatmap(actor, id, query);
  }
}
