import { TestEnvironment } from 'jest-environment-node';

/** How long a suite's sockets and timers get to wind down after its last afterAll. */
const GRACE_MS = 1500;

/** Counts of each kind of resource that keeps the event loop alive (sockets, timers, files …). */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) {
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return counts;
}

/** What `after` holds beyond `before`, as "2 × Timeout" lines. */
export function leftOver(before: Map<string, number>, after: Map<string, number>): string[] {
  const extra: string[] = [];
  for (const [kind, n] of after) {
    const more = n - (before.get(kind) ?? 0);
    if (more > 0) extra.push(`${more} × ${kind}`);
  }
  return extra.sort();
}

/**
 * The e2e suites' environment: a suite that leaves a socket, a timer or a child process alive
 * after its teardown fails, naming what it left, instead of the run waiting at its end for a
 * worker that never exits (and jest force-killing it with a vague warning). Rerun that one suite
 * with `--detectOpenHandles` to get the stack that opened each handle.
 */
export default class E2eEnvironment extends TestEnvironment {
  private baseline = new Map<string, number>();

  override async setup(): Promise<void> {
    await super.setup();
    this.baseline = activeResources();
  }

  override async teardown(): Promise<void> {
    await super.teardown();
    let extra = leftOver(this.baseline, activeResources());
    for (let waited = 0; extra.length > 0 && waited < GRACE_MS; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50).unref());
      extra = leftOver(this.baseline, activeResources());
    }
    if (extra.length > 0) {
      throw new Error(
        `the suite left ${extra.join(', ')} alive after its teardown: close what it opened ` +
          `(rerun it with --detectOpenHandles to see where each was opened)`,
      );
    }
  }
}
