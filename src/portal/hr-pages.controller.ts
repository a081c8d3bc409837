import { Controller, Get, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { AuditService } from '../audit/audit.service';
import { ListAuditQueryDto } from '../audit/dto/audit.dto';
import { AuthenticatedRequest, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { Permission, rolesWith } from '../auth/roles';
import { UuidParam } from '../common/http/params';
import { RecordEvaluationDto } from '../evaluations/dto/evaluation.dto';
import { EvaluationsService } from '../evaluations/evaluations.service';
import { HeatmapQueryDto } from '../gaps/dto/gaps.dto';
import { GapsService } from '../gaps/gaps.service';
import { ListPeopleQueryDto } from '../people/dto/person.dto';
import { PeopleService } from '../people/people.service';
import {
  ChangeReadinessDto,
  CreateNominationDto,
  ListNominationsQueryDto,
  ListPlanningCyclesQueryDto,
} from '../planning/dto/planning.dto';
import { READINESS_LABELS } from '../planning/planning-labels';
import { NominationsService } from '../planning/nominations.service';
import { PlanningCyclesService } from '../planning/planning-cycles.service';
import { ReadinessService } from '../planning/readiness.service';
import { READINESS_LEVELS } from '../planning/planning.types';
import { AppointmentsService } from '../posts/appointments.service';
import { PipelineQueryDto } from '../reports/dto/pipeline.dto';
import { ReportsService } from '../reports/reports.service';
import { ListRotationsQueryDto } from '../rotations/dto/rotation.dto';
import { RotationsService } from '../rotations/rotations.service';
import { formFields, FormProblem, formProblem, numberOrText, text, validated } from './forms';
import { PageRenderer } from './page-renderer';
import { PortalPages } from './portal.decorators';

/** A page behind RequirePermission: the access guard has put the signed-in actor on it. */
type SignedIn = AuthenticatedRequest & { actor: Actor };

/** Notices a page shows after a form succeeded (POST → 303 → GET ?done=<key>). */
const DONE = new Set(['evaluation', 'nomination', 'readiness']);

/** The unit at the top of the actor's scope for a permission: where their reports start. */
function topUnitOf(actor: Actor, permission: Permission): string | undefined {
  const roles: readonly string[] = rolesWith(permission);
  const grants = actor.grants
    .filter((g) => roles.includes(g.role))
    .sort((a, b) => a.path.length - b.path.length);
  return grants[0]?.orgUnitId;
}

/** A query string's values as the API's query DTO reads them (single values only). */
function queryOf(query: Record<string, unknown>, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = text(query[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * The organisation department's pages (/hr): people of the subtree and their posts,
 * evaluations and rotations, planning cycles and nominations, the pipeline with its nine-box
 * and exports, the competency heatmap and the audit log. Each route calls the same service as
 * its API twin and declares the same permission.
 */
@Controller('hr')
@PortalPages()
export class HrPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly people: PeopleService,
    private readonly appointments: AppointmentsService,
    private readonly evaluations: EvaluationsService,
    private readonly rotations: RotationsService,
    private readonly cycles: PlanningCyclesService,
    private readonly nominations: NominationsService,
    private readonly readiness: ReadinessService,
    private readonly reports: ReportsService,
    private readonly gaps: GapsService,
    private readonly audit: AuditService,
  ) {}

  /** People of my subtree, searched by name without diacritics, with the posts they hold. */
  @Get()
  @RequirePermission('people:read')
  async peopleList(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const lang = this.pages.languageOf(req);
    const value = queryOf(query, ['q', 'cursor']);
    let problem: FormProblem | undefined;
    let items: unknown[] = [];
    let nextCursor: string | null = null;
    try {
      const dto = await validated(ListPeopleQueryDto, value);
      const page = await this.people.list(req.actor, dto);
      nextCursor = page.nextCursor;
      // The page's people come from the scoped list: their posts in one query.
      const posts = await this.appointments.listedPeoplesPosts(page.items.map((p) => p.id));
      items = page.items.map((p) => ({ ...p, posts: posts.get(p.id) ?? [] }));
    } catch (error) {
      problem = formProblem(error, lang);
      if (!problem) throw error;
    }
    this.pages.send(
      req,
      res,
      'hr/people',
      {
        title: 'hr.people.title',
        q: value.q ?? '',
        items,
        next: nextCursor
          ? `/hr?${new URLSearchParams({ ...(value.q ? { q: value.q } : {}), cursor: nextCursor }).toString()}`
          : null,
        canManage: req.actor.can('hr:manage'),
        problem,
      },
      problem?.status ?? 200,
    );
  }

  /** A person: posts held, yearly evaluations (and the form to add one), rotations. */
  @Get('people/:id')
  @RequirePermission('people:read')
  async person(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Query('done') done: unknown,
  ): Promise<void> {
    const model = await this.personModel(req, id);
    const notice = typeof done === 'string' && DONE.has(done) ? `hr.done.${done}` : undefined;
    this.pages.send(req, res, 'hr/person', { ...model, notice });
  }

  @Post('people/:id/evaluations')
  @RequirePermission('hr:manage')
  async recordEvaluation(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const form = formFields(req.body);
    const value = {
      personId: id,
      year: numberOrText(form.year),
      score: numberOrText(form.score),
      comments: text(form.comments),
    };
    try {
      const dto = await validated(RecordEvaluationDto, value);
      await this.evaluations.record(req.actor, dto);
    } catch (error) {
      const problem = formProblem(error, this.pages.languageOf(req));
      if (!problem) throw error;
      const model = await this.personModel(req, id);
      this.pages.send(
        req,
        res,
        'hr/person',
        {
          ...model,
          problem,
          entered: { year: form.year, score: form.score, comments: form.comments },
        },
        problem.status,
      );
      return;
    }
    res.redirect(303, `/hr/people/${id}?done=evaluation#evaluations`);
  }

  private async personModel(req: SignedIn, id: string) {
    const lang = this.pages.languageOf(req);
    const person = await this.people.get(req.actor, id);
    const [posts, evaluations] = await Promise.all([
      this.appointments.currentPostsForPerson(req.actor, id),
      this.evaluations.listForPerson(req.actor, id, { limit: 50 }),
    ]);
    const canManage = req.actor.can('hr:manage');
    const rotations = canManage
      ? (
          await this.rotations.listForPerson(
            req.actor,
            id,
            await validated(ListRotationsQueryDto, { limit: 50 }),
            lang,
          )
        ).items
      : [];
    return {
      title: 'hr.person.title',
      person,
      posts: posts.items,
      evaluations: evaluations.items,
      rotations,
      canManage,
      thisYear: new Date().getUTCFullYear(),
    };
  }

  /** Planning cycles in scope, newest term first. */
  @Get('cycles')
  @RequirePermission('people:read')
  async cyclesList(@Req() req: SignedIn, @Res() res: Response): Promise<void> {
    const lang = this.pages.languageOf(req);
    const dto = await validated(ListPlanningCyclesQueryDto, { limit: 100 });
    const page = await this.cycles.list(req.actor, dto, lang);
    this.pages.send(req, res, 'hr/cycles', { title: 'hr.cycles.title', items: page.items });
  }

  /** A cycle: its rules and posts, the nominees with their readiness beside the suggestion. */
  @Get('cycles/:id')
  @RequirePermission('people:read')
  async cycle(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Query('done') done: unknown,
  ): Promise<void> {
    const model = await this.cycleModel(req, id);
    const notice = typeof done === 'string' && DONE.has(done) ? `hr.done.${done}` : undefined;
    this.pages.send(req, res, 'hr/cycle', { ...model, notice });
  }

  /** Changes a nominee's readiness; one other than the suggestion needs a reason. */
  @Post('cycles/:id/nominations/:nominationId/readiness')
  @RequirePermission('hr:manage')
  async changeReadiness(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Param('nominationId', UuidParam) nominationId: string,
  ): Promise<void> {
    const lang = this.pages.languageOf(req);
    const form = formFields(req.body);
    const value = { readiness: text(form.readiness), reason: text(form.reason) };
    try {
      const dto = await validated(ChangeReadinessDto, value);
      await this.readiness.changeReadiness(req.actor, id, nominationId, dto, lang);
    } catch (error) {
      const problem = formProblem(error, lang);
      if (!problem) throw error;
      const model = await this.cycleModel(req, id, { nominationId, ...value });
      this.pages.send(req, res, 'hr/cycle', { ...model, problem }, problem.status);
      return;
    }
    res.redirect(303, `/hr/cycles/${id}?done=readiness`);
  }

  private async cycleModel(
    req: SignedIn,
    id: string,
    entered: { nominationId?: string; readiness?: string; reason?: string } = {},
  ) {
    const lang = this.pages.languageOf(req);
    const cycle = await this.cycles.get(req.actor, id, lang);
    const dto = await validated(ListNominationsQueryDto, { limit: 100 });
    const list = await this.nominations.list(req.actor, id, dto, lang);
    const editable = req.actor.can('hr:manage') && ['draft', 'open'].includes(cycle.status);
    const posts = cycle.posts.map((p) => ({
      ...p,
      nominees: list.items
        .filter((n) => n.postId === p.id)
        .map((n) => {
          const mine = entered.nominationId === n.id;
          return {
            ...n,
            editable: editable && n.status !== 'removed',
            open: mine,
            reason: mine ? (entered.reason ?? '') : '',
            choices: READINESS_LEVELS.map((r) => ({
              value: r,
              label: READINESS_LABELS[r][lang],
              selected: r === (mine ? entered.readiness : n.readiness),
            })),
          };
        }),
    }));
    return {
      title: 'hr.cycle.title',
      cycle,
      posts,
      targets: list.targets,
      warnings: list.warnings,
      canNominate: editable,
    };
  }

  /** The nomination form: find a person (by name, without diacritics), a post, a readiness. */
  @Get('cycles/:id/nominate')
  @RequirePermission('hr:manage')
  async nominateForm(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const value = queryOf(query, ['q', 'postId']);
    const model = await this.nominateModel(req, id, value.q, {
      postId: value.postId,
    });
    this.pages.send(req, res, 'hr/nominate', model, model.problem?.status ?? 200);
  }

  @Post('cycles/:id/nominations')
  @RequirePermission('hr:manage')
  async nominate(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const lang = this.pages.languageOf(req);
    const form = formFields(req.body);
    const value = {
      postId: text(form.postId),
      personId: text(form.personId),
      readiness: text(form.readiness),
      readinessReason: text(form.readinessReason),
    };
    try {
      const dto = await validated(CreateNominationDto, value);
      await this.nominations.create(req.actor, id, dto, lang);
    } catch (error) {
      const problem = formProblem(error, lang);
      if (!problem) throw error;
      const model = await this.nominateModel(req, id, text(form.q), value, problem);
      this.pages.send(req, res, 'hr/nominate', model, problem.status);
      return;
    }
    res.redirect(303, `/hr/cycles/${id}?done=nomination`);
  }

  private async nominateModel(
    req: SignedIn,
    id: string,
    q: string | undefined,
    entered: Record<string, unknown>,
    problem?: FormProblem,
  ) {
    const lang = this.pages.languageOf(req);
    const cycle = await this.cycles.get(req.actor, id, lang);
    let people: { id: string; fullName: string; birthDate: string | null }[] = [];
    let searchProblem: FormProblem | undefined;
    if (q !== undefined) {
      try {
        const dto = await validated(ListPeopleQueryDto, { q, status: 'active', limit: 30 });
        people = (await this.people.list(req.actor, dto)).items;
      } catch (error) {
        searchProblem = formProblem(error, lang);
        if (!searchProblem) throw error;
      }
    }
    return {
      title: 'hr.nominate.title',
      cycle,
      q: q ?? '',
      searched: q !== undefined,
      people: people.map((p) => ({ ...p, checked: p.id === entered.personId })),
      posts: cycle.posts.map((p) => ({ ...p, selected: p.id === entered.postId })),
      readiness: READINESS_LEVELS.map((r) => ({
        value: r,
        label: READINESS_LABELS[r][lang],
        selected: r === entered.readiness,
      })),
      readinessReason: entered.readinessReason ?? '',
      problem: problem ?? searchProblem,
    };
  }

  /** The pipeline of my subtree: summary, posts at risk, the nine-box, CSV and PDF. */
  @Get('pipeline')
  @RequirePermission('hr:manage')
  async pipeline(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Query('cursor') cursor: unknown,
  ): Promise<void> {
    const lang = this.pages.languageOf(req);
    const unitId = topUnitOf(req.actor, 'hr:manage')!;
    // The summary and nine-box cover the whole subtree; the posts come 100 at a time.
    const dto = await validated(PipelineQueryDto, { limit: 100, cursor: text(cursor) });
    const report = await this.reports.report(req.actor, unitId, dto, lang);
    // Potential high → low by rows, performance low → high by columns (as the API lists them).
    this.pages.send(req, res, 'hr/pipeline', {
      title: 'hr.pipeline.title',
      report,
      atRisk: report.items.filter((p) => p.atRisk),
      nineBox: report.nineBox,
      next: report.nextCursor
        ? `/hr/pipeline?cursor=${encodeURIComponent(report.nextCursor)}#at-risk`
        : null,
    });
  }

  @Get('pipeline/csv')
  @RequirePermission('hr:manage')
  async pipelineCsv(@Req() req: SignedIn, @Res() res: Response): Promise<void> {
    await this.download(res, req.actor, 'csv');
  }

  @Get('pipeline/pdf')
  @RequirePermission('hr:manage')
  async pipelinePdf(@Req() req: SignedIn, @Res() res: Response): Promise<void> {
    await this.download(res, req.actor, 'pdf');
  }

  private async download(res: Response, actor: Actor, format: 'csv' | 'pdf'): Promise<void> {
    const file: StreamableFile = await this.reports.exportFile(
      actor,
      topUnitOf(actor, 'hr:manage')!,
      undefined,
      format,
    );
    const headers = file.getHeaders();
    res.status(200);
    if (headers.type) res.setHeader('Content-Type', headers.type);
    if (headers.disposition) res.setHeader('Content-Disposition', headers.disposition);
    if (headers.length !== undefined) res.setHeader('Content-Length', String(headers.length));
    res.setHeader('Cache-Control', 'no-store');
    file.getStream().pipe(res);
  }

  /** Competency gaps of the chairs (or another post type) of my subtree, by unit. */
  @Get('heatmap')
  @RequirePermission('people:read')
  async heatmap(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const lang = this.pages.languageOf(req);
    const unitId = topUnitOf(req.actor, 'people:read')!;
    let problem: FormProblem | undefined;
    let map: Awaited<ReturnType<GapsService['heatmap']>> | undefined;
    try {
      const dto = await validated(HeatmapQueryDto, queryOf(query, ['postType', 'cursor']));
      map = await this.gaps.heatmap(req.actor, unitId, dto);
    } catch (error) {
      problem = formProblem(error, lang);
      if (!problem) throw error;
    }
    const rows = map?.rows.map((r) => ({
      ...r,
      cells: r.cells.map((c) => ({
        ...c,
        band: c.share === null ? 'none' : c.share >= 0.5 ? 'high' : c.share >= 0.2 ? 'mid' : 'low',
      })),
    }));
    this.pages.send(req, res, 'hr/heatmap', {
      title: 'hr.heatmap.title',
      map,
      rows,
      competencies: map?.competencies.map((c) => ({
        ...c,
        name: lang === 'en' ? c.nameEn : c.nameVi,
      })),
      problem,
    });
  }

  /** The audit log of my subtree, newest first. */
  @Get('audit')
  @RequirePermission('audit:read')
  async auditLog(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const lang = this.pages.languageOf(req);
    const value = queryOf(query, ['cursor']);
    let problem: FormProblem | undefined;
    let page: Awaited<ReturnType<AuditService['list']>> = { items: [], nextCursor: null };
    try {
      const dto = await validated(ListAuditQueryDto, { limit: 50, ...value });
      page = await this.audit.list(req.actor, dto);
    } catch (error) {
      problem = formProblem(error, lang);
      if (!problem) throw error;
    }
    this.pages.send(
      req,
      res,
      'hr/audit',
      {
        title: 'hr.audit.title',
        items: page.items.map((e) => {
          const key = `hr.entity.${e.entityType}`;
          const word = this.pages.word(lang, key);
          return { ...e, entityLabel: word === key ? e.entityType : word };
        }),
        next: page.nextCursor ? `/hr/audit?cursor=${encodeURIComponent(page.nextCursor)}` : null,
        problem,
      },
      problem?.status ?? 200,
    );
  }
}
