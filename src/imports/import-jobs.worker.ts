import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { IMPORT_CONFIG, ImportConfig } from './import-config';
import { ImportsService } from './imports.service';

/**
 * Runs large imports in the background, in-process, as the assignment jobs run:
 * - a job is claimed with UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED), so replicas
 *   never run the same one; a new job wakes the local worker at once;
 * - the run is ONE transaction (ImportsService.runJob): a kill mid-way leaves nothing of it,
 *   and the job, left 'staging' with a stale heartbeat, is claimed again after a restart and
 *   run from its file (its rows are matched by CCCD and code, so a second run writes them once);
 * - after 3 interrupted runs the job is given up as rolled_back;
 * - on shutdown the run stops at the next batch and rolls back; the job is queued again.
 */
@Injectable()
export class ImportJobsWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ImportJobs');
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** Observers (the crash test's child process prints them). */
  onProgress: ((p: { id: string; rowsDone: number }) => void) | null = null;
  onFinished: ((p: { id: string; state: string }) => void) | null = null;

  constructor(
    @Inject(IMPORT_CONFIG) private readonly config: ImportConfig,
    private readonly imports: ImportsService,
  ) {}

  onApplicationBootstrap(): void {
    this.imports.wakeWorker = () => this.wake?.();
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        const id = await this.imports.claimNext();
        if (id) {
          const progress = setInterval(() => {
            const live = this.imports.inFlight;
            if (live?.id === id) this.onProgress?.({ id, rowsDone: live.rowsDone });
          }, 100);
          try {
            const state = await this.imports.runJob(id, () => this.stopping);
            this.onFinished?.({ id, state });
          } finally {
            clearInterval(progress);
          }
          continue;
        }
      } catch (error) {
        if (this.stopping) break;
        this.logger.error(`poll failed: ${(error as Error).message}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.config.jobPollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }
}
