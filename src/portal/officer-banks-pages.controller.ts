import {
  Controller,
  Get,
  Param,
  Post,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { readFile, rm } from 'node:fs/promises';
import { AuthenticatedRequest, RequirePermission } from '../auth/access.decorators';
import {
  CreateQuestionBankDto,
  CreateQuestionCategoryDto,
  ImportQtiDto,
  ListBankQuestionsQueryDto,
  ListQuestionBanksQueryDto,
  UpdateQuestionBankDto,
} from '../assessments/dto/question-bank.dto';
import { QuestionBanksService } from '../assessments/question-banks.service';
import {
  QTI_UPLOAD_LIMITS,
  QuestionExchangeService,
  UploadedQtiFile,
} from '../assessments/question-exchange.service';
import { BANK_QUESTION_KINDS } from '../assessments/question-bank.types';
import { UuidParam } from '../common/http/params';
import { attachment } from '../common/http/attachment';
import { OrgUnitsService } from '../org-units/org-units.service';
import { formFields, FormProblem, text } from './forms';
import { defined, Form, OfficerPageBase } from './officer-page-kit';
import { PageRenderer } from './page-renderer';
import { PortalPages } from './portal.decorators';

/** An upload as the portal's multer hands it over: on disk (the imports' storage) or in memory. */
interface UploadedPageFile {
  originalname: string;
  size: number;
  path?: string;
  buffer?: Buffer;
}

const QUESTION_PAGE_SIZE = 20;
const FILTERS = ['categoryId', 'tag', 'difficulty', 'kind', 'status'] as const;

/**
 * The training officer's question bank pages (issue 16): the banks, one bank with its
 * categories, its questions filtered and paged, QTI export and import (dry run first); the
 * question editor is OfficerBankQuestionsPagesController. Each route declares
 * the permission of its API twin and calls the same service with the signed-in actor, so scope
 * (404 "không tìm thấy") and rights (403) are the API's.
 */
@Controller('officer')
@PortalPages()
export class OfficerBanksPagesController extends OfficerPageBase {
  constructor(
    pages: PageRenderer,
    orgUnits: OrgUnitsService,
    private readonly banks: QuestionBanksService,
    private readonly exchange: QuestionExchangeService,
  ) {
    super(pages, orgUnits);
  }

  // ------------------------------------------------------------------ banks

  @Get('banks')
  @RequirePermission('training:read')
  async bankList(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    await this.banksPage(req, res, {});
  }

  @Post('banks')
  @RequirePermission('training:manage')
  async createBank(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const form = formFields(req.body);
    const value = defined({
      ownerOrgUnitId: text(form.ownerOrgUnitId) ?? '',
      name: text(form.name) ?? '',
      description: text(form.description),
    });
    try {
      const dto = await this.validate(CreateQuestionBankDto, value);
      const bank = await this.banks.create(this.actorOf(req), dto);
      res.redirect(303, `/officer/banks/${bank.id}`);
    } catch (error) {
      const problem = this.problemOf(req, error);
      await this.banksPage(req, res, form, problem, problem.status);
    }
  }

  @Get('banks/:id')
  @RequirePermission('training:read')
  async bank(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    await this.bankPage(req, res, id);
  }

  @Post('banks/:id/categories')
  @RequirePermission('training:manage')
  async addCategory(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const form = formFields(req.body);
    try {
      const dto = await this.validate(CreateQuestionCategoryDto, { name: text(form.name) ?? '' });
      await this.banks.addCategory(this.actorOf(req), id, dto);
      res.redirect(303, `/officer/banks/${id}?category=1#categories`);
    } catch (error) {
      const problem = this.problemOf(req, error);
      await this.bankPage(
        req,
        res,
        id,
        { categoryProblem: problem, category: form },
        problem.status,
      );
    }
  }

  /** Archive (no new questions, no new draws) or restore the bank. */
  @Post('banks/:id/status')
  @RequirePermission('training:manage')
  async bankStatus(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const form = formFields(req.body);
    try {
      const dto = await this.validate(UpdateQuestionBankDto, { status: text(form.status) ?? '' });
      await this.banks.update(this.actorOf(req), id, dto);
      res.redirect(
        303,
        `/officer/banks/${id}?${dto.status === 'archived' ? 'archived' : 'restored'}=1`,
      );
    } catch (error) {
      const problem = this.problemOf(req, error);
      await this.bankPage(req, res, id, { problem }, problem.status);
    }
  }

  /** The bank's active questions as a QTI 3.0 content package, as GET /question-banks/:id/qti. */
  @Get('banks/:id/qti')
  @RequirePermission('training:read')
  async exportQti(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const { name, content } = await this.exchange.exportQti(this.actorOf(req), id, {});
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', attachment(name));
    res.setHeader('Cache-Control', 'no-store');
    res.status(200).end(content);
  }

  /**
   * A QTI package or item in: a dry run shows what would be imported and writes nothing; a
   * commit writes every question or none. A multipart form: its CSRF token travels in the
   * form's address (the guard runs before the body is read), as on the HR import page.
   */
  @Post('banks/:id/qti')
  @RequirePermission('training:manage')
  @UseInterceptors(FileInterceptor('file', { limits: QTI_UPLOAD_LIMITS }))
  async importQti(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @UploadedFile() file: UploadedPageFile | undefined,
  ): Promise<void> {
    const form = formFields(req.body);
    const entered = defined({ mode: text(form.mode), categoryId: text(form.categoryId) });
    try {
      const dto = await this.validate(ImportQtiDto, entered);
      const upload: UploadedQtiFile | undefined = file && {
        originalname: file.originalname,
        size: file.size,
        buffer: file.buffer ?? (file.path ? await readFile(file.path) : Buffer.alloc(0)),
      };
      const report = await this.exchange.importQti(this.actorOf(req), id, upload, dto);
      if (!report.dryRun) {
        res.redirect(303, `/officer/banks/${id}?imported=${report.imported}`);
        return;
      }
      await this.bankPage(req, res, id, { importReport: report, importForm: entered });
    } catch (error) {
      const problem = this.problemOf(req, error);
      await this.bankPage(
        req,
        res,
        id,
        { importProblem: problem, importForm: entered },
        problem.status,
      );
    } finally {
      if (file?.path) await rm(file.path, { force: true }).catch(() => undefined);
    }
  }

  // --------------------------------------------------------------- helpers

  private async banksPage(
    req: AuthenticatedRequest,
    res: Response,
    form: Form,
    problem?: unknown,
    status = 200,
  ): Promise<void> {
    const actor = this.actorOf(req);
    const cursor = text(req.query.cursor);
    const query = await this.validate(ListQuestionBanksQueryDto, defined({ cursor, limit: 50 }));
    const page = await this.banks.list(actor, query);
    const canManage = actor.can('training:manage');
    const next = page.nextCursor
      ? `/officer/banks?${new URLSearchParams({ cursor: page.nextCursor }).toString()}`
      : null;
    this.send(
      req,
      res,
      'officer/banks',
      {
        title: 'officer.banks.title',
        banks: page.items,
        next,
        first: cursor ? '/officer/banks' : null,
        canManage,
        units: canManage ? await this.units(actor) : [],
        form,
        problem,
      },
      status,
    );
  }

  private async bankPage(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    extra: Record<string, unknown> = {},
    status = 200,
  ): Promise<void> {
    const actor = this.actorOf(req);
    const bank = await this.banks.get(actor, id);
    const filters: Record<string, string> = {};
    for (const name of FILTERS) {
      const value = text(req.query[name]);
      if (value !== undefined) filters[name] = value;
    }
    const cursor = text(req.query.cursor);
    let query: ListBankQuestionsQueryDto;
    let filterProblem: FormProblem | undefined;
    try {
      query = await this.validate(
        ListBankQuestionsQueryDto,
        defined({ ...filters, cursor, limit: QUESTION_PAGE_SIZE }),
      );
    } catch (error) {
      // A filter that cannot be read (an address typed by hand): said so, the list unfiltered.
      filterProblem = this.problemOf(req, error);
      query = { limit: QUESTION_PAGE_SIZE };
    }
    const page = await this.banks.listQuestions(actor, id, query);
    const canWrite = bank.writable && actor.can('training:manage');
    const path = `/officer/banks/${id}`;
    const next = page.nextCursor
      ? `${path}?${new URLSearchParams({ ...filters, cursor: page.nextCursor }).toString()}#questions`
      : null;
    const filtered = Object.keys(filters).length > 0;
    this.send(
      req,
      res,
      'officer/bank',
      {
        title: 'officer.bank.title',
        bank,
        active: bank.status === 'active',
        canWrite,
        questions: page.items,
        filters,
        filtered,
        filterProblem,
        kinds: BANK_QUESTION_KINDS,
        difficulties: ['1', '2', '3'],
        statuses: ['active', 'retired'],
        next,
        first: cursor ? `${path}?${new URLSearchParams(filters).toString()}#questions` : null,
        category: {},
        importForm: {},
        saved: {
          category: req.query.category === '1',
          archived: req.query.archived === '1',
          restored: req.query.restored === '1',
          imported: typeof req.query.imported === 'string' ? req.query.imported : null,
        },
        ...extra,
      },
      status,
    );
  }
}
