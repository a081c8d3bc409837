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
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
import { FrameworksService } from './frameworks.service';
import { RatingsService } from './ratings.service';
import { RoleProfilesService } from './role-profiles.service';

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
  constructor(private readonly frameworks: FrameworksService) {}

  @Post()
  @RequirePermission('competencies:manage')
  @ApiOkResponse({ type: FrameworkDto, description: 'The framework with version 1 as a draft' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateFrameworkDto): Promise<FrameworkDto> {
    return this.frameworks.create(actor, dto);
  }

  @Get()
  @RequirePermission('competencies:read')
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListFrameworksQueryDto,
  ): Promise<Page<FrameworkDto>> {
    return this.frameworks.list(actor, query);
  }

  @Get(':id')
  @RequirePermission('competencies:read')
  @ApiOkResponse({ type: FrameworkDto })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<FrameworkDto> {
    return this.frameworks.get(actor, id);
  }
}

@ApiTags('competency frameworks')
@Controller('framework-versions')
export class FrameworkVersionsController {
  constructor(private readonly frameworks: FrameworksService) {}

  @Get(':id')
  @RequirePermission('competencies:read')
  @ApiOkResponse({ type: VersionDto, description: 'Scale, domains, competencies, indicators' })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<VersionDto> {
    return this.frameworks.getVersion(actor, id);
  }

  @Patch(':id')
  @RequirePermission('competencies:manage')
  @ApiOkResponse({
    type: VersionDto,
    description: 'Drafts only; else 409 FRAMEWORK_VERSION_LOCKED',
  })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateVersionDto,
  ): Promise<VersionDto> {
    return this.frameworks.updateVersion(actor, id, dto);
  }

  @Put(':id/domains/:code')
  @RequirePermission('competencies:manage')
  @ApiOkResponse({ type: DomainDto })
  putDomain(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('code') code: string,
    @Body() dto: DomainBodyDto,
  ): Promise<DomainDto> {
    return this.frameworks.putDomain(actor, id, codeParam(code), dto);
  }

  @Delete(':id/domains/:code')
  @HttpCode(204)
  @RequirePermission('competencies:manage')
  deleteDomain(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('code') code: string,
  ): Promise<void> {
    return this.frameworks.deleteDomain(actor, id, codeParam(code));
  }

  @Put(':id/competencies/:code')
  @RequirePermission('competencies:manage')
  @ApiOkResponse({ type: CompetencyDto, description: 'Adds or replaces one competency' })
  putCompetency(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('code') code: string,
    @Body() dto: CompetencyBodyDto,
  ): Promise<CompetencyDto> {
    return this.frameworks.putCompetency(actor, id, codeParam(code), dto);
  }

  @Delete(':id/competencies/:code')
  @HttpCode(204)
  @RequirePermission('competencies:manage')
  deleteCompetency(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('code') code: string,
  ): Promise<void> {
    return this.frameworks.deleteCompetency(actor, id, codeParam(code));
  }

  @Post(':id/publish')
  @HttpCode(200)
  @RequirePermission('competencies:manage')
  @ApiOkResponse({ type: VersionDto })
  publish(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<VersionDto> {
    return this.frameworks.publish(actor, id);
  }

  @Post(':id/retire')
  @HttpCode(200)
  @RequirePermission('competencies:manage')
  @ApiOkResponse({ type: VersionDto })
  retire(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<VersionDto> {
    return this.frameworks.retire(actor, id);
  }

  @Post(':id/new-version')
  @RequirePermission('competencies:manage')
  @ApiOkResponse({ type: VersionDto, description: 'A new draft copied from this version' })
  newVersion(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<VersionDto> {
    return this.frameworks.newVersion(actor, id);
  }
}

@ApiTags('role profiles')
@Controller('role-profiles')
export class RoleProfilesController {
  constructor(private readonly profiles: RoleProfilesService) {}

  @Post()
  @RequirePermission('competencies:manage')
  @ApiOkResponse({ type: RoleProfileDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateRoleProfileDto): Promise<RoleProfileDto> {
    return this.profiles.create(actor, dto);
  }

  @Get()
  @RequirePermission('competencies:read')
  @ApiOkResponse({ type: RoleProfileListDto })
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListRoleProfilesQueryDto,
  ): Promise<RoleProfileListDto> {
    return this.profiles.list(actor, query.versionId);
  }

  @Get('resolve')
  @RequirePermission('competencies:read')
  @ApiOkResponse({ type: RoleProfileDto, description: 'The most specific profile that applies' })
  resolve(
    @CurrentActor() actor: Actor,
    @Query() query: ResolveRoleProfileQueryDto,
  ): Promise<RoleProfileDto> {
    return this.profiles.resolveFor(actor, query);
  }

  @Get(':id')
  @RequirePermission('competencies:read')
  @ApiOkResponse({ type: RoleProfileDto })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<RoleProfileDto> {
    return this.profiles.get(actor, id);
  }

  @Put(':id/requirements')
  @RequirePermission('competencies:manage')
  @ApiOkResponse({
    type: RoleProfileDto,
    description: 'Replaces the whole list; edited in place and audited (role_profile.requirements)',
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
  rate(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: SupervisorRatingDto,
  ): Promise<RatingListDto> {
    return this.ratings.rateAsSupervisor(actor, id, dto);
  }

  @Get('ratings')
  @RequirePermission('competencies:read')
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
  current(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: CurrentLevelsQueryDto,
  ): Promise<CurrentLevelsDto> {
    return this.ratings.currentLevels(actor, id, query.versionId);
  }
}
