import { activeResources, leftOver } from './support/e2e-environment';

/**
 * The suites' environment fails a suite that leaves something alive after its teardown; these
 * check the two measures it relies on, with a real timer and a real server.
 */
describe('the e2e environment’s open-handle check', () => {
  it('sees a timer or a listening server that is left alive, and nothing once they are closed', async () => {
    const before = activeResources();
    const timer = setInterval(() => undefined, 60_000);
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const during = leftOver(before, activeResources());
    expect(during).toContain('1 × Timeout');
    expect(during.some((line) => /TCPServerWrap/.test(line))).toBe(true);

    clearInterval(timer);
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
    // A closed handle leaves on a later turn of the loop: the environment waits for it too.
    for (let i = 0; i < 20 && leftOver(before, activeResources()).length > 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10).unref());
    }
    expect(leftOver(before, activeResources())).toEqual([]);
  });

  it('does not count an unref’d timer: it cannot keep the worker alive', () => {
    const before = activeResources();
    const timer = setTimeout(() => undefined, 60_000).unref();
    try {
      expect(leftOver(before, activeResources())).toEqual([]);
    } finally {
      clearTimeout(timer);
    }
  });

  it('reports counts by kind, sorted', () => {
    const before = new Map([['Timeout', 1]]);
    const after = new Map([
      ['Timeout', 3],
      ['FSReqCallback', 1],
    ]);
    expect(leftOver(before, after)).toEqual(['1 × FSReqCallback', '2 × Timeout']);
  });
});
