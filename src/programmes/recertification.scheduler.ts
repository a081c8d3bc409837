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
import { RecertificationService } from './recertification.service';

/**
 * Runs the daily scan in-process: at start and then every DAILY_SCAN_INTERVAL_MS (hourly by
 * default), on an interval of @nestjs/schedule's registry ('daily-scan'). Of several replicas
 * only the one that takes the scan's PostgreSQL advisory lock runs a tick; every step is
 * idempotent for its day anyway, so running more often than daily changes nothing but the first
 * time a day is seen.
 */
@Injectable()
export class RecertificationScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly periodic: Periodic;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    recertification: RecertificationService,
    registry: SchedulerRegistry,
    @InjectDataSource() dataSource: DataSource,
  ) {
    this.periodic = new Periodic(
      new Logger('DailyScan'),
      () => recertification.runDailyScan(),
      config.dailyScanIntervalMs,
      undefined,
      { name: 'daily-scan', registry, exclusive: exclusively(dataSource, 'lms:daily-scan') },
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.dailyScanEnabled) this.periodic.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.periodic.stop();
  }
}
