import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { Language, RequestLanguage } from '../common/http/language';
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
  PlanningCycleStatusChangeDto,
  PlanningRulesDto,
  RemoveNominationDto,
  ReviewDto,
} from './dto/planning.dto';
import { DevelopmentPlansService } from './development-plans.service';
import { NominationReviewsService } from './nomination-reviews.service';
import { NominationsService } from './nominations.service';
import { ReadinessService } from './readiness.service';
import { PlanningCyclesService } from './planning-cycles.service';

@ApiTags('planning')
@Controller('planning-cycles')
export class PlanningController {
  constructor(
    private readonly cycles: PlanningCyclesService,
    private readonly nominations: NominationsService,
    private readonly readiness: ReadinessService,
    private readonly plans: DevelopmentPlansService,
    private readonly reviews: NominationReviewsService,
  ) {}

  @Post()
  @RequirePermission('hr:manage')
  @ApiCreatedResponse({ type: PlanningCycleDto })
  @ApiOperation({
    summary:
      "Start a planning cycle (draft) for a unit's posts of the next term (409 " +
      'PLANNING_CYCLE_EXISTS: the unit has a list for an overlapping term that is not closed)',
  })
  create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreatePlanningCycleDto,
    @RequestLanguage() lang: Language,
  ): Promise<PlanningCycleDto> {
    return this.cycles.create(actor, dto, lang);
  }

  @Get()
  @RequirePermission('people:read')
  @ApiOperation({ summary: 'Cycles in scope, newest term first' })
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListPlanningCyclesQueryDto,
    @RequestLanguage() lang: Language,
  ): Promise<Page<PlanningCycleDto>> {
    return this.cycles.list(actor, query, lang);
  }

  @Get(':id')
  @RequirePermission('people:read')
  @ApiOkResponse({ type: PlanningCycleDto })
  get(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @RequestLanguage() lang: Language,
  ): Promise<PlanningCycleDto> {
    return this.cycles.get(actor, id, lang);
  }

  @Patch(':id/rules')
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: PlanningCycleDto })
  @ApiOperation({ summary: 'Change some rules (draft or open cycles)' })
  updateRules(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: PlanningRulesDto,
    @RequestLanguage() lang: Language,
  ): Promise<PlanningCycleDto> {
    return this.cycles.updateRules(actor, id, dto, lang);
  }

  @Post(':id/status')
  @HttpCode(200)
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: PlanningCycleStatusChangeDto })
  @ApiOperation({
    summary:
      'draft → open (409 PLANNING_CYCLE_LIMITS_EXCEEDED when the draft breaks the caps counted ' +
      'with the live lists) → submitted → approved → closed; submitted may go back to open, a ' +
      'draft may be dropped (closed). ' +
      'Submitting and approving answer the warnings (women, under 40, posts without nominees)',
  })
  changeStatus(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: ChangeCycleStatusDto,
    @RequestLanguage() lang: Language,
  ): Promise<PlanningCycleStatusChangeDto> {
    return this.cycles.changeStatus(actor, id, dto, lang);
  }

  @Post(':id/nominations')
  @RequirePermission('hr:manage')
  @ApiCreatedResponse({ type: NominationDto })
  @ApiOperation({ summary: 'Name a cadre for a planned post, under the cycle rules' })
  nominate(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: CreateNominationDto,
    @RequestLanguage() lang: Language,
  ): Promise<NominationDto> {
    return this.nominations.create(actor, id, dto, lang);
  }

  @Get(':id/nominations')
  @RequirePermission('people:read')
  @ApiOkResponse({ type: NominationPageDto })
  @ApiOperation({ summary: "The cycle's nominations with its women and under-40 targets" })
  listNominations(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: ListNominationsQueryDto,
    @RequestLanguage() lang: Language,
  ): Promise<NominationPageDto> {
    return this.nominations.list(actor, id, query, lang);
  }

  @Get(':id/nominations/:nominationId')
  @RequirePermission('people:read')
  @ApiOkResponse({ type: NominationDto })
  @ApiOperation({ summary: 'One nomination, with the suggested readiness and its reasons' })
  getNomination(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('nominationId', UuidParam) nominationId: string,
    @RequestLanguage() lang: Language,
  ): Promise<NominationDto> {
    return this.nominations.get(actor, id, nominationId, lang);
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
    @RequestLanguage() lang: Language,
  ): Promise<NominationDto> {
    return this.readiness.changeReadiness(actor, id, nominationId, dto, lang);
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
    return this.plans.developmentPlan(actor, id, nominationId);
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
    return this.plans.enrolPlan(actor, id, nominationId, dto);
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
    @RequestLanguage() lang: Language,
  ): Promise<NominationDto> {
    return this.nominations.approve(actor, id, nominationId, lang);
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
    @RequestLanguage() lang: Language,
  ): Promise<NominationDto> {
    return this.nominations.remove(actor, id, nominationId, dto, lang);
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
    return this.reviews.openReview(actor, id, dto);
  }

  @Get(':id/reviews')
  @RequirePermission('people:read')
  @ApiOperation({ summary: 'Review entries, newest year first' })
  listReviews(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: ListReviewsQueryDto,
    @RequestLanguage() lang: Language,
  ): Promise<Page<ReviewDto>> {
    return this.reviews.listReviews(actor, id, query, lang);
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
    @RequestLanguage() lang: Language,
  ): Promise<ReviewDto> {
    return this.reviews.decide(actor, id, reviewId, dto, lang);
  }
}
