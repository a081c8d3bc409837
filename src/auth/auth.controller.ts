import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '../common/http/params';
import { AuthenticatedRequest, CurrentActor, Public, RequirePermission } from './access.decorators';
import { AccountsService } from './accounts.service';
import { Actor } from './actor';
import { AuthService } from './auth.service';
import { AccountDto, CreateAccountDto, GrantRoleDto, MeDto } from './dto/account.dto';
import {
  BulkInvitationDto,
  BulkInvitationResultDto,
  ChangePasswordDto,
  DeactivateAccountDto,
  FORGOT_PASSWORD_ANSWER,
  ForgotPasswordDto,
  ForgotPasswordResultDto,
  InvitationDto,
  InvitationResultDto,
  ListAccountsQueryDto,
  SetPasswordDto,
} from './dto/account-admin.dto';
import { AccountCredentialsService } from './account-credentials.service';
import { InvitationsService } from './invitations.service';
import { LoginDto, RefreshDto, TokensDto } from './dto/auth.dto';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { ApiPageResponse } from '../common/openapi/api-page.decorator';
import { Page } from '../common/pagination/page';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly credentials: AccountCredentialsService,
  ) {}

  @Post('password/set')
  @HttpCode(204)
  @Public()
  @ApiOperation({
    summary: 'Đặt mật khẩu bằng đường dẫn mời hoặc đặt lại',
    description:
      'Set the password with the token of an invitation or reset link (single use); a reset ' +
      'ends every earlier session. A used, superseded or expired link answers 400 with its own code',
  })
  @ApiNoContentResponse({ description: 'Password set: the account can sign in' })
  @ApiErrors(
    'PASSWORD_TOKEN_INVALID',
    'PASSWORD_TOKEN_USED',
    'PASSWORD_TOKEN_EXPIRED',
    'PASSWORD_POLICY',
    'AUTH_ACCOUNT_DISABLED',
  )
  async setPassword(@Body() dto: SetPasswordDto): Promise<void> {
    await this.credentials.setWithLink(dto.token, dto.password);
  }

  @Post('password/forgot')
  @HttpCode(202)
  @Public('login')
  @ApiOperation({
    summary: 'Quên mật khẩu',
    description:
      'Ask for a reset link (1 hour, single use) by e-mail. The answer is the same whether or ' +
      'not the e-mail has an active account; throttled like sign-in',
  })
  @ApiAcceptedResponse({ type: ForgotPasswordResultDto })
  async forgotPassword(@Body() dto: ForgotPasswordDto): Promise<ForgotPasswordResultDto> {
    await this.credentials.forgot(dto.email);
    return { message: FORGOT_PASSWORD_ANSWER };
  }

  @Post('login')
  @HttpCode(200)
  @Public('login')
  @ApiOperation({
    summary: 'Đăng nhập',
    description:
      'Sign in. Unknown e-mail, wrong password and a held account answer alike (401). From the ' +
      '5th wrong password in a row, signing in is held for 1, 2, 4 … up to 15 minutes; the right ' +
      'password with the deviceToken of an earlier sign-in passes a hold, and the owner is told',
  })
  @ApiOkResponse({ type: TokensDto })
  @ApiErrors('AUTH_INVALID_CREDENTIALS', 'AUTH_ACCOUNT_DISABLED')
  login(@Body() dto: LoginDto, @Req() req: AuthenticatedRequest): Promise<TokensDto> {
    return this.auth.login(
      dto.email,
      dto.password,
      { ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null },
      dto.deviceToken,
    );
  }

  @Post('refresh')
  @HttpCode(200)
  @Public()
  @ApiOperation({
    summary: 'Làm mới phiên đăng nhập',
    description: 'Rotate the refresh token; a reused token revokes the whole session',
  })
  @ApiOkResponse({ type: TokensDto })
  @ApiErrors('AUTH_REFRESH_INVALID', 'AUTH_REFRESH_REUSED')
  refresh(@Body() dto: RefreshDto): Promise<TokensDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @RequirePermission('self:use')
  @ApiOperation({
    summary: 'Đăng xuất (thu hồi phiên hiện tại)',
    description: 'Sign out: revokes the session of the access token',
  })
  @ApiNoContentResponse({ description: 'Signed out' })
  async logout(@CurrentActor() actor: Actor): Promise<void> {
    await this.auth.logout(actor);
  }
}

@ApiTags('auth')
@Controller('me')
export class MeController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly credentials: AccountCredentialsService,
  ) {}

  @Post('password')
  @HttpCode(204)
  @RequirePermission('self:use')
  @ApiOperation({
    summary: 'Đổi mật khẩu của tôi',
    description:
      'Change my password: the current one is required; every other session of mine ends ' +
      '(this one stays). Audited',
  })
  @ApiNoContentResponse({ description: 'Password changed' })
  @ApiErrors('PASSWORD_CURRENT_WRONG', 'PASSWORD_POLICY')
  async changePassword(
    @CurrentActor() actor: Actor,
    @Body() dto: ChangePasswordDto,
  ): Promise<void> {
    await this.credentials.changeOwn(actor, dto.currentPassword, dto.newPassword);
  }

  @Get()
  @RequirePermission('self:use')
  @ApiOkResponse({ type: MeDto })
  @ApiOperation({
    summary: 'Thông tin tài khoản đang đăng nhập',
    description: 'The signed-in account: person, roles and scope',
  })
  me(@CurrentActor() actor: Actor): Promise<MeDto> {
    return this.accounts.me(actor);
  }
}

