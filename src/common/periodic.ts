import { Logger } from '@nestjs/common';

/**
 * An in-process periodic task: first run after `firstDelayMs`, then every `intervalMs`, never two
 * runs at once (a tick while one runs is skipped). Timers are unref'd so they never hold the
 * process open; stop() clears them and waits for a run in progress. Tasks must be idempotent:
 * every replica runs its own.
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
  ) {}

  start(): void {
    const tick = () => {
      if (this.running) return;
      this.running = this.task()
        .then((r) => this.logger.log(r, 'done'))
        .catch((e: unknown) => this.logger.error(e, 'failed'))
        .finally(() => (this.running = null));
    };
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
    this.first = setTimeout(tick, this.firstDelayMs);
    this.first.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.first) clearTimeout(this.first);
    this.timer = null;
    this.first = null;
    await this.running;
  }
}
