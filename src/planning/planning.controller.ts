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
import { ApiPageResponse } from '../common/openapi/api-page.decorator';

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
    summary: 'Tạo đợt quy hoạch cán bộ',
    description:
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
  @ApiOperation({
    summary: 'Danh sách đợt quy hoạch',
    description: 'Cycles in scope, newest term first',
  })
  @ApiPageResponse(PlanningCycleDto)
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
  @ApiOperation({
    summary: 'Xem một đợt quy hoạch',
    description: 'A planning cycle with its rules, planned posts and status',
  })
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
  @ApiOperation({
    summary: 'Sửa quy tắc của đợt quy hoạch',
    description: 'Change some rules (draft or open cycles)',
  })
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
    summary: 'Chuyển trạng thái đợt quy hoạch',
    description:
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
  @ApiOperation({
    summary: 'Đưa cán bộ vào danh sách quy hoạch',
    description: 'Name a cadre for a planned post, under the cycle rules',
  })
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
  @ApiOperation({
    summary: 'Danh sách cán bộ trong quy hoạch',
    description: "The cycle's nominations with its women and under-40 targets",
  })
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
  @ApiOperation({
    summary: 'Xem một đề xuất quy hoạch',
    description: 'One nomination, with the suggested readiness and its reasons',
  })
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
    summary: 'Thay đổi mức sẵn sàng của cán bộ quy hoạch',
    description:
      'Change the readiness; one other than the suggested needs a reason (stored, audited)',
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
  @ApiOperation({
    summary: 'Kế hoạch bồi dưỡng của cán bộ quy hoạch',
    description: "The nominee's gaps for the post and the courses that close them",
  })
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
    summary: 'Ghi danh cán bộ quy hoạch vào các khóa bồi dưỡng',
    description: 'Enrol the nominee in the plan’s courses (all or a subset) with a due date',
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
  @ApiOperation({
    summary: 'Phê duyệt đề xuất quy hoạch',
    description: 'Approve (four eyes: not the proposer, not the nominee)',
  })
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
  @ApiOperation({
    summary: 'Đưa cán bộ ra khỏi danh sách quy hoạch',
    description: 'Remove from the list with a reason; the nomination stays on record',
  })
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
  @ApiOperation({
    summary: 'Mở đợt rà soát quy hoạch hằng năm',
    description: "Open the year's review: one flagged entry per current nominee",
  })
  openReview(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: OpenReviewDto,
  ): Promise<OpenReviewResultDto> {
    return this.reviews.openReview(actor, id, dto);
  }

  @Get(':id/reviews')
  @RequirePermission('people:read')
  @ApiOperation({
    summary: 'Danh sách rà soát quy hoạch',
    description: 'Review entries, newest year first',
  })
  @ApiPageResponse(ReviewDto)
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
  @ApiOperation({
    summary: 'Quyết định sau rà soát: giữ hoặc đưa ra khỏi quy hoạch',
    description: 'Keep (readiness kept or changed) or remove a reviewed nominee',
  })
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
