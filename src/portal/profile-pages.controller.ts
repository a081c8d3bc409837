import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthenticatedRequest, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { isoToVi } from '../common/dates/vietnam-dates';
import { Language } from '../common/http/language';
import { UuidParam } from '../common/http/params';
import {
  ApproveProfileChangeRequestDto,
  CreateProfileChangeRequestDto,
  ListProfileChangeRequestsQueryDto,
  ProfileChangeRequestDto,
  ProfileValuesDto,
  RejectProfileChangeRequestDto,
  UpdateMyProfileDto,
} from '../people/dto/profile.dto';
import { ProfileChangeRequestsService } from '../people/profile-change-requests.service';
import { ProfileService } from '../people/profile.service';
import { formFields, FormProblem, formProblem, text, validated } from './forms';
import { PageRenderer } from './page-renderer';
import { PortalPages } from './portal.decorators';

/** A page behind RequirePermission: the access guard has put the signed-in actor on it. */
type SignedIn = AuthenticatedRequest & { actor: Actor };

/** The fields of a change request, in the order the pages show them. */
const FIELDS = [
  'familyName',
  'middleName',
  'givenName',
  'birthDate',
  'gender',
  'nationalId',
] as const satisfies readonly (keyof ProfileValuesDto)[];

/** Notices after a form succeeded (POST → 303 → GET ?done=<key>). */
const LEARNER_DONE = new Set(['contact', 'requested', 'withdrawn']);
const HR_DONE = new Set(['approved', 'rejected']);

/** The requests a learner's page lists (the API's largest page). */
const MY_REQUESTS = 100;

/** A date typed as people write it (dd/mm/yyyy) or as the date picker sends it (yyyy-mm-dd). */
function isoDate(value: unknown): string | undefined {
  const typed = text(value);
  const m = typed && /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(typed);
  return m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : typed;
}

/**
 * One row per field of a request: its label, the value on the record and the value asked for
 * (dates and genders written for people, an empty value as a dash).
 */
function changeRows(r: ProfileChangeRequestDto) {
  const shown = (field: (typeof FIELDS)[number], v: unknown) => ({
    value: typeof v === 'string' && v !== '' ? v : null,
    isDate: field === 'birthDate',
    genderKey: field === 'gender' && typeof v === 'string' && v ? `profile.gender.${v}` : null,
  });
  return FIELDS.filter((f) => f in r.requested).map((f) => ({
    labelKey: `profile.field.${f}`,
    current: shown(f, r.current[f]),
    requested: shown(f, r.requested[f]),
  }));
}

function requestModel(r: ProfileChangeRequestDto) {
  return { ...r, stateKey: `profile.state.${r.state}`, rows: changeRows(r) };
}

/**
 * "Hồ sơ của tôi" (/learn/profile): a person reads their record, corrects their phone, contact
 * e-mail and message preferences, asks HR to change their name, birth date, gender or CCCD and
 * follows (or withdraws) their requests. The same service calls as GET/PATCH /me/profile and
 * /me/profile/change-requests.
 */
@Controller('learn/profile')
@PortalPages()
export class ProfilePagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly profile: ProfileService,
    private readonly requests: ProfileChangeRequestsService,
  ) {}

  @Get()
  @RequirePermission('self:use')
  async view(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Query('done') done: unknown,
  ): Promise<void> {
    const notice =
      typeof done === 'string' && LEARNER_DONE.has(done) ? `profile.done.${done}` : undefined;
    this.pages.send(req, res, 'learn/profile', { ...(await this.model(req)), notice });
  }

  /** PATCH /me/profile with the contact form's values (an emptied field clears it). */
  @Post('contact')
  @RequirePermission('self:use')
  async contact(@Req() req: SignedIn, @Res() res: Response): Promise<void> {
    const form = formFields(req.body);
    const value = {
      phone: text(form.phone) ?? null,
      email: text(form.email) ?? null,
      locale: text(form.locale),
      // An unticked checkbox sends nothing: off.
      emailNotifications: form.emailNotifications === 'on' || form.emailNotifications === 'true',
    };
    try {
      await this.profile.update(req.actor, await validated(UpdateMyProfileDto, value));
    } catch (error) {
      return this.refuse(req, res, error, { contact: form });
    }
    res.redirect(303, '/learn/profile?done=contact');
  }

  /** POST /me/profile/change-requests: only the fields that differ from the record are kept. */
  @Post('requests')
  @RequirePermission('self:use')
  async request(@Req() req: SignedIn, @Res() res: Response): Promise<void> {
    const form = formFields(req.body);
    const value = {
      familyName: text(form.familyName),
      // Emptied, the middle name is asked to be removed.
      middleName: typeof form.middleName === 'string' ? form.middleName.trim() : undefined,
      givenName: text(form.givenName),
      birthDate: isoDate(form.birthDate),
      gender: text(form.gender),
      nationalId: text(form.nationalId)?.replace(/[\s.]/g, ''),
      note: text(form.note),
    };
    try {
      await this.requests.create(req.actor, await validated(CreateProfileChangeRequestDto, value));
    } catch (error) {
      return this.refuse(req, res, error, { request: form });
    }
    res.redirect(303, '/learn/profile?done=requested');
  }

  @Post('requests/:id/withdraw')
  @RequirePermission('self:use')
  async withdraw(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    try {
      await this.requests.withdraw(req.actor, id);
    } catch (error) {
      return this.refuse(req, res, error, {});
    }
    res.redirect(303, '/learn/profile?done=withdrawn');
  }

  /** A refusal the person can correct is shown on the page, the values typed kept. */
  private async refuse(
    req: SignedIn,
    res: Response,
    error: unknown,
    entered: { contact?: Record<string, unknown>; request?: Record<string, unknown> },
  ): Promise<void> {
    const problem = formProblem(error, this.pages.languageOf(req));
    if (!problem) throw error;
    const model = await this.model(req);
    this.pages.send(
      req,
      res,
      'learn/profile',
      {
        ...model,
        problem,
        contact: entered.contact ? { ...model.contact, ...entered.contact } : model.contact,
        request: entered.request ? { ...model.request, ...entered.request } : model.request,
      },
      problem.status,
    );
  }

  private async model(req: SignedIn) {
    const [me, mine] = await Promise.all([
      this.profile.mine(req.actor),
      this.requests.listMine(req.actor, { limit: MY_REQUESTS }),
    ]);
    const p = me.person;
    return {
      title: 'profile.me.title',
      me,
      genderKey: p.gender ? `profile.gender.${p.gender}` : null,
      contact: {
        phone: p.phone ?? '',
        email: p.email ?? '',
        locale: me.notificationPreferences.locale,
        emailNotifications: me.notificationPreferences.emailNotifications,
      } as Record<string, unknown>,
      request: {
        familyName: p.familyName,
        middleName: p.middleName ?? '',
        givenName: p.givenName,
        // Typed and shown as people write dates (a date picker would follow the browser's locale).
        birthDate: p.birthDate ? isoToVi(p.birthDate) : '',
        gender: p.gender ?? '',
        nationalId: p.nationalId ?? '',
        note: '',
      } as Record<string, unknown>,
      requests: mine.items.map(requestModel),
    };
  }
}

