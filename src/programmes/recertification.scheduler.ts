import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RecertificationService } from './recertification.service';

/**
 * Runs the daily scan in-process: at start and then every DAILY_SCAN_INTERVAL_MS (hourly by
 * default). Every step is idempotent for its day, so running more often than daily, or on
 * several replicas, changes nothing but the first time a day is seen.
 */
@Injectable()
export class RecertificationScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DailyScan');
  private timer: NodeJS.Timeout | null = null;
  private first: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly recertification: RecertificationService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.dailyScanEnabled) return;
    const tick = () => {
      if (this.running) return;
      this.running = this.recertification
        .runDailyScan()
        .then((r) => this.logger.log(r, 'daily scan done'))
        .catch((e: unknown) => this.logger.error(e, 'daily scan failed'))
        .finally(() => (this.running = null));
    };
    this.timer = setInterval(tick, this.config.dailyScanIntervalMs);
    this.timer.unref();
    this.first = setTimeout(tick, 5_000);
    this.first.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.first) clearTimeout(this.first);
    this.timer = null;
    await this.running;
  }
}
