import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthenticatedRequest, RequirePermission } from '../auth/access.decorators';
import { AssessmentsService } from '../assessments/assessments.service';
import { BlueprintService } from '../assessments/blueprint.service';
import {
  AssessmentWindowDto,
  BlueprintDto,
  GRADING_POLICIES,
  ReplaceBlueprintDto,
} from '../assessments/dto/blueprint.dto';
import { QuestionBankDto } from '../assessments/dto/question-bank.dto';
import { QuestionBanksService } from '../assessments/question-banks.service';
import { BANK_QUESTION_KINDS } from '../assessments/question-bank.types';
import { UuidParam } from '../common/http/params';
import { CoursesService } from '../courses/courses.service';
import { OrgUnitsService } from '../org-units/org-units.service';
import {
  BlueprintBody,
  bodyOf,
  localOf,
  movedRule,
  placeOf,
  positionOf,
  ruleOf,
  vnDateTime,
  windowOf,
  withoutRule,
  withRule,
  withSettings,
} from './blueprint-form';
import { formFields, formProblem, FormProblem, text } from './forms';
import { Form, OfficerPageBase } from './officer-page-kit';
import { PageRenderer } from './page-renderer';
import { PortalPages } from './portal.decorators';

/** The notices after a change, by the `saved` of the address it sends back to. */
const SAVED = ['added', 'removed', 'moved', 'settings', 'window'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Refusals placed where the officer looks: beside a rule, a field of a form, or on top. */
interface Placed {
  problem?: FormProblem;
  rules: Record<string, string[]>;
  fields: Record<string, string>;
}

/** Which form of the page a refusal came from, and the add form's rule position. */
interface Origin {
  form: 'add' | 'rules' | 'settings' | 'window';
  at?: string;
  fixed?: boolean;
}

/** What the page shows again after a refusal: the forms as they were typed. */
interface Entered {
  add?: Form;
  settings?: Form;
  window?: Form;
}

/**
 * The officer's builder of an assessment drawn from question banks (issue 16): the blueprint's
 * sections and rules — what each can draw now — a rule added, removed or moved, the shuffles,
 * grading policy and second marking, and the availability window. The API replaces a blueprint
 * whole, so each change here is the current blueprint plus that change through the same
 * BlueprintService.replace as PUT /assessments/:id/blueprint: scope, rights and the draft-only
 * rule (COURSE_LOCKED) are the service's.
 */
@Controller('officer')
@PortalPages()
export class OfficerBlueprintPagesController extends OfficerPageBase {
  constructor(
    pages: PageRenderer,
    orgUnits: OrgUnitsService,
    private readonly blueprints: BlueprintService,
    private readonly assessments: AssessmentsService,
    private readonly courses: CoursesService,
    private readonly banks: QuestionBanksService,
  ) {
    super(pages, orgUnits);
  }

  @Get('assessments/:id/blueprint')
  @RequirePermission('training:read')
  async blueprint(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    await this.page(req, res, id, { rules: {}, fields: {} }, {});
  }

  /** A rule added at the end of a section (a new section when the title is new). */
  @Post('assessments/:id/blueprint/rules')
  @RequirePermission('training:manage')
  async addRule(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const form = formFields(req.body);
    const current = bodyOf(await this.blueprints.get(this.actorOf(req), id));
    const rule = ruleOf(form);
    const section = text(form.sectionTitle) ?? '';
    const { body, at } = withRule(current, section, rule);
    await this.save(
      req,
      res,
      id,
      body,
      'added',
      { form: 'add', at, fixed: !!rule.questionId },
      {
        add: form,
      },
    );
  }

  @Post('assessments/:id/blueprint/rules/remove')
  @RequirePermission('training:manage')
  async removeRule(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const current = bodyOf(await this.blueprints.get(this.actorOf(req), id));
    const at = positionOf(formFields(req.body), current);
    if (!at) return this.backTo(res, id);
    await this.save(req, res, id, withoutRule(current, at.s, at.r), 'removed', { form: 'rules' });
  }

  @Post('assessments/:id/blueprint/rules/move')
  @RequirePermission('training:manage')
  async moveRule(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const form = formFields(req.body);
    const current = bodyOf(await this.blueprints.get(this.actorOf(req), id));
    const at = positionOf(form, current);
    if (!at) return this.backTo(res, id);
    const direction = form.direction === 'up' ? 'up' : 'down';
    const body = movedRule(current, at.s, at.r, direction);
    await this.save(req, res, id, body, 'moved', { form: 'rules' });
  }

  @Post('assessments/:id/blueprint/settings')
  @RequirePermission('training:manage')
  async settings(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const form = formFields(req.body);
    const current = bodyOf(await this.blueprints.get(this.actorOf(req), id));
    await this.save(
      req,
      res,
      id,
      withSettings(current, form),
      'settings',
      { form: 'settings' },
      {
        settings: form,
      },
    );
  }

  /** The availability window, typed in Vietnam's time; it may move at any course status. */
  @Post('assessments/:id/window')
  @RequirePermission('training:manage')
  async window(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const form = formFields(req.body);
    const actor = this.actorOf(req);
    try {
      const dto = await this.validate(AssessmentWindowDto, windowOf(form));
      await this.blueprints.setWindow(actor, id, dto);
      res.redirect(303, `/officer/assessments/${id}/blueprint?saved=window#window`);
    } catch (error) {
      const placed = this.place(req, error, { form: 'window' });
      await this.page(req, res, id, placed, { window: form }, placed.problem?.status);
    }
  }

  // --------------------------------------------------------------- helpers

  private backTo(res: Response, id: string): void {
    res.redirect(303, `/officer/assessments/${id}/blueprint#rules`);
  }

  private async save(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    body: BlueprintBody,
    saved: string,
    origin: Origin,
    entered: Entered = {},
  ): Promise<void> {
    try {
      const dto = await this.validate(ReplaceBlueprintDto, { ...body });
      await this.blueprints.replace(this.actorOf(req), id, dto);
      const anchor = origin.form === 'settings' ? 'settings' : 'rules';
      res.redirect(303, `/officer/assessments/${id}/blueprint?saved=${saved}#${anchor}`);
    } catch (error) {
      const placed = this.place(req, error, origin);
      await this.page(req, res, id, placed, entered, placed.problem?.status);
    }
  }

  /**
   * A refusal's details beside what they name: a rule of the list (`sections.i.rules.j`), a
   * field of the add form when it names the rule being added, or a field of the settings and
   * window forms. A short pool and an unknown bank, question or category are worded here, since
   * the API's detail carries a number or an id.
   */
  private place(req: AuthenticatedRequest, error: unknown, origin: Origin): Placed {
    const lang = this.pages.languageOf(req);
    const problem = formProblem(error, lang);
    if (!problem) throw error;
    const rules: Record<string, string[]> = {};
    const fields: Record<string, string> = {};
    for (const d of problem.details) {
      const where = placeOf(d.field);
      let message = d.message;
      if (problem.code === 'ASSESSMENT_POOL_SHORT') {
        message = this.pages.word(lang, 'blueprint.error.short', { available: d.message });
      } else if (problem.code === 'BLUEPRINT_RULE_UNKNOWN' && where.place === 'rule') {
        message = this.pages.word(lang, `blueprint.error.unknown.${where.sub ?? 'bankId'}`);
      }
      if (where.place === 'field') {
        fields[where.name] ??= message;
      } else if (origin.at && d.field.startsWith(origin.at) && origin.form === 'add') {
        fields[where.sub ?? (origin.fixed ? 'questionId' : 'count')] ??= message;
      } else {
        (rules[where.key] ??= []).push(message);
      }
    }
    return { problem: { ...problem, details: [] }, rules, fields };
  }

  private async page(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    placed: Placed,
    entered: Entered,
    status = 200,
  ): Promise<void> {
    const actor = this.actorOf(req);
    const assessment = await this.assessments.get(actor, id);
    const course = await this.courses.get(actor, assessment.courseId);
    const bp = await this.blueprints.get(actor, id);
    const banks = (await this.banks.list(actor, { status: 'active', limit: 100 })).items;
    const canManage = actor.can('training:manage');
    const canEdit = canManage && course.status === 'draft';
    const pickId = text(req.query.pick);
    const pickBank = pickId && UUID.test(pickId) ? banks.find((b) => b.id === pickId) : undefined;
    const pick =
      canEdit && pickBank
        ? (
            await this.banks.listQuestions(actor, pickBank.id, {
              status: 'active',
              limit: 100,
            })
          ).items
        : [];
    const settings = entered.settings ?? {
      shuffleQuestions: bp.shuffleQuestions ? 'true' : undefined,
      shuffleOptions: bp.shuffleOptions ? 'true' : undefined,
      gradingPolicy: bp.gradingPolicy,
      secondMarking: bp.secondMarking ? 'true' : undefined,
      markerThreshold:
        bp.markerThreshold === null ? '' : String(bp.markerThreshold).replace('.', ','),
    };
    const lastSection = bp.sections[bp.sections.length - 1]?.title;
    const saved = text(req.query.saved);
    this.send(
      req,
      res,
      'officer/blueprint',
      {
        title: 'blueprint.title',
        assessment,
        course,
        bp,
        sections: await this.sectionsOf(actor, bp, banks, placed.rules),
        banks,
        kinds: BANK_QUESTION_KINDS,
        difficulties: ['1', '2', '3'],
        policies: GRADING_POLICIES.map((value) => ({ value, key: `blueprint.policy.${value}` })),
        policyKey: `blueprint.policy.${bp.gradingPolicy}`,
        canManage,
        canEdit,
        // Any drawn attempt may hold an essay (a random rule draws every kind) or an override.
        hasMarking: canManage && bp.drawn,
        pickBank,
        pick: pick.map((q) => ({ ...q, bankId: pickBank?.id })),
        add: entered.add ?? { sectionTitle: lastSection ?? 'Phần 1', count: '1' },
        settings,
        window: entered.window ?? { opensAt: localOf(bp.opensAt), closesAt: localOf(bp.closesAt) },
        opensText: vnDateTime(bp.opensAt),
        closesText: vnDateTime(bp.closesAt),
        problem: placed.problem,
        fields: placed.fields,
        savedKey: saved && SAVED.includes(saved) ? `blueprint.saved.${saved}` : null,
      },
      status,
    );
  }

  /** The blueprint's sections as the page lists them, each rule with its words and refusals. */
  private async sectionsOf(
    actor: ReturnType<OfficerBlueprintPagesController['actorOf']>,
    bp: BlueprintDto,
    banks: QuestionBankDto[],
    errors: Record<string, string[]>,
  ) {
    const categories = new Map(banks.flatMap((b) => b.categories.map((c) => [c.id, c.name])));
    return Promise.all(
      bp.sections.map(async (s, i) => ({
        title: s.title,
        index: i,
        rules: await Promise.all(
          s.rules.map(async (r, j) => ({
            ...r,
            s: i,
            r: j,
            key: `${i}-${j}`,
            first: j === 0,
            last: j === s.rules.length - 1,
            short: r.available < r.count,
            categoryName: r.categoryId ? (categories.get(r.categoryId) ?? r.categoryId) : null,
            // A fixed question is read by its words, not its id.
            prompt: r.questionId
              ? await this.banks
                  .getQuestion(actor, r.bankId, r.questionId)
                  .then((q) => q.prompt)
                  .catch(() => r.questionId)
              : null,
            errors: errors[`${i}-${j}`] ?? [],
          })),
        ),
      })),
    );
  }
}
