import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { UuidParam } from '../common/http/params';
import { Page } from '../common/pagination/page';
import {
  CODE_PATTERN,
  CompetencyBodyDto,
  CompetencyDto,
  CreateFrameworkDto,
  DomainBodyDto,
  DomainDto,
  FrameworkDto,
  ListFrameworksQueryDto,
  UpdateVersionDto,
  VersionDto,
} from './dto/framework.dto';
import {
  CurrentLevelsDto,
  CurrentLevelsQueryDto,
  ListRatingsQueryDto,
  RatingDto,
  RatingListDto,
  SelfRatingDto,
  SupervisorRatingDto,
} from './dto/rating.dto';
import {
  CreateRoleProfileDto,
  ListRoleProfilesQueryDto,
  ReplaceRequirementsDto,
  RequirementBodyDto,
  ResolveRoleProfileQueryDto,
  RoleProfileDto,
  RoleProfileListDto,
} from './dto/role-profile.dto';
import { detail } from './competency-details';
import { FrameworkAuthoringService } from './framework-authoring.service';
import { FrameworksService } from './frameworks.service';
import { RatingsService } from './ratings.service';
import { RoleProfilesService } from './role-profiles.service';
import { ApiPageResponse } from '../common/openapi/api-page.decorator';

/** A code in a path: the same rule as in bodies, answered as a validation failure. */
function codeParam(code: string): string {
  if (!CODE_PATTERN.test(code)) {
    throw new DomainError('VALIDATION_FAILED', {}, [detail('code', 'codeInvalid')]);
  }
  return code;
}

@ApiTags('competency frameworks')
@Controller('frameworks')
export class FrameworksController {
  constructor(
    private readonly frameworks: FrameworksService,
    private readonly authoring: FrameworkAuthoringService,
  ) {}

  @Post()
  @RequirePermission('competencies:manage')
  @ApiOkResponse({ type: FrameworkDto, description: 'The framework with version 1 as a draft' })
  @ApiOperation({
    summary: 'Tạo khung năng lực mới',
    description: 'Create a competency framework with its first draft version',
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateFrameworkDto): Promise<FrameworkDto> {
    return this.authoring.create(actor, dto);
  }

  @Get()
  @RequirePermission('competencies:read')
  @ApiOperation({
    summary: 'Danh sách khung năng lực',
    description: 'Frameworks the caller may see, keyset paged',
  })
  @ApiPageResponse(FrameworkDto)
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListFrameworksQueryDto,
  ): Promise<Page<FrameworkDto>> {
    return this.frameworks.list(actor, query);
  }

  @Get(':id')
  @RequirePermission('competencies:read')
  @ApiOkResponse({ type: FrameworkDto })
  @ApiOperation({
    summary: 'Xem khung năng lực và các phiên bản',
    description: 'A framework with its versions',
  })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<FrameworkDto> {
    return this.frameworks.get(actor, id);
  }
}

@ApiTags('competency frameworks')
@Controller('framework-versions')
export class FrameworkVersionsController {
  constructor(
    private readonly frameworks: FrameworksService,
    private readonly authoring: FrameworkAuthoringService,
  ) {}

  @Get(':id')
  @RequirePermission('competencies:read')
  @ApiOkResponse({ type: VersionDto, description: 'Scale, domains, competencies, indicators' })
  @ApiOperation({
    summary: 'Xem một phiên bản khung năng lực',
    description: 'A framework version with its domains, competencies and levels',
  })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<VersionDto> {
    return this.frameworks.getVersion(actor, id);
  }

