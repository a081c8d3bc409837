import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Periodic } from '../common/periodic';
import { exclusively } from '../database/advisory-lock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SessionNotices } from './session-notices';

/**
 * Reminds people booked on a classroom session of each day the day before (issue 17, item 5):
 * every SESSION_REMINDER_SCAN_MS (15 minutes by default) the days that start within
 * the next 24 hours are reminded, on one replica at a time (an advisory lock), with the daily
 * scan's switch (DAILY_SCAN_ENABLED: off in tests, which call the scan themselves). The scan is
 * idempotent: a day is reminded once per person and start time, however often it runs.
 */
@Injectable()
export class SessionReminderScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly periodic: Periodic;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    notices: SessionNotices,
    registry: SchedulerRegistry,
    @InjectDataSource() dataSource: DataSource,
  ) {
    this.periodic = new Periodic(
      new Logger('SessionReminders'),
      () => notices.sendReminders().then((n) => ({ reminded: n })),
      config.sessionReminderScanIntervalMs,
      undefined,
      {
        name: 'session-reminders',
        registry,
        exclusive: exclusively(dataSource, 'lms:session-reminders'),
      },
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.dailyScanEnabled) this.periodic.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.periodic.stop();
  }
}
