import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { Page } from '../common/pagination/page';
import { AuditService } from './audit.service';
import { AuditEntryDto, AuditPageDto, ListAuditQueryDto } from './dto/audit.dto';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequirePermission('audit:read')
  @ApiOkResponse({ type: AuditPageDto })
  @ApiOperation({
    summary: 'Nhật ký thay đổi trong phạm vi',
    description: 'Recorded changes within the caller’s scope, newest first',
  })
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListAuditQueryDto,
  ): Promise<Page<AuditEntryDto>> {
    return this.audit.list(actor, query);
  }
}