@ApiTags('accounts')
@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly invitations: InvitationsService,
  ) {}

  @Post('invitations')
  @RequirePermission('accounts:manage')
  @ApiOkResponse({ type: InvitationResultDto })
  @ApiOperation({
    summary: 'Mời cán bộ dùng hệ thống (tài khoản + đường dẫn đặt mật khẩu)',
    description:
      'Open an account without a password for a person in scope and e-mail a one-time link ' +
      '(7 days) to set it; inviting again supersedes the older link. Audited',
  })
  @ApiErrors(
    'PERSON_NOT_FOUND',
    'ACCOUNT_ALREADY_EXISTS',
    'ACCOUNT_EMAIL_TAKEN',
    'ACCOUNT_PERSON_NO_EMAIL',
    'ACCOUNT_INACTIVE',
  )
  invite(@CurrentActor() actor: Actor, @Body() dto: InvitationDto): Promise<InvitationResultDto> {
    return this.invitations.invite(actor, dto);
  }

  @Post('invitations/bulk')
  @HttpCode(200)
  @RequirePermission('accounts:manage')
  @ApiOkResponse({ type: BulkInvitationResultDto })
  @ApiOperation({
    summary: 'Mời hàng loạt người giữ một chức danh (mặc định: Chủ tịch) chưa có tài khoản',
    description:
      'Invite every person in scope who holds a post of the type in the unit’s subtree, has an ' +
      'e-mail and no account: one transaction, set-based; dryRun only counts',
  })
  @ApiErrors('ORG_UNIT_NOT_FOUND')
  bulkInvite(
    @CurrentActor() actor: Actor,
    @Body() dto: BulkInvitationDto,
  ): Promise<BulkInvitationResultDto> {
    return this.invitations.bulkInvite(actor, dto);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @RequirePermission('accounts:manage')
  @ApiOkResponse({ type: AccountDto })
  @ApiOperation({
    summary: 'Vô hiệu hóa tài khoản (kết thúc mọi phiên đăng nhập ngay)',
    description:
      'Deactivate an account: it cannot sign in nor reset its password, and every session ' +
      'ends at once. Audited with the reason; an administrator cannot deactivate themself',
  })
  @ApiErrors('ACCOUNT_NOT_FOUND', 'ACCOUNT_CANNOT_DEACTIVATE_SELF')
  deactivate(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: DeactivateAccountDto,
  ): Promise<AccountDto> {
    return this.accounts.deactivate(actor, id, dto.reason);
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @RequirePermission('accounts:manage')
  @ApiOkResponse({ type: AccountDto })
  @ApiOperation({
    summary: 'Kích hoạt lại tài khoản',
    description: 'Reactivate a deactivated account (audited)',
  })
  @ApiErrors('ACCOUNT_NOT_FOUND')
  reactivate(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<AccountDto> {
    return this.accounts.reactivate(actor, id);
  }

  @Post()
  @RequirePermission('accounts:manage')
  @ApiOkResponse({ type: AccountDto })
  @ApiOperation({
    summary: 'Tạo tài khoản đăng nhập cho một cán bộ',
    description: "Create a sign-in account for a person in the caller's scope",
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateAccountDto): Promise<AccountDto> {
    return this.accounts.create(actor, dto);
  }

  @Get()
  @RequirePermission('accounts:manage')
  @ApiPageResponse(AccountDto)
  @ApiOperation({
    summary: 'Danh sách tài khoản và vai trò được cấp',
    description:
      "Accounts of the people in the caller's scope, by e-mail, with their role grants; " +
      'filtered by name or e-mail, role, status and last sign-in',
  })
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListAccountsQueryDto,
  ): Promise<Page<AccountDto>> {
    return this.accounts.list(actor, query);
  }

  @Get(':id')
  @RequirePermission('accounts:manage')
  @ApiOkResponse({ type: AccountDto })
  @ApiOperation({
    summary: 'Xem một tài khoản và các vai trò được cấp',
    description: 'An account with its role grants',
  })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<AccountDto> {
    return this.accounts.get(actor, id);
  }

  @Post(':id/lift-hold')
  @HttpCode(200)
  @RequirePermission('accounts:manage')
  @ApiOkResponse({ type: AccountDto })
  @ApiOperation({
    summary: 'Mở lại đăng nhập cho tài khoản đang tạm dừng do nhập sai mật khẩu',
    description:
      'Lift the hold that wrong passwords put on signing in, and forget their count (audited)',
  })
  @ApiErrors('ACCOUNT_NOT_FOUND')
  liftHold(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<AccountDto> {
    return this.accounts.liftHold(actor, id);
  }

  @Post(':id/grants')
  @HttpCode(200)
  @RequirePermission('accounts:manage')
  @ApiOkResponse({ type: AccountDto })
  @ApiOperation({
    summary: 'Cấp vai trò cho tài khoản trong một phạm vi đơn vị',
    description: 'Grant a role to an account, scoped to an org-unit subtree',
  })
  grant(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: GrantRoleDto,
  ): Promise<AccountDto> {
    return this.accounts.grant(actor, id, dto);
  }

  @Post(':id/grants/:grantId/revoke')
  @HttpCode(200)
  @RequirePermission('accounts:manage')
  @ApiOkResponse({ type: AccountDto })
  @ApiOperation({
    summary: 'Thu hồi một vai trò đã cấp',
    description: 'Revoke a role grant of an account',
  })
  revoke(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('grantId', UuidParam) grantId: string,
  ): Promise<AccountDto> {
    return this.accounts.revoke(actor, id, grantId);
  }
}
