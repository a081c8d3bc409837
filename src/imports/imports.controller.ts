import {
  Body,
  CallHandler,
  Controller,
  ExecutionContext,
  Get,
  Injectable,
  NestInterceptor,
  Param,
  PayloadTooLargeException,
  Post,
  Query,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { rm } from 'node:fs/promises';
import { catchError, Observable, throwError } from 'rxjs';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { Language, RequestLanguage } from '../common/http/language';
import { UuidParam } from '../common/http/params';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { ApiFileResponse, ApiPageResponse } from '../common/openapi/api-page.decorator';
import { Page } from '../common/pagination/page';
import {
  CreateImportDto,
  ImportDto,
  ImportReportDto,
  ImportRowDto,
  ImportRowsQueryDto,
  RejectedQueryDto,
} from './dto/import.dto';
import { Inject } from '@nestjs/common';
import { IMPORT_CONFIG, ImportConfig } from './import-config';
import { ImportsService, UploadedImportFile } from './imports.service';

/**
 * Around multer: a file over IMPORT_MAX_BYTES answers 413 with the limit in Vietnamese, and an
 * upload refused for any reason (a bad form field, a bad file) leaves no file on disk.
 */
@Injectable()
class UploadGuardInterceptor implements NestInterceptor {
  constructor(@Inject(IMPORT_CONFIG) private readonly config: ImportConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request & { file?: { path?: string } }>();
    return next.handle().pipe(
      catchError((error: unknown) => {
        const path = req.file?.path;
        const cleanup = path ? rm(path, { force: true }).catch(() => undefined) : undefined;
        void cleanup;
        if (error instanceof PayloadTooLargeException) {
          const maxMb = Math.round((this.config.maxBytes / 1024 / 1024) * 10) / 10;
          return throwError(() => new DomainError('IMPORT_FILE_TOO_LARGE', { maxMb }));
        }
        return throwError(() => error);
      }),
    );
  }
}

@ApiTags('imports')
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @RequirePermission('people:write')
  @UseInterceptors(UploadGuardInterceptor, FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: '.xlsx or .csv (UTF-8)' },
        kind: {
          type: 'string',
          enum: ['org_units', 'people', 'posts', 'terms', 'appointments', 'accounts'],
        },
        mode: { type: 'string', enum: ['dry-run', 'commit'], default: 'dry-run' },
        onError: { type: 'string', enum: ['all-or-none', 'valid-only'], default: 'all-or-none' },
      },
    },
  })
  @ApiOkResponse({ type: ImportReportDto, description: 'Dry run: the report, nothing written' })
  @ApiCreatedResponse({ type: ImportReportDto, description: 'Commit: the rows written' })
  @ApiAcceptedResponse({
    type: ImportReportDto,
    description: 'More rows than IMPORT_ASYNC_THRESHOLD: a queued job; poll GET /imports/:id',
  })
  @ApiErrors(
    'IMPORT_FILE_REQUIRED',
    'IMPORT_EMPTY_FILE',
    'IMPORT_FILE_TOO_LARGE',
    'IMPORT_NOT_SPREADSHEET',
    'IMPORT_FILE_PROTECTED',
    'IMPORT_CSV_NOT_UTF8',
    'IMPORT_KIND_REQUIRED',
    'IMPORT_KIND_NOT_SUPPORTED',
    'IMPORT_MISSING_HEADERS',
    'IMPORT_MERGED_CELLS',
    'IMPORT_NO_ROWS',
    'IMPORT_ROWS_INVALID',
  )
  @ApiOperation({
    summary: 'Nhập đơn vị, cán bộ, chức danh, nhiệm kỳ, bổ nhiệm, tài khoản từ tệp Excel hoặc CSV',
    description:
      'Bulk import from XLSX or CSV (multipart field "file"): a dry run answers the per-row report; a commit writes all rows or none (or the valid ones with onError=valid-only). Above IMPORT_ASYNC_THRESHOLD rows: 202 and a job. Accounts rows need accounts:manage over their scope unit (administrators): an HR importer\'s accounts rows are each refused with the reason; imported accounts are invited (no password), and POST /accounts/invitations/bulk sends their links.',
  })
  async create(
    @CurrentActor() actor: Actor,
    @UploadedFile() file: UploadedImportFile | undefined,
    @Body() dto: CreateImportDto,
    @RequestLanguage() lang: Language,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImportReportDto> {
    const { status, body } = await this.imports.upload(actor, file, dto, lang);
    res.status(status);
    return body;
  }

  @Get(':id')
  @RequirePermission('people:write')
  @ApiOkResponse({ type: ImportDto })
  @ApiErrors('IMPORT_NOT_FOUND')
  @ApiOperation({
    summary: 'Trạng thái và tiến độ của lần nhập',
    description: 'State, totals and progress (rowsDone / rowsTotal) of an import',
  })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<ImportDto> {
    return this.imports.get(actor, id);
  }

  @Get(':id/rows')
  @RequirePermission('people:write')
  @ApiPageResponse(ImportRowDto)
  @ApiErrors('IMPORT_NOT_FOUND', 'INVALID_CURSOR')
  @ApiOperation({
    summary: 'Kết quả từng dòng của lần nhập',
    description: 'The per-row report (created, updated, unchanged, error), keyset paged',
  })
  rows(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: ImportRowsQueryDto,
    @RequestLanguage() lang: Language,
  ): Promise<Page<ImportRowDto>> {
    return this.imports.rows(actor, id, query, lang);
  }

  @Get(':id/rejected.csv')
  @RequirePermission('people:write')
  @ApiProduces('text/csv')
  @ApiFileResponse('The rejected rows in the file’s columns, with the row number and the errors')
  @ApiErrors('IMPORT_NOT_FOUND')
  @ApiOperation({
    summary: 'Tải các dòng bị từ chối để sửa và nhập lại',
    description: 'Rejected rows as CSV for Excel (UTF-8 with BOM), with an error column',
  })
  async rejected(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: RejectedQueryDto,
  ): Promise<StreamableFile> {
    const { fileName, stream } = await this.imports.rejectedCsv(actor, id, query.kind);
    return new StreamableFile(stream, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${fileName}"`,
    });
  }
}
