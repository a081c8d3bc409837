/**
 * At most `limit` tasks at once; the others wait their turn in order. A bulkhead: heavy
 * transactions behind a gate smaller than the database pool leave the rest of the pool to the
 * short requests, which then never queue behind a burst of heavy ones.
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`gate limit ${limit}`);
  }

  /** Runs `task` once a place is free; the place is given back however it ends. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The place passes straight to the next in line, so `running` never drops in between.
      if (next) next();
      else this.running -= 1;
    }
  }

  /** Tasks running and waiting now. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
