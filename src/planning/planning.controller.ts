import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { UuidParam } from '../common/http/params';
import { Page } from '../common/pagination/page';
import {
  ChangeCycleStatusDto,
  ChangeReadinessDto,
  CreateNominationDto,
  CreatePlanningCycleDto,
  DecideReviewDto,
  DevelopmentPlanDto,
  EnrolPlanDto,
  ListNominationsQueryDto,
  ListPlanningCyclesQueryDto,
  ListReviewsQueryDto,
  NominationDto,
  NominationPageDto,
  OpenReviewDto,
  OpenReviewResultDto,
  PlanEnrolmentResultDto,
  PlanningCycleDto,
  PlanningRulesDto,
  RemoveNominationDto,
  ReviewDto,
} from './dto/planning.dto';
import { NominationsService } from './nominations.service';
import { PlanningCyclesService } from './planning-cycles.service';

@ApiTags('planning')
@Controller('planning-cycles')
export class PlanningController {
  constructor(
    private readonly cycles: PlanningCyclesService,
    private readonly nominations: NominationsService,
  ) {}

  @Post()
  @RequirePermission('hr:manage')
  @ApiCreatedResponse({ type: PlanningCycleDto })
  @ApiOperation({ summary: "Start a planning cycle (draft) for a unit's posts of the next term" })
  create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreatePlanningCycleDto,
  ): Promise<PlanningCycleDto> {
    return this.cycles.create(actor, dto);
  }

  @Get()
  @RequirePermission('people:read')
  @ApiOperation({ summary: 'Cycles in scope, newest term first' })
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListPlanningCyclesQueryDto,
  ): Promise<Page<PlanningCycleDto>> {
    return this.cycles.list(actor, query);
  }

  @Get(':id')
  @RequirePermission('people:read')
  @ApiOkResponse({ type: PlanningCycleDto })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<PlanningCycleDto> {
    return this.cycles.get(actor, id);
  }

  @Patch(':id/rules')
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: PlanningCycleDto })
  @ApiOperation({ summary: 'Change some rules (draft or open cycles)' })
  updateRules(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: PlanningRulesDto,
  ): Promise<PlanningCycleDto> {
    return this.cycles.updateRules(actor, id, dto);
  }

  @Post(':id/status')
  @HttpCode(200)
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: PlanningCycleDto })
  @ApiOperation({
    summary: 'draft → open → submitted → approved → closed; submitted may go back to open',
  })
  changeStatus(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: ChangeCycleStatusDto,
  ): Promise<PlanningCycleDto> {
    return this.cycles.changeStatus(actor, id, dto);
  }

  @Post(':id/nominations')
  @RequirePermission('hr:manage')
  @ApiCreatedResponse({ type: NominationDto })
  @ApiOperation({ summary: 'Name a cadre for a planned post, under the cycle rules' })
  nominate(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: CreateNominationDto,
  ): Promise<NominationDto> {
    return this.nominations.create(actor, id, dto);
  }

  @Get(':id/nominations')
  @RequirePermission('people:read')
  @ApiOkResponse({ type: NominationPageDto })
  @ApiOperation({ summary: "The cycle's nominations with its women and under-40 targets" })
  listNominations(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: ListNominationsQueryDto,
  ): Promise<NominationPageDto> {
    return this.nominations.list(actor, id, query);
  }

  @Get(':id/nominations/:nominationId')
  @RequirePermission('people:read')
  @ApiOkResponse({ type: NominationDto })
  @ApiOperation({ summary: 'One nomination, with the suggested readiness and its reasons' })
  getNomination(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('nominationId', UuidParam) nominationId: string,
  ): Promise<NominationDto> {
    return this.nominations.get(actor, id, nominationId);
  }

  @Patch(':id/nominations/:nominationId/readiness')
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: NominationDto })
  @ApiOperation({
    summary: 'Change the readiness; one other than the suggested needs a reason (stored, audited)',
  })
  changeReadiness(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('nominationId', UuidParam) nominationId: string,
    @Body() dto: ChangeReadinessDto,
  ): Promise<NominationDto> {
    return this.nominations.changeReadiness(actor, id, nominationId, dto);
  }

  @Get(':id/nominations/:nominationId/development-plan')
  @RequirePermission('people:read')
  @ApiOkResponse({ type: DevelopmentPlanDto })
  @ApiOperation({ summary: "The nominee's gaps for the post and the courses that close them" })
  developmentPlan(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('nominationId', UuidParam) nominationId: string,
  ): Promise<DevelopmentPlanDto> {
    return this.nominations.developmentPlan(actor, id, nominationId);
  }

  @Post(':id/nominations/:nominationId/development-plan/enrol')
  @HttpCode(200)
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: PlanEnrolmentResultDto })
  @ApiOperation({
    summary: 'Enrol the nominee in the plan’s courses (all or a subset) with a due date',
  })
  enrolPlan(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('nominationId', UuidParam) nominationId: string,
    @Body() dto: EnrolPlanDto,
  ): Promise<PlanEnrolmentResultDto> {
    return this.nominations.enrolPlan(actor, id, nominationId, dto);
  }

  @Post(':id/nominations/:nominationId/approve')
  @HttpCode(200)
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: NominationDto })
  @ApiOperation({ summary: 'Approve (four eyes: not the proposer, not the nominee)' })
  approve(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('nominationId', UuidParam) nominationId: string,
  ): Promise<NominationDto> {
    return this.nominations.approve(actor, id, nominationId);
  }

  @Post(':id/nominations/:nominationId/remove')
  @HttpCode(200)
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: NominationDto })
  @ApiOperation({ summary: 'Remove from the list with a reason; the nomination stays on record' })
  remove(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('nominationId', UuidParam) nominationId: string,
    @Body() dto: RemoveNominationDto,
  ): Promise<NominationDto> {
    return this.nominations.remove(actor, id, nominationId, dto);
  }

  @Post(':id/reviews')
  @HttpCode(200)
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: OpenReviewResultDto })
  @ApiOperation({ summary: "Open the year's review: one flagged entry per current nominee" })
  openReview(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: OpenReviewDto,
  ): Promise<OpenReviewResultDto> {
    return this.nominations.openReview(actor, id, dto);
  }

  @Get(':id/reviews')
  @RequirePermission('people:read')
  @ApiOperation({ summary: 'Review entries, newest year first' })
  listReviews(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: ListReviewsQueryDto,
  ): Promise<Page<ReviewDto>> {
    return this.nominations.listReviews(actor, id, query);
  }

  @Post(':id/reviews/:reviewId/decision')
  @HttpCode(200)
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: ReviewDto })
  @ApiOperation({ summary: 'Keep (readiness kept or changed) or remove a reviewed nominee' })
  decide(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('reviewId', UuidParam) reviewId: string,
    @Body() dto: DecideReviewDto,
  ): Promise<ReviewDto> {
    return this.nominations.decide(actor, id, reviewId, dto);
  }
}
