import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { TABLE_CONTENT_TYPES, TableFormat, tableFile } from '../common/csv/table';
import { UuidParam } from '../common/http/params';
import { Page } from '../common/pagination/page';
import { AssignmentJobsWorker } from './assignment-jobs.worker';
import { AssignmentsService, AssignOutcome } from './assignments.service';
import {
  AssignmentDto,
  AssignmentJobAcceptedDto,
  AssignmentJobDto,
  AssignmentProgressDto,
  AssignmentRunDto,
  AssignmentSummaryDto,
  AssignmentSummaryPageDto,
  AudiencePreviewDto,
  AudiencePreviewRequestDto,
  CreateAssignmentDto,
  ListAssignmentsQueryDto,
  MyAssignmentListDto,
  OverdueMemberDto,
  OverdueQueryDto,
  ProgressQueryDto,
} from './dto/assignment.dto';
import {
  CreateProgrammeDto,
  ListProgrammesQueryDto,
  ProgrammeDto,
  UpdateProgrammeDto,
} from './dto/programme.dto';
import { ProgrammesService } from './programmes.service';
import { PROGRESS_TABLE, ProgressService } from './progress.service';

/** 201/200 with the outcome when the run was done in the request, 202 with a job otherwise. */
function answer(
  res: Response,
  outcome: AssignOutcome,
  doneStatus: number,
): AssignmentRunDto | AssignmentJobAcceptedDto {
  if (outcome.kind === 'job') {
    res.status(202);
    return outcome.accepted;
  }
  res.status(doneStatus);
  return outcome.result;
}

@ApiTags('programmes')
@Controller('programmes')
export class ProgrammesController {
  constructor(
    private readonly programmes: ProgrammesService,
    private readonly assignments: AssignmentsService,
  ) {}

  @Get()
  @RequirePermission('training:read')
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListProgrammesQueryDto,
  ): Promise<Page<ProgrammeDto>> {
    return this.programmes.list(actor, query);
  }

  @Post()
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: ProgrammeDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateProgrammeDto): Promise<ProgrammeDto> {
    return this.programmes.create(actor, dto);
  }

  @Get(':id')
  @RequirePermission('training:read')
  @ApiOkResponse({ type: ProgrammeDto })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<ProgrammeDto> {
    return this.programmes.get(actor, id);
  }

  @Patch(':id')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: ProgrammeDto, description: 'Sets change only while draft' })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateProgrammeDto,
  ): Promise<ProgrammeDto> {
    return this.programmes.update(actor, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('training:manage')
  remove(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<void> {
    return this.programmes.remove(actor, id);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: ProgrammeDto })
  publish(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<ProgrammeDto> {
    return this.programmes.publish(actor, id);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: ProgrammeDto })
  archive(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<ProgrammeDto> {
    return this.programmes.archive(actor, id);
  }

  @Post(':id/audience-preview')
  @HttpCode(200)
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: AudiencePreviewDto, description: 'Writes nothing' })
  preview(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: AudiencePreviewRequestDto,
  ): Promise<AudiencePreviewDto> {
    return this.assignments.preview(actor, id, dto.audience);
  }

  @Get(':id/assignments')
  @RequirePermission('training:read')
  @ApiOkResponse({
    type: AssignmentSummaryPageDto,
    description: 'The programme’s assignments in the caller’s scope, newest first, with counts',
  })
  assignmentsOf(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: ListAssignmentsQueryDto,
  ): Promise<Page<AssignmentSummaryDto>> {
    return this.assignments.listForProgramme(actor, id, query);
  }

  @Post(':id/assignments')
  @RequirePermission('training:manage')
  @ApiCreatedResponse({ type: AssignmentRunDto, description: 'Assigned in the request' })
  @ApiAcceptedResponse({ type: AssignmentJobAcceptedDto, description: 'Large audience: a job' })
  async assign(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: CreateAssignmentDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AssignmentRunDto | AssignmentJobAcceptedDto> {
    return answer(res, await this.assignments.create(actor, id, dto), 201);
  }
}

@ApiTags('programmes')
@Controller()
export class AssignmentsController {
  constructor(
    private readonly assignments: AssignmentsService,
    private readonly progressService: ProgressService,
    private readonly jobs: AssignmentJobsWorker,
  ) {}

  @Get('assignments/:id')
  @RequirePermission('training:read')
  @ApiOkResponse({ type: AssignmentDto })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<AssignmentDto> {
    return this.assignments.get(actor, id);
  }

  @Post('assignments/:id/run')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: AssignmentRunDto, description: 'Re-run: adds only new matches' })
  @ApiAcceptedResponse({ type: AssignmentJobAcceptedDto, description: 'Large audience: a job' })
  async run(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AssignmentRunDto | AssignmentJobAcceptedDto> {
    return answer(res, await this.assignments.rerun(actor, id), 200);
  }

  @Get('assignments/:id/progress')
  @RequirePermission('training:read')
  @ApiOkResponse({ type: AssignmentProgressDto })
  progress(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: ProgressQueryDto,
  ): Promise<AssignmentProgressDto> {
    return this.progressService.progress(actor, id, query.byUnit === true);
  }

  @Get('assignments/:id/overdue')
  @RequirePermission('training:read')
  overdue(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: OverdueQueryDto,
  ): Promise<Page<OverdueMemberDto>> {
    return this.progressService.overdue(actor, id, query);
  }

  @Get('assignments/:id/export.csv')
  @RequirePermission('training:read')
  @ApiOperation({
    summary: 'Every current member with status, as CSV for Excel (UTF-8 BOM), streamed',
  })
  @ApiProduces(TABLE_CONTENT_TYPES.csv)
  async exportCsv(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<StreamableFile> {
    return this.exportProgress(actor, id, 'csv');
  }

  @Get('assignments/:id/export.xlsx')
  @RequirePermission('training:read')
  @ApiOperation({
    summary: 'Every current member with status, as an Excel workbook (typed cells), streamed',
  })
  @ApiProduces(TABLE_CONTENT_TYPES.xlsx)
  async exportXlsx(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<StreamableFile> {
    return this.exportProgress(actor, id, 'xlsx');
  }

  private async exportProgress(
    actor: Actor,
    id: string,
    format: TableFormat,
  ): Promise<StreamableFile> {
    const rows = await this.progressService.exportRows(actor, id);
    return tableFile(format, PROGRESS_TABLE, rows, `assignment-${id}`);
  }

  @Get('assignment-jobs/:id')
  @RequirePermission('training:read')
  @ApiOkResponse({ type: AssignmentJobDto })
  job(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<AssignmentJobDto> {
    return this.jobs.get(actor, id);
  }

  @Get('me/assignments')
  @RequirePermission('self:use')
  @ApiOkResponse({ type: MyAssignmentListDto })
  mine(@CurrentActor() actor: Actor): Promise<MyAssignmentListDto> {
    return this.progressService.mine(actor);
  }
}
