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
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('outbox')
  @RequirePermission('training:manage')
  @ApiOperation({ summary: 'Messages of people in the caller’s scope, newest first' })
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
  constructor(private readonly notifications: NotificationsService) {}

  @Get('notifications')
  @RequirePermission('self:use')
  @ApiOperation({ summary: 'The caller’s own messages, newest first' })
  mine(
    @CurrentActor() actor: Actor,
    @Query() query: PageQueryDto,
  ): Promise<Page<MyNotificationDto>> {
    return this.notifications.listMine(actor, query);
  }

  @Get('notification-preferences')
  @RequirePermission('self:use')
  @ApiOkResponse({ type: NotificationPreferenceDto })
  preferences(@CurrentActor() actor: Actor): Promise<NotificationPreferenceDto> {
    return this.notifications.myLocale(actor);
  }

  @Put('notification-preferences')
  @RequirePermission('self:use')
  @ApiOkResponse({ type: NotificationPreferenceDto })
  setPreferences(
    @CurrentActor() actor: Actor,
    @Body() dto: NotificationPreferenceDto,
  ): Promise<NotificationPreferenceDto> {
    return this.notifications.setMyLocale(actor, dto.locale);
  }
}
