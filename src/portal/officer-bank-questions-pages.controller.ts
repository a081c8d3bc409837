import { Controller, Get, Param, Post, Req, Res, Type } from '@nestjs/common';
import type { Response } from 'express';
import { AuthenticatedRequest, RequirePermission } from '../auth/access.decorators';
import {
  BankQuestionDetailDto,
  CreateBankQuestionDto,
  QuestionBankDto,
  ReviseBankQuestionDto,
  UpdateBankQuestionDto,
} from '../assessments/dto/question-bank.dto';
import { QuestionBanksService } from '../assessments/question-banks.service';
import {
  BANK_QUESTION_KINDS,
  BankQuestionKind,
  QuestionBody,
} from '../assessments/question-bank.types';
import { detail, DomainError } from '../common/errors/domain-error';
import { Language } from '../common/http/language';
import { UuidParam } from '../common/http/params';
import { OrgUnitsService } from '../org-units/org-units.service';
import { formFields, formProblem, numberOrText, text } from './forms';
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

/** The editor's refusal: like a form's, with each input's messages (several per textarea). */
interface QuestionProblem {
  status: number;
  message: string;
  fields: Record<string, string[]>;
  details: { field: string; message: string }[];
}

/**
 * The question editor of a bank (issue 16), every kind: a new question, a question with its
 * versions, saving (a changed prompt, points or body is a new version), retire and restore. The
 * form is checked by the DTO and the grading engine before anything is written, and every
 * failure is shown beside its input. Same services, scope (404) and rights (403) as the API.
 */
@Controller('officer')
@PortalPages()
export class OfficerBankQuestionsPagesController extends OfficerPageBase {
  constructor(
    pages: PageRenderer,
    orgUnits: OrgUnitsService,
    private readonly banks: QuestionBanksService,
  ) {
    super(pages, orgUnits);
  }

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
