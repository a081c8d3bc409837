import {
  Body,
  Controller,
  Get,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { TABLE_CONTENT_TYPES } from '../common/csv/table';
import { UuidParam } from '../common/http/params';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { Page } from '../common/pagination/page';
import { attachment } from '../common/http/attachment';
import {
  BankQuestionDetailDto,
  BankQuestionDto,
  CreateBankQuestionDto,
  CreateQuestionBankDto,
  CreateQuestionCategoryDto,
  ExportQtiQueryDto,
  ImportQtiDto,
  ImportQuestionSheetDto,
  ListBankQuestionsQueryDto,
  ListQuestionBanksQueryDto,
  QtiImportReportDto,
  QuestionBankDto,
  QuestionSheetReportDto,
  QuestionTemplateQueryDto,
  ReviseBankQuestionDto,
  UpdateBankQuestionDto,
  UpdateQuestionBankDto,
} from './dto/question-bank.dto';
import { BankQuestionStatisticsDto } from './dto/item-statistics.dto';
import { ItemStatisticsService } from './item-statistics.service';
import { QuestionBanksService } from './question-banks.service';
import { QuestionExchangeService, UploadedQtiFile } from './question-exchange.service';
import {
  QUESTION_SHEET_MAX_BYTES,
  QuestionSheetService,
  UploadedSheetFile,
} from './question-sheet.service';
import { QTI_PACKAGE_LIMITS } from './questions/qti';
import { QUESTION_SHEET } from './questions/question-sheet';

@ApiTags('question-banks')
@Controller('question-banks')
export class QuestionBanksController {
  constructor(
    private readonly banks: QuestionBanksService,
    private readonly exchange: QuestionExchangeService,
    private readonly sheets: QuestionSheetService,
    private readonly stats: ItemStatisticsService,
  ) {}

  @Post()
  @RequirePermission('training:manage')
  @ApiCreatedResponse({ type: QuestionBankDto })
  @ApiErrors('ORG_UNIT_NOT_FOUND')
  @ApiOperation({
    summary: 'Tạo ngân hàng câu hỏi của một đơn vị',
    description: 'Create a question bank owned by a unit of the officer’s subtree',
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateQuestionBankDto) {
    return this.banks.create(actor, dto);
  }

  @Get()
  @RequirePermission('training:read')
  @ApiOkResponse({ description: 'Page of QuestionBankDto, by name' })
  @ApiOperation({
    summary: 'Danh sách ngân hàng câu hỏi',
    description: 'Banks of the subtree and the active banks of the units above, by name',
  })
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListQuestionBanksQueryDto,
  ): Promise<Page<QuestionBankDto>> {
    return this.banks.list(actor, query);
  }

  // Before ':id', which would take "question-template" for an id.
  @Get('question-template')
  @RequirePermission('training:read')
  @ApiProduces(TABLE_CONTENT_TYPES.xlsx, TABLE_CONTENT_TYPES.csv)
  @ApiOkResponse({ description: 'The template file' })
  @ApiErrors(400)
  @ApiOperation({
    summary: 'Tải mẫu bảng tính để nhập câu hỏi vào ngân hàng',
    description:
      'XLSX: the sheet "Câu hỏi" (headers with hints as comments, drop-down lists, one example ' +
      'row per question kind) and the sheet "Hướng dẫn" (each column and kind explained); CSV: ' +
      'the headers and the examples, UTF-8 with BOM',
  })
  questionTemplate(@Query() query: QuestionTemplateQueryDto): Promise<StreamableFile> {
    return this.sheets.template(query.format ?? 'xlsx');
  }

  @Get(':id')
  @RequirePermission('training:read')
  @ApiOkResponse({ type: QuestionBankDto })
  @ApiErrors('QUESTION_BANK_NOT_FOUND')
  @ApiOperation({
    summary: 'Xem ngân hàng câu hỏi và các nhóm câu hỏi',
    description: 'A bank with its categories and question counts',
  })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string) {
    return this.banks.get(actor, id);
  }

  @Patch(':id')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: QuestionBankDto })
  @ApiErrors('QUESTION_BANK_NOT_FOUND')
  @ApiOperation({
    summary: 'Sửa, lưu trữ hoặc khôi phục ngân hàng câu hỏi',
    description: 'Rename, describe, archive or restore a bank',
  })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateQuestionBankDto,
  ) {
    return this.banks.update(actor, id, dto);
  }

  @Post(':id/categories')
  @RequirePermission('training:manage')
  @ApiCreatedResponse({ type: QuestionBankDto })
  @ApiErrors('QUESTION_BANK_NOT_FOUND', 'QUESTION_CATEGORY_NAME_TAKEN')
  @ApiOperation({
    summary: 'Thêm nhóm câu hỏi vào ngân hàng',
    description: 'Add a category to a bank',
  })
  addCategory(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: CreateQuestionCategoryDto,
  ) {
    return this.banks.addCategory(actor, id, dto);
  }

  @Post(':id/questions')
  @RequirePermission('training:manage')
  @ApiCreatedResponse({ type: BankQuestionDetailDto })
  @ApiErrors(
    'QUESTION_BANK_NOT_FOUND',
    'QUESTION_BANK_ARCHIVED',
    'QUESTION_CATEGORY_UNKNOWN',
    'QUESTION_COMPETENCY_UNKNOWN',
  )
  @ApiOperation({
    summary: 'Thêm câu hỏi vào ngân hàng',
    description: 'Add a question (its version 1) to a bank',
  })
  createQuestion(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: CreateBankQuestionDto,
  ) {
    return this.banks.createQuestion(actor, id, dto);
  }

  @Get(':id/questions')
  @RequirePermission('training:read')
  @ApiOkResponse({ description: 'Page of BankQuestionDto, newest first' })
  @ApiErrors('QUESTION_BANK_NOT_FOUND')
  @ApiOperation({
    summary: 'Danh sách câu hỏi của ngân hàng',
    description: 'Questions of a bank by category, tag, difficulty, kind and status',
  })
  listQuestions(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: ListBankQuestionsQueryDto,
  ): Promise<Page<BankQuestionDto>> {
    return this.banks.listQuestions(actor, id, query);
  }

  @Get(':id/questions/:questionId')
  @RequirePermission('training:read')
  @ApiOkResponse({ type: BankQuestionDetailDto })
  @ApiErrors('QUESTION_BANK_NOT_FOUND', 'BANK_QUESTION_NOT_FOUND')
  @ApiOperation({
    summary: 'Xem câu hỏi và các phiên bản',
    description: 'A question, its current version and every earlier one',
  })
  getQuestion(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('questionId', UuidParam) questionId: string,
  ) {
    return this.banks.getQuestion(actor, id, questionId);
  }

  @Get(':id/questions/:questionId/statistics')
  @RequirePermission('training:read')
  @ApiOkResponse({ type: BankQuestionStatisticsDto })
  @ApiErrors('QUESTION_BANK_NOT_FOUND', 'BANK_QUESTION_NOT_FOUND')
  @ApiOperation({
    summary: 'Thống kê câu hỏi theo từng phiên bản',
    description:
      'Per version, over every drawn attempt that showed it (learners in the reader’s subtree): facility, discrimination, option use, flags',
  })
  statistics(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('questionId', UuidParam) questionId: string,
  ): Promise<BankQuestionStatisticsDto> {
    return this.stats.bankQuestionReport(actor, id, questionId);
  }

  @Put(':id/questions/:questionId')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: BankQuestionDetailDto })
  @ApiErrors(
    'QUESTION_BANK_NOT_FOUND',
    'BANK_QUESTION_NOT_FOUND',
    'QUESTION_BANK_ARCHIVED',
    'QUESTION_VERSION_CONFLICT',
    'QUESTION_KIND_CHANGED',
    'QUESTION_CATEGORY_UNKNOWN',
    'QUESTION_COMPETENCY_UNKNOWN',
  )
  @ApiOperation({
    summary: 'Sửa nội dung câu hỏi (tạo phiên bản mới)',
    description: 'Revise a question: a changed prompt, points or body is a new version',
  })
  reviseQuestion(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('questionId', UuidParam) questionId: string,
    @Body() dto: ReviseBankQuestionDto,
  ) {
    return this.banks.reviseQuestion(actor, id, questionId, dto);
  }

  @Patch(':id/questions/:questionId')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: BankQuestionDetailDto })
  @ApiErrors(
    'QUESTION_BANK_NOT_FOUND',
    'BANK_QUESTION_NOT_FOUND',
    'QUESTION_BANK_ARCHIVED',
    'QUESTION_CATEGORY_UNKNOWN',
    'QUESTION_COMPETENCY_UNKNOWN',
  )
  @ApiOperation({
    summary: 'Đổi nhóm, thẻ, độ khó hoặc ngừng dùng câu hỏi',
    description: 'Move, tag, grade the difficulty of, retire or restore a question',
  })
  updateQuestion(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('questionId', UuidParam) questionId: string,
    @Body() dto: UpdateBankQuestionDto,
  ) {
    return this.banks.updateQuestion(actor, id, questionId, dto);
  }

  @Get(':id/qti')
  @RequirePermission('training:read')
  @ApiProduces('application/zip')
  @ApiOkResponse({ description: 'A QTI 3.0 content package of the bank’s active questions' })
  @ApiErrors('QUESTION_BANK_NOT_FOUND')
  @ApiOperation({
    summary: 'Xuất câu hỏi của ngân hàng theo chuẩn QTI 3.0',
    description:
      'The active questions (current versions) as a QTI 3.0 content package (ZIP): imsmanifest.xml and one assessmentItem per question',
  })
  async exportQti(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: ExportQtiQueryDto,
  ): Promise<StreamableFile> {
    const { name, content } = await this.exchange.exportQti(actor, id, query);
    return new StreamableFile(content, {
      type: 'application/zip',
      disposition: attachment(name),
    });
  }

  @Post(':id/qti')
  @RequirePermission('training:manage')
  @UseInterceptors(
    FileInterceptor('file', {
      limits: { fileSize: QTI_PACKAGE_LIMITS.maxPackageBytes, files: 1, fields: 5 },
    }),
  )
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: {
          type: 'string',
          format: 'binary',
          description: 'A QTI 3.0 content package (.zip) or one assessmentItem (.xml)',
        },
        mode: { type: 'string', enum: ['dry-run', 'commit'], default: 'dry-run' },
        categoryId: { type: 'string', format: 'uuid' },
      },
    },
  })
  @ApiOkResponse({ type: QtiImportReportDto, description: 'Dry run: what would be imported' })
  @ApiCreatedResponse({ type: QtiImportReportDto, description: 'Commit: every question written' })
  @ApiErrors(
    'QUESTION_BANK_NOT_FOUND',
    'QUESTION_BANK_ARCHIVED',
    'QUESTION_CATEGORY_UNKNOWN',
    'QTI_FILE_REQUIRED',
    'QTI_FILE_INVALID',
  )
  @ApiOperation({
    summary: 'Nhập câu hỏi theo chuẩn QTI 3.0 vào ngân hàng',
    description:
      'Import questions from a QTI 3.0 package or item: each checked by the bank’s rules, all written or none; mode=dry-run (default) writes nothing',
  })
  async importQti(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @UploadedFile() file: UploadedQtiFile | undefined,
    @Body() dto: ImportQtiDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<QtiImportReportDto> {
    const report = await this.exchange.importQti(actor, id, file, dto);
    res.status(report.dryRun ? 200 : 201);
    return report;
  }

  @Post(':id/question-sheet')
  @RequirePermission('training:manage')
  @UseInterceptors(
    FileInterceptor('file', {
      limits: { fileSize: QUESTION_SHEET_MAX_BYTES, files: 1, fields: 5 },
    }),
  )
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: {
          type: 'string',
          format: 'binary',
          description: `The filled-in template: .xlsx, or .csv in UTF-8; at most ${QUESTION_SHEET.maxRows} questions`,
        },
        mode: { type: 'string', enum: ['dry-run', 'commit'], default: 'dry-run' },
      },
    },
  })
  @ApiOkResponse({ type: QuestionSheetReportDto, description: 'Dry run: what would be imported' })
  @ApiCreatedResponse({
    type: QuestionSheetReportDto,
    description: 'Commit: every question written',
  })
  @ApiErrors(
    'QUESTION_BANK_NOT_FOUND',
    'QUESTION_BANK_ARCHIVED',
    'IMPORT_FILE_REQUIRED',
    'IMPORT_EMPTY_FILE',
    'IMPORT_NOT_SPREADSHEET',
    'IMPORT_FILE_PROTECTED',
    'IMPORT_CSV_NOT_UTF8',
    'IMPORT_MISSING_HEADERS',
    'IMPORT_MERGED_CELLS',
    'IMPORT_NO_ROWS',
    'QUESTION_SHEET_TOO_MANY_ROWS',
    'QUESTION_SHEET_INVALID',
  )
  @ApiOperation({
    summary: 'Nhập câu hỏi vào ngân hàng từ bảng tính (XLSX/CSV)',
    description:
      `Import questions from the template of GET /question-banks/question-template: every row ` +
      `checked by the bank's rules (failures named "Dòng 5: Đáp án"), all written or none; ` +
      `categories named that the bank lacks are created; at most ${QUESTION_SHEET.maxRows} ` +
      `rows; mode=dry-run (default) writes nothing`,
  })
  async importSheet(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @UploadedFile() file: UploadedSheetFile | undefined,
    @Body() dto: ImportQuestionSheetDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<QuestionSheetReportDto> {
    const report = await this.sheets.importSheet(actor, id, file, dto);
    res.status(report.dryRun ? 200 : 201);
    return report;
  }
}