/**
 * "Yêu cầu sửa hồ sơ" (/hr/profile-requests): the queue of pending requests of people in the HR
 * officer's subtree, each with the record's values beside those asked, to approve (with a note)
 * or reject (with a reason). The same service calls as /api/v1/profile-change-requests.
 */
@Controller('hr/profile-requests')
@PortalPages()
export class ProfileRequestsPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly requests: ProfileChangeRequestsService,
  ) {}

  @Get()
  @RequirePermission('hr:manage')
  async queue(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Query('cursor') cursor: unknown,
    @Query('done') done: unknown,
  ): Promise<void> {
    const notice =
      typeof done === 'string' && HR_DONE.has(done) ? `profile.done.${done}` : undefined;
    await this.sendQueue(req, res, { cursor: text(cursor), notice });
  }

  @Post(':id/approve')
  @RequirePermission('hr:manage')
  async approve(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const form = formFields(req.body);
    try {
      const dto = await validated(ApproveProfileChangeRequestDto, { note: text(form.note) });
      await this.requests.approve(req.actor, id, dto);
    } catch (error) {
      return this.refuse(req, res, error, id, form);
    }
    res.redirect(303, '/hr/profile-requests?done=approved');
  }

  @Post(':id/reject')
  @RequirePermission('hr:manage')
  async reject(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const form = formFields(req.body);
    try {
      const dto = await validated(RejectProfileChangeRequestDto, { reason: text(form.reason) });
      await this.requests.reject(req.actor, id, dto);
    } catch (error) {
      return this.refuse(req, res, error, id, form);
    }
    res.redirect(303, '/hr/profile-requests?done=rejected');
  }

  private async refuse(
    req: SignedIn,
    res: Response,
    error: unknown,
    id: string,
    form: Record<string, unknown>,
  ): Promise<void> {
    const problem = formProblem(error, this.pages.languageOf(req));
    if (!problem) throw error;
    await this.sendQueue(req, res, { problem, entered: { id, ...form } }, problem.status);
  }

  private async sendQueue(
    req: SignedIn,
    res: Response,
    opts: {
      cursor?: string;
      notice?: string;
      problem?: FormProblem;
      entered?: Record<string, unknown>;
    },
    status = 200,
  ): Promise<void> {
    const lang: Language = this.pages.languageOf(req);
    let problem = opts.problem;
    let items: ReturnType<typeof requestModel>[] = [];
    let next: string | null = null;
    try {
      const query = await validated(ListProfileChangeRequestsQueryDto, {
        ...(opts.cursor ? { cursor: opts.cursor } : {}),
      });
      const page = await this.requests.list(req.actor, query);
      items = page.items.map(requestModel);
      next = page.nextCursor
        ? `/hr/profile-requests?${new URLSearchParams({ cursor: page.nextCursor }).toString()}`
        : null;
    } catch (error) {
      problem = formProblem(error, lang);
      if (!problem) throw error;
      status = problem.status;
    }
    this.pages.send(
      req,
      res,
      'hr/profile-requests',
      {
        title: 'profile.hr.title',
        items: items.map((r) => ({
          ...r,
          entered: opts.entered?.id === r.id ? opts.entered : undefined,
        })),
        next,
        notice: opts.notice,
        problem,
      },
      status,
    );
  }
}
