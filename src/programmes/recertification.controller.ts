import { Body, Controller, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../auth/access.decorators';
import {
  RecertificationPreviewDto,
  RecertificationPreviewResultDto,
  RecertificationRunQueryDto,
  RecertificationRunResultDto,
} from './recertification.dto';
import { RecertificationService } from './recertification.service';

@ApiTags('programmes')
@Controller('programmes/recertification')
export class RecertificationController {
  constructor(private readonly recertification: RecertificationService) {}

  @Post('preview')
  @HttpCode(200)
  @RequirePermission('training:manage')
  @ApiOperation({
    summary: 'Tính thử các mốc tái chứng nhận',
    description: 'Due, expiry, window and next due dates for a completion date under a policy',
  })
  @ApiOkResponse({ type: RecertificationPreviewResultDto })
  preview(@Body() dto: RecertificationPreviewDto): RecertificationPreviewResultDto {
    return this.recertification.preview(dto);
  }

  @Post('run')
  @HttpCode(200)
  @RequirePermission('operations:run')
  @ApiOperation({
    summary: 'Chạy ngay đợt quét hằng ngày',
    description:
      'Runs the daily scan now (completions, recertification windows, reminders); idempotent',
  })
  @ApiOkResponse({ type: RecertificationRunResultDto })
  run(@Query() query: RecertificationRunQueryDto): Promise<RecertificationRunResultDto> {
    return this.recertification.runDailyScan(query.today);
  }
}
