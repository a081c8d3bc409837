import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  StreamableFile,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { TABLE_CONTENT_TYPES, tableFile } from '../common/csv/table';
import { UuidParam } from '../common/http/params';
import {
  CreateExternalTrainingDto,
  ExternalTrainingDto,
  ExternalTrainingListDto,
  WithdrawExternalTrainingDto,
} from './dto/external-training.dto';
import { TranscriptDto, TranscriptQueryDto } from './dto/transcript.dto';
import { ExternalTrainingsService } from './external-trainings.service';
import { TRANSCRIPT_TABLE, transcriptRows } from './transcript-csv';
import { TrainingRecordsService } from './training-records.service';

@ApiTags('training-records')
@Controller('people')
export class TrainingRecordsController {
  constructor(
    private readonly records: TrainingRecordsService,
    private readonly external: ExternalTrainingsService,
  ) {}

  @Post(':id/external-trainings')
  @RequirePermission('training:manage')
  @ApiOperation({
    summary: 'Ghi nhận đào tạo bên ngoài',
    description:
      'Record training the person did elsewhere, verified by the calling officer (on the ' +
      'transcript with its hours; audited)',
  })
  @ApiOkResponse({ type: ExternalTrainingDto })
  recordExternal(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: CreateExternalTrainingDto,
  ): Promise<ExternalTrainingDto> {
    return this.external.create(actor, id, dto);
  }

  @Get(':id/external-trainings')
  @RequirePermission('self:use')
  @ApiOperation({
    summary: 'Danh sách đào tạo bên ngoài của cán bộ',
    description: 'External training of a person, withdrawn records included: the person, or staff',
  })
  @ApiOkResponse({ type: ExternalTrainingListDto })
  listExternal(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<ExternalTrainingListDto> {
    return this.external.list(actor, id);
  }

  @Get(':id/transcript')
  @RequirePermission('self:use')
  @ApiOperation({
    summary: 'Quá trình đào tạo của cán bộ',
    description: 'Completed courses of a person: the person, or HR/training staff in scope',
  })
  @ApiProduces('application/json', ...Object.values(TABLE_CONTENT_TYPES))
  @ApiOkResponse({ type: TranscriptDto })
  async transcript(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: TranscriptQueryDto,
  ): Promise<TranscriptDto | StreamableFile> {
    const format = query.format ?? 'json';
    if (format === 'json') return this.records.transcript(actor, id);
    const lines = await this.records.lines(actor, id);
    return tableFile(format, TRANSCRIPT_TABLE, transcriptRows(lines), `transcript-${id}`);
  }
}

@ApiTags('training-records')
@Controller('external-trainings')
export class ExternalTrainingsController {
  constructor(private readonly external: ExternalTrainingsService) {}

  @Post(':id/withdraw')
  @HttpCode(200)
  @RequirePermission('training:manage')
  @ApiOperation({
    summary: 'Rút bản ghi đào tạo bên ngoài nhập nhầm',
    description: 'Withdraw an external training record entered by mistake (kept, with the reason)',
  })
  @ApiOkResponse({ type: ExternalTrainingDto })
  withdraw(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: WithdrawExternalTrainingDto,
  ): Promise<ExternalTrainingDto> {
    return this.external.withdraw(actor, id, dto.reason);
  }
}
