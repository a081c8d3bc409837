import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { UuidParam } from '../common/http/params';
import { Page, PageQueryDto } from '../common/pagination/page';
import {
  AppointmentDto,
  CancelAppointmentDto,
  CreateAppointmentDto,
  CurrentPostListDto,
  EndAppointmentDto,
  HolderDto,
} from './dto/appointment.dto';
import { CreatePostDto, ListPostsQueryDto, PostDto, UpdatePostDto } from './dto/post.dto';
import { CreateTermDto, TermDto, UpdateTermDto } from './dto/term.dto';
import { AppointmentsService } from './appointments.service';
import { PostsService } from './posts.service';
import { TermsService } from './terms.service';
import { ApiPageResponse } from '../common/openapi/api-page.decorator';

@ApiTags('posts')
@Controller()
export class PostsController {
  constructor(private readonly posts: PostsService) {}

  @Get('org-units/:id/posts')
  @RequirePermission('people:read')
  @ApiOperation({
    summary: 'Danh sách chức danh của đơn vị',
    description: 'Posts of one unit, chair first',
  })
  @ApiPageResponse(PostDto)
  listForUnit(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: ListPostsQueryDto,
  ): Promise<Page<PostDto>> {
    return this.posts.listForUnit(actor, id, query);
  }

  @Get('posts/:id')
  @RequirePermission('people:read')
  @ApiOkResponse({ type: PostDto })
  @ApiOperation({ summary: 'Xem một chức danh', description: 'One post with its role profile' })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<PostDto> {
    return this.posts.get(actor, id);
  }

  @Post('posts')
  @RequirePermission('hr:manage')
  @ApiCreatedResponse({ type: PostDto })
  @ApiOperation({
    summary: 'Tạo chức danh của đơn vị',
    description: 'Create a post (chức danh) of a unit',
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePostDto): Promise<PostDto> {
    return this.posts.create(actor, dto);
  }

  @Patch('posts/:id')
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: PostDto })
  @ApiOperation({ summary: 'Sửa chức danh', description: 'Change some fields of a post' })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdatePostDto,
  ): Promise<PostDto> {
    return this.posts.update(actor, id, dto);
  }
}

@ApiTags('posts')
@Controller()
export class TermsController {
  constructor(private readonly terms: TermsService) {}

  @Post('terms')
  @RequirePermission('hr:manage')
  @ApiCreatedResponse({ type: TermDto })
  @ApiOperation({
    summary: 'Thêm nhiệm kỳ cho đơn vị',
    description: 'Add a term (nhiệm kỳ) to a unit; terms of a unit never overlap',
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateTermDto): Promise<TermDto> {
    return this.terms.create(actor, dto);
  }

  @Patch('terms/:id')
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: TermDto })
  @ApiOperation({
    summary: 'Sửa nhiệm kỳ',
    description: "Correct a term's name or dates; its appointments must still start inside it",
  })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateTermDto,
  ): Promise<TermDto> {
    return this.terms.update(actor, id, dto);
  }

  @Get('org-units/:id/terms')
  @RequirePermission('people:read')
  @ApiOperation({
    summary: 'Danh sách nhiệm kỳ của đơn vị',
    description: 'Terms of one unit, newest first',
  })
  @ApiPageResponse(TermDto)
  list(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<TermDto>> {
    return this.terms.list(actor, id, query);
  }
}

@ApiTags('posts')
@Controller()
export class AppointmentsController {
  constructor(private readonly appointments: AppointmentsService) {}

  @Post('appointments')
  @RequirePermission('hr:manage')
  @ApiCreatedResponse({ type: AppointmentDto })
  @ApiOperation({
    summary: 'Bầu hoặc bổ nhiệm cán bộ vào chức danh',
    description: 'Elect or appoint a person to a post (409 APPOINTMENT_OVERLAP on a taken post)',
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateAppointmentDto): Promise<AppointmentDto> {
    return this.appointments.create(actor, dto);
  }

  @Post('appointments/:id/end')
  @HttpCode(200)
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: AppointmentDto })
  @ApiOperation({
    summary: 'Kết thúc giữ chức danh (ngày cuối và lý do)',
    description: 'Record the last day (inclusive) and the reason; history is kept',
  })
  end(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: EndAppointmentDto,
  ): Promise<AppointmentDto> {
    return this.appointments.end(actor, id, dto);
  }

  @Post('appointments/:id/cancel')
  @HttpCode(200)
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: AppointmentDto })
  @ApiOperation({
    summary: 'Hủy quyết định bổ nhiệm nhập nhầm',
    description: 'Void an appointment entered in error (kept, never counted)',
  })
  cancel(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: CancelAppointmentDto,
  ): Promise<AppointmentDto> {
    return this.appointments.cancel(actor, id, dto);
  }

  @Get('people/:id/posts')
  @RequirePermission('people:read')
  @ApiOkResponse({ type: CurrentPostListDto })
  @ApiOperation({
    summary: 'Chức danh hiện giữ của cán bộ',
    description: "A person's current posts (period contains today, Vietnam time)",
  })
  currentPosts(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<CurrentPostListDto> {
    return this.appointments.currentPostsForPerson(actor, id);
  }

  @Get('posts/:id/holders')
  @RequirePermission('people:read')
  @ApiOperation({
    summary: 'Những người đã giữ chức danh',
    description: "A post's holders over time, latest first",
  })
  @ApiPageResponse(HolderDto)
  holders(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<HolderDto>> {
    return this.appointments.holders(actor, id, query);
  }
}
