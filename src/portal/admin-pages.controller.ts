import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthenticatedRequest, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { AccountsService } from '../auth/accounts.service';
import { GrantRoleDto } from '../auth/dto/account.dto';
import {
  ACCOUNT_STATUSES,
  BulkInvitationDto,
  BulkInvitationResultDto,
  DeactivateAccountDto,
  InvitationDto,
  ListAccountsQueryDto,
} from '../auth/dto/account-admin.dto';
import { InvitationsService } from '../auth/invitations.service';
import { POST_TYPE_LABELS, POST_TYPES } from '../posts/post-types';
import { Permission, ROLES, rolesWith } from '../auth/roles';
import { UuidParam } from '../common/http/params';
import { ListOrgUnitsQueryDto } from '../org-units/dto/org-unit.dto';
import { OrgUnitsService } from '../org-units/org-units.service';
import { PeopleService } from '../people/people.service';
import { formFields, FormProblem, formProblem, text, validated } from './forms';
import { PageRenderer } from './page-renderer';
import { PortalPages } from './portal.decorators';

/** A page behind RequirePermission: the access guard has put the signed-in actor on it. */
type SignedIn = AuthenticatedRequest & { actor: Actor };

/** The unit at the top of the actor's scope for a permission. */
function topUnitOf(actor: Actor, permission: Permission): string | undefined {
  const roles: readonly string[] = rolesWith(permission);
  return actor.grants
    .filter((g) => roles.includes(g.role))
    .sort((a, b) => a.path.length - b.path.length)[0]?.orgUnitId;
}

/** The roles an administrator grants (every account is a learner already). */
const GRANTABLE = ROLES.filter((r) => r !== 'learner');

/** The words of each account status. */
const STATE_WORD: Record<(typeof ACCOUNT_STATUSES)[number], string> = {
  active: 'admin.accounts.active',
  inactive: 'admin.accounts.inactive',
  locked: 'admin.accounts.held',
  invited: 'admin.accounts.invited',
};

/** Notices after a form succeeded (POST → 303 → GET ?done=<key>). */
const DONE = new Set(['granted', 'revoked', 'lifted', 'deactivated', 'reactivated', 'invited']);

/**
 * The administrator's pages (/admin): accounts with their role grants (grant, revoke, lift a
 * sign-in hold) and the union units in scope. The same services and permissions as the API's
 * /accounts and /org-units routes.
 */
