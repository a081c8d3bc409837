import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../common/http/params';
import { AuthenticatedRequest, CurrentActor, Public, RequirePermission } from './access.decorators';
import { AccountsService } from './accounts.service';
import { Actor } from './actor';
import { AuthService } from './auth.service';
import { AccountDto, CreateAccountDto, GrantRoleDto, MeDto } from './dto/account.dto';
import { LoginDto, RefreshDto, TokensDto } from './dto/auth.dto';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { ApiPageResponse } from '../common/openapi/api-page.decorator';
import { Page, PageQueryDto } from '../common/pagination/page';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

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
  constructor(private readonly accounts: AccountsService) {}

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
  constructor(private readonly accounts: AccountsService) {}

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
    description: "Accounts of the people in the caller's scope, by e-mail, with their role grants",
  })
  list(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<Page<AccountDto>> {
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
