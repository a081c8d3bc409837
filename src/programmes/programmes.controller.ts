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
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
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
import { ApiFileResponse, ApiPageResponse } from '../common/openapi/api-page.decorator';
import { ApiErrors } from '../common/openapi/api-errors.decorator';

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
  @ApiOperation({
    summary: 'Danh sách chương trình đào tạo',
    description: 'Programmes the caller may see, keyset paged',
  })
  @ApiPageResponse(ProgrammeDto)
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListProgrammesQueryDto,
  ): Promise<Page<ProgrammeDto>> {
    return this.programmes.list(actor, query);
  }

  @Post()
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: ProgrammeDto })
  @ApiOperation({
    summary: 'Tạo chương trình đào tạo (bản nháp)',
    description: 'Create a training programme (a set of courses) as a draft',
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateProgrammeDto): Promise<ProgrammeDto> {
    return this.programmes.create(actor, dto);
  }

  @Get(':id')
  @RequirePermission('training:read')
  @ApiOkResponse({ type: ProgrammeDto })
  @ApiOperation({
    summary: 'Xem một chương trình đào tạo',
    description: 'A programme with its courses and recertification policy',
  })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<ProgrammeDto> {
    return this.programmes.get(actor, id);
  }

  @Patch(':id')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: ProgrammeDto, description: 'Sets change only while draft' })
  @ApiOperation({
    summary: 'Sửa chương trình đào tạo',
    description: 'Change some fields of a programme',
  })
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
  @ApiOperation({
    summary: 'Xóa chương trình (chỉ bản nháp)',
    description: 'Delete a draft programme',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  remove(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<void> {
    return this.programmes.remove(actor, id);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: ProgrammeDto })
  @ApiOperation({
    summary: 'Công bố chương trình đào tạo',
    description: 'Publish a draft programme so it can be assigned',
  })
  publish(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<ProgrammeDto> {
    return this.programmes.publish(actor, id);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: ProgrammeDto })
  @ApiOperation({ summary: 'Lưu trữ chương trình đào tạo', description: 'Archive a programme' })
  archive(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<ProgrammeDto> {
    return this.programmes.archive(actor, id);
  }

  @Post(':id/audience-preview')
  @HttpCode(200)
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: AudiencePreviewDto, description: 'Writes nothing' })
  @ApiOperation({
    summary: 'Xem trước nhóm đối tượng của chương trình',
    description: 'Count and sample of the people an audience rule matches; writes nothing',
  })
  @ApiErrors('PROGRAMME_NOT_FOUND', 'AUDIENCE_UNKNOWN_REFERENCE')
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
  @ApiOperation({
    summary: 'Các lượt giao của chương trình',
    description: 'Assignments of a programme, keyset paged',
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
  @ApiBody({
    type: CreateAssignmentDto,
    examples: {
      chairs: {
        summary: 'Every grassroots chair of a province who has not completed the programme',
        value: {
          audience: {
            orgUnitId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
            postTypes: ['chair'],
            orgLevels: ['grassroots'],
            notCompletedProgrammeId: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e',
          },
          dueDate: '2027-06-30',
        },
      },
      named: {
        summary: 'Named people of a unit',
        value: {
          audience: {
            orgUnitId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
            personIds: ['3f6c1a52-8e0b-4c8e-9a57-2d1f0b6e7c41'],
          },
          dueDate: '2027-06-30',
        },
      },
    },
  })
  @ApiOperation({
    summary: 'Giao chương trình cho cán bộ hoặc nhóm đối tượng',
    description:
      'Assign a published programme to people or to a rule-based audience (e.g. every chair of a province) with a due date',
  })
  @ApiErrors('PROGRAMME_NOT_FOUND', 'PROGRAMME_NOT_PUBLISHED', 'AUDIENCE_UNKNOWN_REFERENCE')
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
  @ApiOperation({
    summary: 'Xem một lượt giao chương trình',
    description: 'One programme assignment with its audience and due date',
  })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<AssignmentDto> {
    return this.assignments.get(actor, id);
  }

  @Post('assignments/:id/run')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: AssignmentRunDto, description: 'Re-run: adds only new matches' })
  @ApiAcceptedResponse({ type: AssignmentJobAcceptedDto, description: 'Large audience: a job' })
  @ApiOperation({
    summary: 'Chạy lại lượt giao (chỉ thêm người mới phù hợp)',
    description: 'Run an assignment again: adds only the people who newly match its audience',
  })
  @ApiErrors('ASSIGNMENT_NOT_FOUND', 'AUDIENCE_UNKNOWN_REFERENCE')
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
  @ApiOperation({
    summary: 'Tiến độ hoàn thành của lượt giao',
    description: 'Completion progress of an assignment, in total or by unit',
  })
  progress(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: ProgressQueryDto,
  ): Promise<AssignmentProgressDto> {
    return this.progressService.progress(actor, id, query.byUnit === true);
  }

  @Get('assignments/:id/overdue')
  @RequirePermission('training:read')
  @ApiOperation({
    summary: 'Danh sách người quá hạn của lượt giao',
    description: 'Members of an assignment past their due date, keyset paged',
  })
  @ApiPageResponse(OverdueMemberDto)
  overdue(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: OverdueQueryDto,
  ): Promise<Page<OverdueMemberDto>> {
    return this.progressService.overdue(actor, id, query);
  }

  @Get('assignments/:id/export.csv')
  @RequirePermission('training:read')
  @ApiProduces(TABLE_CONTENT_TYPES.csv)
  @ApiOperation({
    summary: 'Xuất tiến độ lượt giao ra tệp CSV',
    description: 'Progress of every member of an assignment as CSV (UTF-8 with BOM, for Excel)',
  })
  @ApiFileResponse('CSV, one row per member')
  async exportCsv(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<StreamableFile> {
    return this.exportProgress(actor, id, 'csv');
  }

  @Get('assignments/:id/export.xlsx')
  @RequirePermission('training:read')
  @ApiProduces(TABLE_CONTENT_TYPES.xlsx)
  @ApiOperation({
    summary: 'Xuất tiến độ lượt giao ra tệp Excel',
    description:
      'Progress of every member of an assignment as an Excel workbook (typed cells, frozen header), streamed',
  })
  @ApiFileResponse('XLSX, one row per member')
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
  @ApiOperation({
    summary: 'Xem tiến trình một lệnh giao chương trình',
    description: 'State of an assignment job (a large audience is assigned in the background)',
  })
  job(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<AssignmentJobDto> {
    return this.jobs.get(actor, id);
  }

  @Get('me/assignments')
  @RequirePermission('self:use')
  @ApiOkResponse({ type: MyAssignmentListDto })
  @ApiOperation({
    summary: 'Chương trình được giao cho tôi',
    description: 'Programmes assigned to the caller, with progress and due dates',
  })
  mine(@CurrentActor() actor: Actor): Promise<MyAssignmentListDto> {
    return this.progressService.mine(actor);
  }
}
