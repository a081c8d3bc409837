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
import { UuidParam } from '../common/http/params';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { Page } from '../common/pagination/page';
import { attachment } from '../common/http/content-disposition';
import {
  BankQuestionDetailDto,
  BankQuestionDto,
  CreateBankQuestionDto,
  CreateQuestionBankDto,
  CreateQuestionCategoryDto,
  ExportQtiQueryDto,
  ImportQtiDto,
  ListBankQuestionsQueryDto,
  ListQuestionBanksQueryDto,
  QtiImportReportDto,
  QuestionBankDto,
  ReviseBankQuestionDto,
  UpdateBankQuestionDto,
  UpdateQuestionBankDto,
} from './dto/question-bank.dto';
import { QuestionBanksService } from './question-banks.service';
import { QuestionExchangeService, UploadedQtiFile } from './question-exchange.service';
import { QTI_PACKAGE_LIMITS } from './questions/qti';

@ApiTags('question-banks')
@Controller('question-banks')
export class QuestionBanksController {
  constructor(
    private readonly banks: QuestionBanksService,
    private readonly exchange: QuestionExchangeService,
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
}
