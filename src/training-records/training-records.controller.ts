import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { UuidParam } from '../common/http/params';
import { TranscriptDto, TranscriptQueryDto } from './dto/transcript.dto';
import { transcriptCsv } from './transcript-csv';
import { TrainingRecordsService } from './training-records.service';

@ApiTags('training-records')
@Controller('people')
export class TrainingRecordsController {
  constructor(private readonly records: TrainingRecordsService) {}

  @Get(':id/transcript')
  @RequirePermission('self:use')
  @ApiOperation({
    summary: 'Completed courses of a person: the person, or HR/training staff in scope',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: TranscriptDto })
  async transcript(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: TranscriptQueryDto,
  ): Promise<TranscriptDto | StreamableFile> {
    if (query.format !== 'csv') return this.records.transcript(actor, id);
    const csv = Buffer.from(transcriptCsv(await this.records.lines(actor, id)), 'utf8');
    return new StreamableFile(csv, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="transcript-${id}.csv"`,
      length: csv.length,
    });
  }
}
