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

@ApiTags('posts')
@Controller()
export class PostsController {
  constructor(private readonly posts: PostsService) {}

  @Get('org-units/:id/posts')
  @RequirePermission('people:read')
  @ApiOperation({ summary: 'Posts of one unit, chair first' })
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
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<PostDto> {
    return this.posts.get(actor, id);
  }

  @Post('posts')
  @RequirePermission('hr:manage')
  @ApiCreatedResponse({ type: PostDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePostDto): Promise<PostDto> {
    return this.posts.create(actor, dto);
  }

  @Patch('posts/:id')
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: PostDto })
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
  @ApiOperation({ summary: 'Add a term (nhiệm kỳ) to a unit; terms of a unit never overlap' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateTermDto): Promise<TermDto> {
    return this.terms.create(actor, dto);
  }

  @Patch('terms/:id')
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: TermDto })
  @ApiOperation({
    summary: "Correct a term's name or dates; its appointments must still start inside it",
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
  @ApiOperation({ summary: 'Terms of one unit, newest first' })
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
    summary: 'Elect or appoint a person to a post (409 APPOINTMENT_OVERLAP on a taken post)',
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateAppointmentDto): Promise<AppointmentDto> {
    return this.appointments.create(actor, dto);
  }

  @Post('appointments/:id/end')
  @HttpCode(200)
  @RequirePermission('hr:manage')
  @ApiOkResponse({ type: AppointmentDto })
  @ApiOperation({ summary: 'Record the last day (inclusive) and the reason; history is kept' })
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
  @ApiOperation({ summary: 'Void an appointment entered in error (kept, never counted)' })
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
  @ApiOperation({ summary: "A person's current posts (period contains today, Vietnam time)" })
  currentPosts(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<CurrentPostListDto> {
    return this.appointments.currentPostsForPerson(actor, id);
  }

  @Get('posts/:id/holders')
  @RequirePermission('people:read')
  @ApiOperation({ summary: "A post's holders over time, latest first" })
  holders(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<HolderDto>> {
    return this.appointments.holders(actor, id, query);
  }
}
