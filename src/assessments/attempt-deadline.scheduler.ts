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
import { AttemptsService } from './attempts.service';

/**
 * Submits attempts whose time ran out (issue 16: the attempt is submitted at the deadline by
 * the scan), every ATTEMPT_SCAN_INTERVAL_MS (a minute by default), on one replica at a time.
 * Until the scan reaches it, an expired attempt refuses answers already, and is graded when its
 * learner opens or submits it.
 */
@Injectable()
export class AttemptDeadlineScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly periodic: Periodic;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    attempts: AttemptsService,
    registry: SchedulerRegistry,
    @InjectDataSource() dataSource: DataSource,
  ) {
    this.periodic = new Periodic(
      new Logger('AttemptDeadlines'),
      () => attempts.closeExpired().then((n) => ({ closed: n })),
      config.attemptScanIntervalMs,
      undefined,
      {
        name: 'attempt-deadlines',
        registry,
        exclusive: exclusively(dataSource, 'lms:attempt-deadlines'),
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
