import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Periodic } from './periodic';

describe('Periodic', () => {
  const logger = new Logger('test');
  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(logger, 'log').mockImplementation(() => undefined);
    jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.useRealTimers());

  it('runs first after the delay, then on the interval, never two at once', async () => {
    let release: () => void = () => undefined;
    const task = jest.fn(() => new Promise<void>((resolve) => (release = resolve)));
    const periodic = new Periodic(logger, task, 1000, 100);
    periodic.start();
    expect(task).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(100);
    expect(task).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(3000); // still running: the ticks are skipped
    expect(task).toHaveBeenCalledTimes(1);
    release();
    await jest.advanceTimersByTimeAsync(1000);
    expect(task).toHaveBeenCalledTimes(2);
    release();
    await periodic.stop();
    await jest.advanceTimersByTimeAsync(5000);
    expect(task).toHaveBeenCalledTimes(2);
  });

  it('logs a failed run and keeps going', async () => {
    const task = jest.fn().mockRejectedValueOnce(new Error('boom')).mockResolvedValue('ok');
    const periodic = new Periodic(logger, task, 1000, 0);
    periodic.start();
    await jest.advanceTimersByTimeAsync(0);
    await jest.advanceTimersByTimeAsync(1000);
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.log).toHaveBeenCalledWith('ok', 'done');
    await periodic.stop();
  });

  it('stop() waits for the run in progress', async () => {
    let finished = false;
    const task = jest.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      finished = true;
    });
    const periodic = new Periodic(logger, task, 10_000, 0);
    periodic.start();
    await jest.advanceTimersByTimeAsync(0);
    const stopped = periodic.stop();
    await jest.advanceTimersByTimeAsync(500);
    await stopped;
    expect(finished).toBe(true);
  });

  it('registers its timers in the SchedulerRegistry and runs each tick through the lock', async () => {
    const registry = new SchedulerRegistry();
    const task = jest.fn().mockResolvedValue('ran');
    let free = true;
    const exclusive = (t: () => Promise<unknown>) => (free ? t() : Promise.resolve('skipped'));
    const periodic = new Periodic(logger, task, 1000, 0, { name: 'scan', registry, exclusive });
    periodic.start();
    expect(registry.getIntervals()).toEqual(['scan']);
    expect(registry.getTimeouts()).toEqual(['scan:first']);
    await jest.advanceTimersByTimeAsync(0);
    expect(task).toHaveBeenCalledTimes(1);
    free = false; // another replica holds the lock: the tick is skipped
    await jest.advanceTimersByTimeAsync(1000);
    expect(task).toHaveBeenCalledTimes(1);
    expect(logger.log).toHaveBeenLastCalledWith('skipped', 'done');
    await periodic.stop();
    expect(registry.getIntervals()).toEqual([]);
    expect(registry.getTimeouts()).toEqual([]);
  });
});
