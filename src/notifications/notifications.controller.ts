import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { PageQueryDto, Page } from '../common/pagination/page';
import {
  MyNotificationDto,
  NotificationPreferenceDto,
  OutboxEntryDto,
  OutboxQueryDto,
} from './dto/notification.dto';
import { NotificationPreferencesService } from './notification-preferences.service';
import { OutboxReadsService } from './outbox-reads.service';
import { ApiPageResponse } from '../common/openapi/api-page.decorator';

@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: OutboxReadsService) {}

  @Get('outbox')
  @RequirePermission('training:manage')
  @ApiOperation({
    summary: 'Hộp thư đi của thông báo',
    description: 'Messages of people in the caller’s scope, newest first',
  })
  @ApiPageResponse(OutboxEntryDto)
  outbox(
    @CurrentActor() actor: Actor,
    @Query() query: OutboxQueryDto,
  ): Promise<Page<OutboxEntryDto>> {
    return this.notifications.listOutbox(actor, query);
  }
}

@ApiTags('notifications')
@Controller('me')
export class MyNotificationsController {
  constructor(
    private readonly notifications: OutboxReadsService,
    private readonly settings: NotificationPreferencesService,
  ) {}

  @Get('notifications')
  @RequirePermission('self:use')
  @ApiOperation({
    summary: 'Thông báo của tôi',
    description: 'The caller’s own messages, newest first',
  })
  @ApiPageResponse(MyNotificationDto)
  mine(
    @CurrentActor() actor: Actor,
    @Query() query: PageQueryDto,
  ): Promise<Page<MyNotificationDto>> {
    return this.notifications.listMine(actor, query);
  }

  @Get('notification-preferences')
  @RequirePermission('self:use')
  @ApiOkResponse({ type: NotificationPreferenceDto })
  @ApiOperation({
    summary: 'Xem tùy chọn nhận thông báo',
    description: "The caller's notification preferences",
  })
  preferences(@CurrentActor() actor: Actor): Promise<NotificationPreferenceDto> {
    return this.settings.myLocale(actor);
  }

  @Put('notification-preferences')
  @RequirePermission('self:use')
  @ApiOkResponse({ type: NotificationPreferenceDto })
  @ApiOperation({
    summary: 'Đặt tùy chọn nhận thông báo',
    description: "Set the caller's notification preferences",
  })
  setPreferences(
    @CurrentActor() actor: Actor,
    @Body() dto: NotificationPreferenceDto,
  ): Promise<NotificationPreferenceDto> {
    return this.settings.setMyLocale(actor, dto.locale);
  }
}
