import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Periodic } from '../common/periodic';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RecertificationService } from './recertification.service';

/**
 * Runs the daily scan in-process: at start and then every DAILY_SCAN_INTERVAL_MS (hourly by
 * default). Every step is idempotent for its day, so running more often than daily, or on
 * several replicas, changes nothing but the first time a day is seen.
 */
@Injectable()
export class RecertificationScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly periodic: Periodic;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    recertification: RecertificationService,
  ) {
    this.periodic = new Periodic(
      new Logger('DailyScan'),
      () => recertification.runDailyScan(),
      config.dailyScanIntervalMs,
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.dailyScanEnabled) this.periodic.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.periodic.stop();
  }
}
