import {
  Controller,
  Get,
  Param,
  Post,
  Req,
  Res,
  Type,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { readFile, rm } from 'node:fs/promises';
import { AuthenticatedRequest, RequirePermission } from '../auth/access.decorators';
import {
  BankQuestionDetailDto,
  CreateBankQuestionDto,
  CreateQuestionBankDto,
  CreateQuestionCategoryDto,
  ImportQtiDto,
  ListBankQuestionsQueryDto,
  ListQuestionBanksQueryDto,
  QuestionBankDto,
  ReviseBankQuestionDto,
  UpdateBankQuestionDto,
  UpdateQuestionBankDto,
} from '../assessments/dto/question-bank.dto';
import { QuestionBanksService } from '../assessments/question-banks.service';
import {
  QTI_UPLOAD_LIMITS,
  QuestionExchangeService,
  UploadedQtiFile,
} from '../assessments/question-exchange.service';
import {
  BANK_QUESTION_KINDS,
  BankQuestionKind,
  QuestionBody,
} from '../assessments/question-bank.types';
import { detail, DomainError } from '../common/errors/domain-error';
import { Language } from '../common/http/language';
import { UuidParam } from '../common/http/params';
import { attachment } from '../common/http/attachment';
import { OrgUnitsService } from '../org-units/org-units.service';
import { formFields, FormProblem, formProblem, numberOrText, text } from './forms';
import { defined, Form, OfficerPageBase } from './officer-page-kit';
import { PageRenderer } from './page-renderer';
import { PortalPages } from './portal.decorators';
import {
  blankForm,
  BuiltQuestion,
  buildQuestion,
  formOfQuestion,
  isKind,
  LETTERS,
  optionRows,
  POLICIES,
  tagsOf,
} from './question-form';

/** An upload as the portal's multer hands it over: on disk (the imports' storage) or in memory. */
interface UploadedPageFile {
  originalname: string;
  size: number;
  path?: string;
  buffer?: Buffer;
}

/** The editor's refusal: like a form's, with each input's messages (several per textarea). */
interface QuestionProblem {
  status: number;
  message: string;
  fields: Record<string, string[]>;
  details: { field: string; message: string }[];
}

const QUESTION_PAGE_SIZE = 20;
const FILTERS = ['categoryId', 'tag', 'difficulty', 'kind', 'status'] as const;

/**
 * The training officer's question bank pages (issue 16): the banks, one bank with its
 * categories, its questions filtered and paged, QTI export and import (dry run first), and the
 * question editor of every kind, where saving a change makes a new version. Each route declares
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

  // ------------------------------------------------------------- questions

  @Get('banks/:id/questions/new')
  @RequirePermission('training:manage')
  async newQuestion(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const bank = await this.writableBank(req, id);
    const asked = req.query.kind;
    if (asked !== undefined && !isKind(asked)) throw this.unknownKind();
    const kind = isKind(asked) ? asked : 'single';
    this.editorPage(req, res, bank, kind, blankForm(kind));
  }

  @Post('banks/:id/questions')
  @RequirePermission('training:manage')
  async createQuestion(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const actor = this.actorOf(req);
    const form = formFields(req.body);
    const bank = await this.writableBank(req, id);
    if (!isKind(form.kind)) throw this.unknownKind();
    const kind = form.kind;
    const built = buildQuestion(kind, form);
    const value = { ...this.questionValue(form, built), categoryId: text(form.categoryId) };
    const checked = await this.checkQuestion(req, CreateBankQuestionDto, defined(value), built);
    if ('problem' in checked) {
      return this.editorPage(req, res, bank, kind, form, undefined, checked.problem);
    }
    try {
      const question = await this.banks.createQuestion(actor, id, checked.dto);
      res.redirect(303, `/officer/banks/${id}/questions/${question.id}?saved=1`);
    } catch (error) {
      const problem = this.questionProblem(req, error, built);
      this.editorPage(req, res, bank, kind, form, undefined, problem);
    }
  }

  @Get('banks/:id/questions/:questionId')
  @RequirePermission('training:read')
  async question(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Param('questionId', UuidParam) questionId: string,
  ): Promise<void> {
    const actor = this.actorOf(req);
    const question = await this.banks.getQuestion(actor, id, questionId);
    const bank = await this.banks.get(actor, id);
    this.editorPage(req, res, bank, question.kind, formOfQuestion(question), question);
  }

  /** Saves the editor: a changed prompt, points or body is a new version; the placing changes in place. */
  @Post('banks/:id/questions/:questionId')
  @RequirePermission('training:manage')
  async reviseQuestion(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Param('questionId', UuidParam) questionId: string,
  ): Promise<void> {
    const actor = this.actorOf(req);
    const form = formFields(req.body);
    const bank = await this.writableBank(req, id);
    const current = await this.banks.getQuestion(actor, id, questionId);
    const built = buildQuestion(current.kind, form, current.body as unknown as QuestionBody);
    const value = defined({
      ...this.questionValue(form, built),
      categoryId: text(form.categoryId) ?? null,
      expectedVersion: numberOrText(form.expectedVersion),
    });
    const checked = await this.checkQuestion(req, ReviseBankQuestionDto, value, built);
    const again = { ...form, kind: current.kind };
    if ('problem' in checked) {
      return this.editorPage(req, res, bank, current.kind, again, current, checked.problem);
    }
    try {
      await this.banks.reviseQuestion(actor, id, questionId, checked.dto);
      res.redirect(303, `/officer/banks/${id}/questions/${questionId}?saved=1`);
    } catch (error) {
      const problem = this.questionProblem(req, error, built);
      this.editorPage(req, res, bank, current.kind, again, current, problem);
    }
  }

  /** Retire (never drawn again) or restore a question. */
  @Post('banks/:id/questions/:questionId/status')
  @RequirePermission('training:manage')
  async questionStatus(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Param('questionId', UuidParam) questionId: string,
  ): Promise<void> {
    const actor = this.actorOf(req);
    const form = formFields(req.body);
    try {
      const dto = await this.validate(UpdateBankQuestionDto, { status: text(form.status) ?? '' });
      await this.banks.updateQuestion(actor, id, questionId, dto);
      const done = dto.status === 'retired' ? 'retired' : 'restored';
      res.redirect(303, `/officer/banks/${id}/questions/${questionId}?${done}=1`);
    } catch (error) {
      const problem = this.problemOf(req, error);
      const question = await this.banks.getQuestion(actor, id, questionId);
      const bank = await this.banks.get(actor, id);
      const form = formOfQuestion(question);
      this.editorPage(req, res, bank, question.kind, form, question, { ...problem, fields: {} });
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

  /** The bank to add to or change: one the officer may write, else 404 as the API answers. */
  private async writableBank(req: AuthenticatedRequest, id: string): Promise<QuestionBankDto> {
    const bank = await this.banks.get(this.actorOf(req), id);
    if (!bank.writable) throw new DomainError('QUESTION_BANK_NOT_FOUND');
    return bank;
  }

  private unknownKind(): DomainError {
    return new DomainError('VALIDATION_FAILED', {}, [
      detail(
        'kind',
        `Loại câu hỏi phải là một trong: ${BANK_QUESTION_KINDS.join(', ')}.`,
        `The question kind must be one of: ${BANK_QUESTION_KINDS.join(', ')}.`,
      ),
    ]);
  }

  /** What the form gives besides the body: the fields every kind shares. */
  private questionValue(form: Form, built: BuiltQuestion): Record<string, unknown> {
    return {
      prompt: built.prompt,
      points: built.points,
      body: built.body,
      tags: tagsOf(form.tags),
      difficulty: numberOrText(form.difficulty),
    };
  }

  /**
   * The DTO's checks of the shared fields and the grading engine's checks of the content, both
   * before anything is written, so every failure is shown at once beside its input. The engine
   * alone speaks for prompt, points and body (it checks them more closely than the DTO).
   */
  private async checkQuestion<T extends object>(
    req: AuthenticatedRequest,
    dto: Type<T>,
    value: Record<string, unknown>,
    built: BuiltQuestion,
  ): Promise<{ dto: T } | { problem: QuestionProblem }> {
    const lang = this.pages.languageOf(req);
    const details: { field: string; message: string }[] = [];
    const failures = this.banks.checkContent(built);
    details.push(...failures.map((d) => ({ field: d.field, message: d[lang] })));
    let checked: T | undefined;
    try {
      checked = await this.validate(dto, value);
    } catch (error) {
      const problem = formProblem(error, lang);
      if (!problem) throw error;
      details.push(...problem.details.filter((d) => !/^(prompt|points|body)\b/.test(d.field)));
    }
    if (details.length === 0 && checked) return { dto: checked };
    const message = this.pages.word(lang, 'officer.bankQuestion.refused');
    return { problem: this.placed(req, 400, message, details, built) };
  }

  /** A refusal of the service (archived bank, a newer version, a category gone …) on the form. */
  private questionProblem(
    req: AuthenticatedRequest,
    error: unknown,
    built: BuiltQuestion,
  ): QuestionProblem {
    const problem = formProblem(error, this.pages.languageOf(req));
    if (!problem) throw error;
    return this.placed(req, problem.status, problem.message, problem.details, built);
  }

  /** Each failure beside its input (a textarea's by its line), and listed above the form. */
  private placed(
    req: AuthenticatedRequest,
    status: number,
    message: string,
    failures: { field: string; message: string }[],
    built: BuiltQuestion,
  ): QuestionProblem {
    const lang = this.pages.languageOf(req);
    const fields: Record<string, string[]> = {};
    const details: { field: string; message: string }[] = [];
    for (const f of failures) {
      const spot = built.spotOf(f.field);
      let shown = built.unchosen.includes(spot.field)
        ? this.pages.word(lang, `officer.bankQuestion.choose.${spot.field}`)
        : f.message;
      if (spot.line) {
        shown = `${this.pages.word(lang, 'officer.bankQuestion.line', { no: spot.line })}: ${shown}`;
      }
      const list = (fields[spot.field] ??= []);
      if (list.includes(shown)) continue;
      list.push(shown);
      details.push({ field: this.fieldLabel(lang, spot.field), message: shown });
    }
    return { status, message, fields, details };
  }

  private fieldLabel(lang: Language, field: string): string {
    const option = /^option_(\d+)$/.exec(field);
    if (option) {
      return this.pages.word(lang, 'officer.bankQuestion.option', {
        key: LETTERS[Number(option[1])],
      });
    }
    return this.pages.word(lang, `officer.bankQuestion.label.${field}`);
  }

  private editorPage(
    req: AuthenticatedRequest,
    res: Response,
    bank: QuestionBankDto,
    kind: BankQuestionKind,
    form: Form,
    question?: BankQuestionDetailDto,
    problem?: QuestionProblem,
  ): void {
    const actor = this.actorOf(req);
    const canWrite = bank.writable && actor.can('training:manage');
    const base = `/officer/banks/${bank.id}/questions`;
    this.send(
      req,
      res,
      'officer/bank-question',
      {
        title: question ? 'officer.bankQuestion.title' : 'officer.bankQuestion.newTitle',
        bank,
        kind,
        is: { [kind]: true, choice: kind === 'single' || kind === 'multiple' },
        question,
        versions: question?.versions.map((v) => ({
          ...v,
          current: v.version === question.version,
        })),
        action: question ? `${base}/${question.id}` : base,
        form,
        options: optionRows(form).map((o) => ({
          ...o,
          errorId: `option_${o.row}`,
          errors: problem?.fields[`option_${o.row}`],
        })),
        policies: POLICIES,
        categories: bank.categories.map((c) => ({ ...c, selected: c.id === form.categoryId })),
        difficulties: ['1', '2', '3'],
        canWrite,
        archived: bank.status === 'archived',
        saved: {
          saved: req.query.saved === '1',
          retired: req.query.retired === '1',
          restored: req.query.restored === '1',
        },
        problem,
      },
      problem?.status ?? 200,
    );
  }
}
