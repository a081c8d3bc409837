import { ConcurrencyGate } from './concurrency-gate';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyGate', () => {
  it('runs at most `limit` tasks at once, the others in the order they came', async () => {
    const gate = new ConcurrencyGate(2);
    const releases: (() => void)[] = [];
    const started: number[] = [];
    const done = Array.from({ length: 5 }, (_, i) =>
      gate.run(async () => {
        started.push(i);
        await new Promise<void>((resolve) => releases.push(resolve));
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(gate.load).toEqual({ running: 2, waiting: 3 });
    releases[1]();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    releases[0]();
    releases[2]();
    await tick();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    releases[3]();
    releases[4]();
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3, 4]);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it('gives the place back when a task fails', async () => {
    const gate = new ConcurrencyGate(1);
    await expect(gate.run(() => Promise.reject(new Error('lỗi')))).rejects.toThrow('lỗi');
    expect(await gate.run(async () => 'tiếp')).toBe('tiếp');
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses a limit below one', () => {
    expect(() => new ConcurrencyGate(0)).toThrow();
    expect(() => new ConcurrencyGate(1.5)).toThrow();
  });
});
