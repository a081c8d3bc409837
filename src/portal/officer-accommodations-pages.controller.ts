import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthenticatedRequest, RequirePermission } from '../auth/access.decorators';
import { AccommodationsService } from '../assessments/accommodations.service';
import { AssessmentsService } from '../assessments/assessments.service';
import { GrantAccommodationDto } from '../assessments/dto/accommodation.dto';
import { UuidParam } from '../common/http/params';
import { CoursesService } from '../courses/courses.service';
import { OrgUnitsService } from '../org-units/org-units.service';
import { grantOf, vnDateTime } from './blueprint-form';
import { formFields, text } from './forms';
import { Form, OfficerPageBase } from './officer-page-kit';
import { PageRenderer } from './page-renderer';
import { PortalPages } from './portal.decorators';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Accommodations on an assessment (issue 16): extra minutes and attempts for one learner, with
 * the reason, current and revoked; a grant and a revoke. The learner is picked among the
 * people the service would accept — enrolled in the course and in the officer's subtree — so
 * scope and rights are those of PUT /assessments/:id/accommodations/:personId.
 */
@Controller('officer')
@PortalPages()
export class OfficerAccommodationsPagesController extends OfficerPageBase {
  constructor(
    pages: PageRenderer,
    orgUnits: OrgUnitsService,
    private readonly accommodations: AccommodationsService,
    private readonly assessments: AssessmentsService,
    private readonly courses: CoursesService,
  ) {
    super(pages, orgUnits);
  }

  @Get('assessments/:id/accommodations')
  @RequirePermission('training:read')
  async list(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    await this.page(req, res, id, {});
  }

  @Post('assessments/:id/accommodations')
  @RequirePermission('training:manage')
  async grant(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const form = formFields(req.body);
    const personId = text(form.personId) ?? '';
    try {
      const dto = await this.validate(GrantAccommodationDto, grantOf(form));
      if (!UUID.test(personId)) {
        const none = this.pages.word(this.pages.languageOf(req), 'accommodation.choosePerson');
        await this.page(req, res, id, form, { status: 400, message: none, fields: {} }, 400);
        return;
      }
      await this.accommodations.grant(this.actorOf(req), id, personId, dto);
      res.redirect(303, `/officer/assessments/${id}/accommodations?saved=granted`);
    } catch (error) {
      const problem = this.problemOf(req, error);
      await this.page(req, res, id, form, problem, problem.status);
    }
  }

  @Post('assessments/:id/accommodations/:personId/revoke')
  @RequirePermission('training:manage')
  async revoke(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Param('personId', UuidParam) personId: string,
  ): Promise<void> {
    await this.accommodations.revoke(this.actorOf(req), id, personId);
    res.redirect(303, `/officer/assessments/${id}/accommodations?saved=revoked`);
  }

  private async page(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    form: Form,
    problem?: { status: number; message: string; fields: Record<string, string> },
    status = 200,
  ): Promise<void> {
    const actor = this.actorOf(req);
    const assessment = await this.assessments.get(actor, id);
    const course = await this.courses.get(actor, assessment.courseId);
    const canManage = actor.can('training:manage');
    const items = await this.accommodations.list(actor, id);
    const q = text(req.query.q);
    const candidates = canManage
      ? await this.accommodations.candidates(actor, id, q?.slice(0, 100))
      : [];
    const chosen = typeof form.personId === 'string' ? form.personId : '';
    this.send(
      req,
      res,
      'officer/accommodations',
      {
        title: 'accommodation.title',
        assessment,
        course,
        canManage,
        items: items.map((a) => ({
          ...a,
          grantedText: vnDateTime(a.grantedAt),
          revokedText: vnDateTime(a.revokedAt),
        })),
        candidates: candidates.map((c) => ({ ...c, selected: c.personId === chosen })),
        q: q ?? '',
        form: { extraMinutes: '0', extraAttempts: '0', ...form },
        problem,
        saved: typeof req.query.saved === 'string' ? req.query.saved : null,
      },
      status,
    );
  }
}
