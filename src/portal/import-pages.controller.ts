import {
  Controller,
  Get,
  Param,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { rm } from 'node:fs/promises';
import { AuthenticatedRequest, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { NotFoundError } from '../common/errors/domain-error';
import { errorBodyOf } from '../common/http/all-exceptions.filter';
import { UuidParam } from '../common/http/params';
import {
  CreateImportDto,
  ImportDto,
  ImportRowDto,
  ImportRowsQueryDto,
} from '../imports/dto/import.dto';
import { ExportsService } from '../imports/exports.service';
import { IMPORT_KIND_SPECS, IMPORT_KINDS, ImportKind } from '../imports/import-kinds.types';
import { ImportsService, UploadedImportFile } from '../imports/imports.service';
import { formFields, FormProblem, text, validated } from './forms';
import { PageRenderer } from './page-renderer';
import { PortalPages } from './portal.decorators';

type SignedIn = AuthenticatedRequest & { actor: Actor };

/** States after which an import changes no more: its page stops refreshing itself. */
const FINISHED = new Set(['done', 'failed', 'rolled_back']);

/** Refusals of an upload the person can act on (a value, the file, a rule): shown on the form. */
const FORM_STATUSES = new Set([400, 409, 413, 415, 422]);

/**
 * The organisation department's import pages (/hr/imports): the downloadable templates, an
 * upload with a dry run first, the report of each row, the progress of a large file's job and
 * the rejected rows to fix; and the exports of the same shapes. Same services and permission
 * (people:write: HR and administrators) as POST /api/v1/imports and GET /api/v1/exports.
 */
@Controller('hr/imports')
@PortalPages()
export class ImportPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly imports: ImportsService,
    private readonly exports: ExportsService,
  ) {}

  /** The form: kind, file, dry run or commit; and the templates and exports to download. */
  @Get()
  @RequirePermission('people:write')
  form(@Req() req: SignedIn, @Res() res: Response): void {
    this.pages.send(req, res, 'hr/imports', this.formModel(req, {}));
  }

  /**
   * The upload. A multipart form: the access guard reads its CSRF token from the query string,
   * since multer has not yet read the body when the guard runs.
   */
  @Post()
  @RequirePermission('people:write')
  @UseInterceptors(FileInterceptor('file'))
  async upload(
    @Req() req: SignedIn,
    @Res() res: Response,
    @UploadedFile() file: UploadedImportFile | undefined,
  ): Promise<void> {
    const lang = this.pages.languageOf(req);
    const form = formFields(req.body);
    const entered = { kind: text(form.kind), mode: text(form.mode), onError: text(form.onError) };
    let result: Awaited<ReturnType<ImportsService['upload']>>;
    try {
      const dto = await validated(CreateImportDto, entered);
      result = await this.imports.upload(req.actor, file, dto, lang);
    } catch (error) {
      if (file?.path) await rm(file.path, { force: true }).catch(() => undefined);
      const body = errorBodyOf(error, lang);
      if (!body || !FORM_STATUSES.has(body.statusCode)) throw error;
      const problem: FormProblem = {
        status: body.statusCode,
        message: body.message,
        fields: {},
        details: body.details,
      };
      this.pages.send(
        req,
        res,
        'hr/imports',
        this.formModel(req, { ...entered, problem }),
        body.statusCode,
      );
      return;
    }
    if (result.status === 202) {
      res.redirect(303, `/hr/imports/${result.body.id}`);
      return;
    }
    this.pages.send(
      req,
      res,
      'hr/import',
      this.reportModel(req, result.body, result.body.errorRows),
    );
  }

  /** An import: state, progress, totals and the rows in error; refreshes while a job runs. */
  @Get(':id')
  @RequirePermission('people:write')
  async show(
    @Req() req: SignedIn,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const lang = this.pages.languageOf(req);
    const record = await this.imports.get(req.actor, id);
    const query = await validated(ImportRowsQueryDto, { outcome: 'error', limit: 100 });
    const errors = await this.imports.rows(req.actor, id, query, lang);
    this.pages.send(req, res, 'hr/import', this.reportModel(req, record, errors.items));
  }

  /** The rejected rows as CSV, to fix and upload again. */
  @Get(':id/rejected.csv')
  @RequirePermission('people:write')
  async rejected(
    @Req() req: SignedIn,
    @Param('id', UuidParam) id: string,
  ): Promise<StreamableFile> {
    const { fileName, stream } = await this.imports.rejectedCsv(req.actor, id, undefined);
    return new StreamableFile(stream, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${fileName}"`,
    });
  }

  /** A kind's template (XLSX with lists and notes, or CSV). */
  @Get('templates/:kind')
  @RequirePermission('people:write')
  template(@Param('kind') kind: string, @Query('format') format: unknown): Promise<StreamableFile> {
    return this.exports.template(kindOf(kind), format === 'csv' ? 'csv' : 'xlsx');
  }

  /** The rows of a kind in my scope, in the template's shape. */
  @Get('exports/:kind')
  @RequirePermission('people:write')
  exportFile(
    @Req() req: SignedIn,
    @Param('kind') kind: string,
    @Query('format') format: unknown,
  ): Promise<StreamableFile> {
    return this.exports.export(req.actor, kindOf(kind), format === 'csv' ? 'csv' : 'xlsx');
  }

  private formModel(
    req: SignedIn,
    entered: { kind?: string; mode?: string; onError?: string; problem?: FormProblem },
  ) {
    const lang = this.pages.languageOf(req);
    const canAccounts = req.actor.can('accounts:manage');
    return {
      title: 'imports.title',
      kinds: IMPORT_KINDS.map((k) => ({
        value: k,
        label: IMPORT_KIND_SPECS[k].title[lang],
        selected: entered.kind === k,
        exportable: k !== 'accounts' || canAccounts,
      })),
      commit: entered.mode === 'commit',
      validOnly: entered.onError === 'valid-only',
      problem: entered.problem,
    };
  }

  private reportModel(req: SignedIn, record: ImportDto, errorRows: ImportRowDto[]) {
    const lang = this.pages.languageOf(req);
    const running = !FINISHED.has(record.state);
    const percentDone =
      record.rowsTotal && record.rowsTotal > 0
        ? Math.min(100, Math.floor((record.rowsDone / record.rowsTotal) * 100))
        : null;
    return {
      title: 'imports.report',
      record,
      stateKey: `imports.states.${record.state}`,
      kindLabels: record.kinds.map((k) => IMPORT_KIND_SPECS[k].title[lang]).join(', '),
      dryRun: record.mode === 'dry-run',
      running,
      refresh: running ? 3 : null,
      percentDone,
      clean: record.totals.error === 0,
      errorRows,
      hasRejected: record.totals.error > 0 && record.mode === 'commit',
    };
  }
}

/** A kind named in a page's address; any other address is a page that does not exist. */
function kindOf(value: string): ImportKind {
  if ((IMPORT_KINDS as readonly string[]).includes(value)) return value as ImportKind;
  throw new NotFoundError();
}