  @Patch(':id')
  @RequirePermission('competencies:manage')
  @ApiOkResponse({
    type: VersionDto,
    description: 'Drafts only; else 409 FRAMEWORK_VERSION_LOCKED',
  })
  @ApiOperation({
    summary: 'Sửa phiên bản khung năng lực (bản nháp)',
    description: 'Change a draft framework version',
  })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateVersionDto,
  ): Promise<VersionDto> {
    return this.authoring.updateVersion(actor, id, dto);
  }

  @Put(':id/domains/:code')
  @RequirePermission('competencies:manage')
  @ApiOkResponse({ type: DomainDto })
  @ApiOperation({
    summary: 'Thêm hoặc sửa một lĩnh vực năng lực',
    description: 'Create or replace a competency domain of a draft framework version, by its code',
  })
  putDomain(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('code') code: string,
    @Body() dto: DomainBodyDto,
  ): Promise<DomainDto> {
    return this.authoring.putDomain(actor, id, codeParam(code), dto);
  }

  @Delete(':id/domains/:code')
  @HttpCode(204)
  @RequirePermission('competencies:manage')
  @ApiOperation({
    summary: 'Xóa một lĩnh vực năng lực (bản nháp)',
    description: 'Delete an unused domain from a draft framework version',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  deleteDomain(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('code') code: string,
  ): Promise<void> {
    return this.authoring.deleteDomain(actor, id, codeParam(code));
  }

  @Put(':id/competencies/:code')
  @RequirePermission('competencies:manage')
  @ApiOkResponse({ type: CompetencyDto, description: 'Adds or replaces one competency' })
  @ApiOperation({
    summary: 'Thêm hoặc sửa một năng lực trong khung',
    description: 'Create or replace a competency of a draft framework version, by its code',
  })
  putCompetency(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('code') code: string,
    @Body() dto: CompetencyBodyDto,
  ): Promise<CompetencyDto> {
    return this.authoring.putCompetency(actor, id, codeParam(code), dto);
  }

  @Delete(':id/competencies/:code')
  @HttpCode(204)
  @RequirePermission('competencies:manage')
  @ApiOperation({
    summary: 'Xóa một năng lực khỏi khung (bản nháp)',
    description: 'Delete a competency from a draft framework version',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  deleteCompetency(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('code') code: string,
  ): Promise<void> {
    return this.authoring.deleteCompetency(actor, id, codeParam(code));
  }

  @Post(':id/publish')
  @HttpCode(200)
  @RequirePermission('competencies:manage')
  @ApiOkResponse({ type: VersionDto })
  @ApiOperation({
    summary: 'Công bố phiên bản khung năng lực',
    description: 'Publish a draft framework version',
  })
  publish(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<VersionDto> {
    return this.authoring.publish(actor, id);
  }

  @Post(':id/retire')
  @HttpCode(200)
  @RequirePermission('competencies:manage')
  @ApiOkResponse({ type: VersionDto })
  @ApiOperation({
    summary: 'Ngừng sử dụng phiên bản khung năng lực',
    description: 'Retire a framework version',
  })
  retire(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<VersionDto> {
    return this.authoring.retire(actor, id);
  }

  @Post(':id/new-version')
  @RequirePermission('competencies:manage')
  @ApiOkResponse({ type: VersionDto, description: 'A new draft copied from this version' })
  @ApiOperation({
    summary: 'Tạo phiên bản mới của khung năng lực',
    description: 'Start a new draft version from a published framework version',
  })
  newVersion(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<VersionDto> {
    return this.authoring.newVersion(actor, id);
  }
}

@ApiTags('role profiles')
@Controller('role-profiles')
export class RoleProfilesController {
  constructor(private readonly profiles: RoleProfilesService) {}

  @Post()
  @RequirePermission('competencies:manage')
  @ApiOkResponse({ type: RoleProfileDto })
  @ApiOperation({
    summary: 'Tạo hồ sơ năng lực chức danh',
    description: 'Create a role profile: the competency levels a post requires',
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateRoleProfileDto): Promise<RoleProfileDto> {
    return this.profiles.create(actor, dto);
  }

  @Get()
  @RequirePermission('competencies:read')
  @ApiOkResponse({ type: RoleProfileListDto })
  @ApiOperation({
    summary: 'Danh sách hồ sơ năng lực chức danh',
    description: 'Role profiles the caller may see',
  })
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListRoleProfilesQueryDto,
  ): Promise<RoleProfileListDto> {
    return this.profiles.list(actor, query.versionId);
  }

  @Get('resolve')
  @RequirePermission('competencies:read')
  @ApiOkResponse({ type: RoleProfileDto, description: 'The most specific profile that applies' })
  @ApiOperation({
    summary: 'Tìm hồ sơ năng lực áp dụng cho một chức danh',
    description: 'The role profile that applies to a post',
  })
  resolve(
    @CurrentActor() actor: Actor,
    @Query() query: ResolveRoleProfileQueryDto,
  ): Promise<RoleProfileDto> {
    return this.profiles.resolveFor(actor, query);
  }

  @Get(':id')
  @RequirePermission('competencies:read')
  @ApiOkResponse({ type: RoleProfileDto })
  @ApiOperation({
    summary: 'Xem hồ sơ năng lực chức danh',
    description: 'A role profile with its requirements',
  })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<RoleProfileDto> {
    return this.profiles.get(actor, id);
  }

  @Put(':id/requirements')
  @RequirePermission('competencies:manage')
  @ApiOkResponse({
    type: RoleProfileDto,
    description: 'Replaces the whole list; edited in place and audited (role_profile.requirements)',
  })
  @ApiOperation({
    summary: 'Đặt toàn bộ yêu cầu năng lực',
    description: 'Replace every requirement of a role profile',
  })
  replaceRequirements(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: ReplaceRequirementsDto,
  ): Promise<RoleProfileDto> {
    return this.profiles.replaceRequirements(actor, id, dto);
  }

  @Put(':id/requirements/:code')
  @RequirePermission('competencies:manage')
  @ApiOkResponse({ type: RoleProfileDto, description: 'Adds or replaces one requirement' })
  @ApiOperation({
    summary: 'Thêm hoặc sửa một yêu cầu năng lực',
    description: 'Create or replace one requirement of a role profile, by competency code',
  })
  putRequirement(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('code') code: string,
    @Body() dto: RequirementBodyDto,
  ): Promise<RoleProfileDto> {
    return this.profiles.putRequirement(actor, id, codeParam(code), dto);
  }

  @Delete(':id/requirements/:code')
  @HttpCode(204)
  @RequirePermission('competencies:manage')
  @ApiOperation({
    summary: 'Xóa một yêu cầu năng lực',
    description: 'Delete one requirement of a role profile',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  deleteRequirement(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('code') code: string,
  ): Promise<void> {
    return this.profiles.deleteRequirement(actor, id, codeParam(code));
  }
}

@ApiTags('competency ratings')
@Controller('people/:id')
export class RatingsController {
  constructor(private readonly ratings: RatingsService) {}

  @Post('ratings/self')
  @RequirePermission('competencies:read')
  @ApiOkResponse({ type: RatingListDto, description: 'Only for oneself; every competency once' })
  @ApiOperation({
    summary: 'Tự đánh giá năng lực',
    description: 'The person rates their own competencies (self-assessment)',
  })
  rateSelf(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: SelfRatingDto,
  ): Promise<RatingListDto> {
    return this.ratings.rateSelf(actor, id, dto);
  }

  @Post('ratings')
  @RequirePermission('competencies:rate')
  @ApiOkResponse({
    type: RatingListDto,
    description: 'Source hr or supervisor, by the rater’s role',
  })
  @ApiOperation({
    summary: 'Đánh giá mức năng lực của cán bộ',
    description: "Rate a person's competencies (manager or HR rating, with evidence)",
  })
  rate(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: SupervisorRatingDto,
  ): Promise<RatingListDto> {
    return this.ratings.rateAsSupervisor(actor, id, dto);
  }

  @Get('ratings')
  @RequirePermission('competencies:read')
  @ApiOperation({
    summary: 'Lịch sử đánh giá năng lực của cán bộ',
    description: 'Every rating of a person, newest first, keyset paged',
  })
  @ApiPageResponse(RatingDto)
  history(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: ListRatingsQueryDto,
  ): Promise<Page<RatingDto>> {
    return this.ratings.history(actor, id, query);
  }

  @Get('competencies')
  @RequirePermission('competencies:read')
  @ApiOkResponse({ type: CurrentLevelsDto })
  @ApiOperation({
    summary: 'Mức năng lực hiện tại của cán bộ',
    description: "A person's current level per competency, with its evidence",
  })
  current(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: CurrentLevelsQueryDto,
  ): Promise<CurrentLevelsDto> {
    return this.ratings.currentLevels(actor, id, query.versionId);
  }
}
