import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { UuidParam } from '../common/http/params';
import { ApiPageResponse } from '../common/openapi/api-page.decorator';
import { Page, PageQueryDto } from '../common/pagination/page';
import {
  ApproveProfileChangeRequestDto,
  CreateProfileChangeRequestDto,
  ListProfileChangeRequestsQueryDto,
  MyProfileDto,
  ProfileChangeRequestDto,
  RejectProfileChangeRequestDto,
  UpdateMyProfileDto,
} from './dto/profile.dto';
import { ProfileChangeRequestsService } from './profile-change-requests.service';
import { ProfileService } from './profile.service';

@ApiTags('profile')
@Controller('me/profile')
export class MyProfileController {
  constructor(
    private readonly profile: ProfileService,
    private readonly requests: ProfileChangeRequestsService,
  ) {}

  @Get()
  @RequirePermission('self:use')
  @ApiOkResponse({ type: MyProfileDto })
  @ApiOperation({
    summary: 'Hồ sơ của tôi',
    description:
      'My person record (my own CCCD whole), my sign-in e-mail, my message preferences and my ' +
      'pending change request',
  })
  mine(@CurrentActor() actor: Actor): Promise<MyProfileDto> {
    return this.profile.mine(actor);
  }

  @Patch()
  @RequirePermission('self:use')
  @ApiOkResponse({ type: MyProfileDto })
  @ApiOperation({
    summary: 'Sửa số điện thoại, email liên hệ, tùy chọn thông báo của tôi',
    description:
      'Corrects my phone (normalised), my contact e-mail and my message preferences (audited). ' +
      'The e-mail is the contact e-mail of my person record, where messages go; the sign-in ' +
      'e-mail of my account (user_accounts) is NOT changed by this. Name, birth date, gender ' +
      'and CCCD are refused here (unknown fields): ask HR with POST /me/profile/change-requests.',
  })
  update(@CurrentActor() actor: Actor, @Body() dto: UpdateMyProfileDto): Promise<MyProfileDto> {
    return this.profile.update(actor, dto);
  }

  @Get('change-requests')
  @RequirePermission('self:use')
  @ApiOperation({
    summary: 'Các yêu cầu sửa hồ sơ của tôi',
    description: 'My change requests in every state, newest first',
  })
  @ApiPageResponse(ProfileChangeRequestDto)
  myRequests(
    @CurrentActor() actor: Actor,
    @Query() query: PageQueryDto,
  ): Promise<Page<ProfileChangeRequestDto>> {
    return this.requests.listMine(actor, query);
  }

  @Post('change-requests')
  @RequirePermission('self:use')
  @ApiOkResponse({ type: ProfileChangeRequestDto })
  @ApiOperation({
    summary: 'Gửi yêu cầu sửa họ tên, ngày sinh, giới tính, CCCD',
    description:
      'Asks HR to change fields of my record that HR keeps (at least one, different from the ' +
      'record; the CCCD must be free: 409). A pending request of mine is superseded by this one.',
  })
  request(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateProfileChangeRequestDto,
  ): Promise<ProfileChangeRequestDto> {
    return this.requests.create(actor, dto);
  }

  @Post('change-requests/:id/withdraw')
  @HttpCode(200)
  @RequirePermission('self:use')
  @ApiOkResponse({ type: ProfileChangeRequestDto })
  @ApiOperation({
    summary: 'Rút yêu cầu sửa hồ sơ',
    description: 'Withdraws a pending request of mine (kept, in state withdrawn)',
  })
  withdraw(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<ProfileChangeRequestDto> {
    return this.requests.withdraw(actor, id);
  }
}

@ApiTags('profile')
@Controller('profile-change-requests')
export class ProfileChangeRequestsController {
  constructor(private readonly requests: ProfileChangeRequestsService) {}

  @Get()
  @RequirePermission('hr:manage')
  @ApiOperation({
    summary: 'Hàng chờ yêu cầu sửa hồ sơ',
    description:
      "Change requests of people whose home unit is in the caller's scope, oldest first " +
      '(pending by default), keyset paged',
  })
  @ApiPageResponse(ProfileChangeRequestDto)
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListProfileChangeRequestsQueryDto,
  ): Promise<Page<ProfileChangeRequestDto>> {
    return this.requests.list(actor, query);
  }

  @Get(':id')
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: ProfileChangeRequestDto })
  @ApiOperation({
    summary: 'Xem yêu cầu sửa hồ sơ',
    description: 'A change request: the values requested beside those on the record now',
  })
  get(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<ProfileChangeRequestDto> {
    return this.requests.get(actor, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: ProfileChangeRequestDto })
  @ApiOperation({
    summary: 'Duyệt yêu cầu sửa hồ sơ',
    description:
      'Applies the change to the person (full name, search name and sort key re-derived; the ' +
      'CCCD checked again: 409 when taken since) and approves the request, in one transaction; ' +
      'both audited. Nobody decides their own request (403).',
  })
  approve(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: ApproveProfileChangeRequestDto,
  ): Promise<ProfileChangeRequestDto> {
    return this.requests.approve(actor, id, dto);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: ProfileChangeRequestDto })
  @ApiOperation({
    summary: 'Từ chối yêu cầu sửa hồ sơ',
    description: 'Rejects the request with a reason (required) that the person reads; audited',
  })
  reject(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: RejectProfileChangeRequestDto,
  ): Promise<ProfileChangeRequestDto> {
    return this.requests.reject(actor, id, dto);
  }
}