@Controller('admin')
@PortalPages()
export class AdminPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly accounts: AccountsService,
    private readonly orgUnits: OrgUnitsService,
    private readonly people: PeopleService,
    private readonly invitations: InvitationsService,
  ) {}

  /** Accounts of my scope with their roles, filtered by name or e-mail and status. */
  @Get()
  @RequirePermission('accounts:manage')
  async accountsList(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    await this.sendAccounts(req, res, query);
  }

  /** Invite one person (the API's POST /accounts/invitations). */
  @Post('invitations')
  @RequirePermission('accounts:manage')
  async invite(@Req() req: SignedIn, @Res() res: Response): Promise<void> {
    const form = formFields(req.body);
    const value = { personId: text(form.personId), email: text(form.email) };
    let id: string;
    try {
      id = (await this.invitations.invite(req.actor, await validated(InvitationDto, value))).id;
    } catch (error) {
      const problem = formProblem(error, this.pages.languageOf(req));
      if (!problem) throw error;
      await this.sendAccounts(req, res, {}, { problem, invite: value });
      return;
    }
    res.redirect(303, `/admin/accounts/${id}?done=invited`);
  }

  /** Invite every holder of a post type without an account (or only count them). */
  @Post('invitations/bulk')
  @RequirePermission('accounts:manage')
  async bulkInvite(@Req() req: SignedIn, @Res() res: Response): Promise<void> {
    const form = formFields(req.body);
    const value = {
      orgUnitId: text(form.orgUnitId),
      postType: text(form.postType),
      dryRun: form.dryRun === 'on' || form.dryRun === 'true',
    };
    let result: BulkInvitationResultDto;
    try {
      result = await this.invitations.bulkInvite(
        req.actor,
        await validated(BulkInvitationDto, value),
      );
    } catch (error) {
      const problem = formProblem(error, this.pages.languageOf(req));
      if (!problem) throw error;
      await this.sendAccounts(req, res, {}, { problem, bulk: value });
      return;
    }
    const lang = this.pages.languageOf(req);
    const bulkResult = this.pages.word(
      lang,
      result.dryRun ? 'admin.accounts.bulkDryResult' : 'admin.accounts.bulkResult',
      {
        invited: result.invited,
        noEmail: result.skippedNoEmail,
        taken: result.skippedEmailTaken,
        already: result.alreadyHaveAccount,
      },
    );
    await this.sendAccounts(req, res, {}, { bulkResult, bulk: value });
  }

  /** One account: its person, roles (revoke), a role to grant, the sign-in hold. */
  @Get('accounts/:id')
  @RequirePermission('accounts:manage')
  async account(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Query('done') done: unknown,
  ): Promise<void> {
    const model = await this.accountModel(req, id);
    const notice = typeof done === 'string' && DONE.has(done) ? `admin.done.${done}` : undefined;
    this.pages.send(req, res, 'admin/account', { ...model, notice });
  }

  @Post('accounts/:id/grants')
  @RequirePermission('accounts:manage')
  async grant(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const form = formFields(req.body);
    const value = { role: text(form.role), orgUnitId: text(form.orgUnitId) };
    try {
      await this.accounts.grant(req.actor, id, await validated(GrantRoleDto, value));
    } catch (error) {
      await this.refuse(req, res, id, error, value);
      return;
    }
    res.redirect(303, `/admin/accounts/${id}?done=granted`);
  }

  @Post('accounts/:id/grants/:grantId/revoke')
  @RequirePermission('accounts:manage')
  async revoke(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Param('grantId', UuidParam) grantId: string,
  ): Promise<void> {
    try {
      await this.accounts.revoke(req.actor, id, grantId);
    } catch (error) {
      await this.refuse(req, res, id, error);
      return;
    }
    res.redirect(303, `/admin/accounts/${id}?done=revoked`);
  }

  @Post('accounts/:id/lift-hold')
  @RequirePermission('accounts:manage')
  async liftHold(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    await this.accounts.liftHold(req.actor, id);
    res.redirect(303, `/admin/accounts/${id}?done=lifted`);
  }

  @Post('accounts/:id/deactivate')
  @RequirePermission('accounts:manage')
  async deactivate(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const value = { reason: text(formFields(req.body).reason) };
    try {
      const dto = await validated(DeactivateAccountDto, value);
      await this.accounts.deactivate(req.actor, id, dto.reason);
    } catch (error) {
      await this.refuse(req, res, id, error, value);
      return;
    }
    res.redirect(303, `/admin/accounts/${id}?done=deactivated`);
  }

  @Post('accounts/:id/reactivate')
  @RequirePermission('accounts:manage')
  async reactivate(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    await this.accounts.reactivate(req.actor, id);
    res.redirect(303, `/admin/accounts/${id}?done=reactivated`);
  }

  /** An account still waiting for its password: a new link, the older one superseded. */
  @Post('accounts/:id/reinvite')
  @RequirePermission('accounts:manage')
  async reinvite(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    try {
      const account = await this.accounts.get(req.actor, id);
      await this.invitations.invite(req.actor, { personId: account.personId });
    } catch (error) {
      await this.refuse(req, res, id, error);
      return;
    }
    res.redirect(303, `/admin/accounts/${id}?done=invited`);
  }

  /** The accounts page: the filtered list, the invitation forms and what a form answered. */
  private async sendAccounts(
    req: SignedIn,
    res: Response,
    query: Record<string, unknown>,
    extra: {
      problem?: FormProblem;
      invite?: Record<string, unknown>;
      bulk?: Record<string, unknown>;
      bulkResult?: string;
    } = {},
  ): Promise<void> {
    const lang = this.pages.languageOf(req);
    const filters = { q: text(query.q), status: text(query.status) };
    let problem = extra.problem;
    let page: Awaited<ReturnType<AccountsService['list']>> = { items: [], nextCursor: null };
    try {
      const dto = await validated(ListAccountsQueryDto, {
        limit: 50,
        cursor: text(query.cursor),
        ...filters,
      });
      page = await this.accounts.list(req.actor, dto);
    } catch (error) {
      problem ??= formProblem(error, lang);
      if (!problem) throw error;
    }
    const units = await this.unitNames(
      req,
      page.items.flatMap((a) => a.grants.map((g) => g.orgUnitId)),
    );
    const scopeUnits = await this.orgUnits.list(
      req.actor,
      await validated(ListOrgUnitsQueryDto, {
        limit: 100,
        under: topUnitOf(req.actor, 'accounts:manage'),
      }),
    );
    const kept = Object.fromEntries(
      Object.entries(filters).filter((e): e is [string, string] => e[1] !== undefined),
    );
    this.pages.send(
      req,
      res,
      'admin/accounts',
      {
        title: 'admin.accounts.title',
        items: page.items.map((a) => ({
          ...a,
          stateLabel: this.pages.word(lang, STATE_WORD[a.status]),
          stateClass: a.status === 'active' ? '' : a.status === 'inactive' ? 'bad' : 'warn',
          grants: a.grants.map((g) => ({
            ...g,
            roleLabel: this.pages.word(lang, `admin.role.${g.role}`),
            unitName: units.get(g.orgUnitId) ?? g.orgUnitId,
          })),
        })),
        next: page.nextCursor
          ? `/admin?${new URLSearchParams({ ...kept, cursor: page.nextCursor }).toString()}`
          : null,
        q: filters.q ?? '',
        statuses: ACCOUNT_STATUSES.map((value) => ({
          value,
          label: this.pages.word(lang, STATE_WORD[value]),
          selected: value === filters.status,
        })),
        invite: extra.invite ?? {},
        bulk: extra.bulk ?? {},
        bulkResult: extra.bulkResult,
        units: scopeUnits.items.map((u) => ({ ...u, selected: u.id === extra.bulk?.orgUnitId })),
        postTypes: POST_TYPES.map((value) => ({
          value,
          label: POST_TYPE_LABELS[value][lang],
          selected: value === (extra.bulk?.postType ?? 'chair'),
        })),
        problem,
      },
      problem?.status ?? 200,
    );
  }

  /** Union units in scope, by name (a diacritics-free search, like the API's). */
  @Get('org-units')
  @RequirePermission('org-units:read')
  async units(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const lang = this.pages.languageOf(req);
    const q = text(query.q);
    const cursor = text(query.cursor);
    let problem: FormProblem | undefined;
    let page: Awaited<ReturnType<OrgUnitsService['list']>> = { items: [], nextCursor: null };
    try {
      // A search, else the whole subtree in tree order (the API's default is its tops only).
      const dto = await validated(ListOrgUnitsQueryDto, {
        limit: 50,
        q,
        cursor,
        under: q ? undefined : topUnitOf(req.actor, 'org-units:read'),
      });
      page = await this.orgUnits.list(req.actor, dto);
    } catch (error) {
      problem = formProblem(error, lang);
      if (!problem) throw error;
    }
    const next = page.nextCursor
      ? `/admin/org-units?${new URLSearchParams({ ...(q ? { q } : {}), cursor: page.nextCursor }).toString()}`
      : null;
    this.pages.send(
      req,
      res,
      'admin/org-units',
      {
        title: 'admin.units.title',
        q: q ?? '',
        items: page.items.map((u) => ({
          ...u,
          levelLabel: this.pages.word(lang, `admin.level.${u.level}`),
          members: u.memberCount.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB'),
        })),
        next,
        problem,
      },
      problem?.status ?? 200,
    );
  }

  private async refuse(
    req: SignedIn,
    res: Response,
    id: string,
    error: unknown,
    entered: Record<string, unknown> = {},
  ): Promise<void> {
    const problem = formProblem(error, this.pages.languageOf(req));
    if (!problem) throw error;
    const model = await this.accountModel(req, id, entered);
    this.pages.send(req, res, 'admin/account', { ...model, problem }, problem.status);
  }

  private async accountModel(req: SignedIn, id: string, entered: Record<string, unknown> = {}) {
    const lang = this.pages.languageOf(req);
    const account = await this.accounts.get(req.actor, id);
    const person = await this.people.get(req.actor, account.personId);
    // The grant's unit: any of the administrator's subtree (tree order, first 100).
    const units = await this.orgUnits.list(
      req.actor,
      await validated(ListOrgUnitsQueryDto, {
        limit: 100,
        under: topUnitOf(req.actor, 'accounts:manage'),
      }),
    );
    const names = await this.unitNames(
      req,
      account.grants.map((g) => g.orgUnitId),
    );
    return {
      title: 'admin.account.title',
      stateLabel: this.pages.word(lang, STATE_WORD[account.status]),
      entered,
      account: {
        ...account,
        grants: account.grants.map((g) => ({
          ...g,
          roleLabel: this.pages.word(lang, `admin.role.${g.role}`),
          unitName: names.get(g.orgUnitId) ?? g.orgUnitId,
        })),
      },
      person,
      roles: GRANTABLE.map((r) => ({
        value: r,
        label: this.pages.word(lang, `admin.role.${r}`),
        selected: r === entered.role,
      })),
      units: units.items.map((u) => ({ ...u, selected: u.id === entered.orgUnitId })),
    };
  }

  /** Names of units by id, those the actor may read (others keep their id). */
  private async unitNames(req: SignedIn, ids: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const id of new Set(ids)) {
      try {
        out.set(id, (await this.orgUnits.get(req.actor, id)).name);
      } catch {
        // Outside the reader's scope: shown by id.
      }
    }
    return out;
  }
}
