import { Logger } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';

export interface PeriodicOptions {
  /** The name its timers carry in @nestjs/schedule's SchedulerRegistry (listed, cleared there). */
  name?: string;
  registry?: SchedulerRegistry;
  /**
   * Runs a tick's task under a lock, or skips it (resolving to what to log) when another replica
   * holds it: see database/advisory-lock.ts. Without one, every replica runs the task.
   */
  exclusive?: (task: () => Promise<unknown>) => Promise<unknown>;
}

/**
 * An in-process periodic task: first run after `firstDelayMs`, then every `intervalMs`, never two
 * runs at once in one process (a tick while one runs is skipped). The timers are registered in
 * @nestjs/schedule's SchedulerRegistry when one is given; they are unref'd so they never hold the
 * process open; stop() clears them and waits for a run in progress. With `exclusive`, a tick runs
 * only on the replica that takes the task's lock.
 */
export class Periodic {
  private timer: NodeJS.Timeout | null = null;
  private first: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly task: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly firstDelayMs = 5_000,
    private readonly options: PeriodicOptions = {},
  ) {}

  start(): void {
    const { exclusive } = this.options;
    const tick = () => {
      if (this.running) return;
      this.running = (exclusive ? exclusive(this.task) : this.task())
        .then((r) => this.logger.log(r, 'done'))
        .catch((e: unknown) => this.logger.error(e, 'failed'))
        .finally(() => (this.running = null));
    };
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
    this.first = setTimeout(tick, this.firstDelayMs);
    this.first.unref();
    const { registry, name } = this.options;
    if (registry && name) {
      registry.addInterval(name, this.timer);
      registry.addTimeout(`${name}:first`, this.first);
    }
  }

  async stop(): Promise<void> {
    const { registry, name } = this.options;
    if (registry && name) {
      if (registry.doesExist('interval', name)) registry.deleteInterval(name);
      if (registry.doesExist('timeout', `${name}:first`)) registry.deleteTimeout(`${name}:first`);
    }
    if (this.timer) clearInterval(this.timer);
    if (this.first) clearTimeout(this.first);
    this.timer = null;
    this.first = null;
    await this.running;
  }
}
