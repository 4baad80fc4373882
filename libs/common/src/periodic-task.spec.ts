import { PeriodicTask } from './periodic-task';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits until `done`, up to 10 s: a fixed wait counted passes, and a loaded CI machine ran fewer in it. */
const until = async (done: () => boolean) => {
  for (let i = 0; i < 1_000 && !done(); i++) await tick(10);
};

describe('a periodic task', () => {
  it('runs at once, then again after each pass, never two passes at a time', async () => {
    let running = 0;
    let most = 0;
    let passes = 0;
    const task = new PeriodicTask('t', 5, async () => {
      running += 1;
      most = Math.max(most, running);
      await tick(20);
      passes += 1;
      running -= 1;
    }, { log: () => undefined, warn: () => undefined });
    task.start();
    await until(() => passes >= 2);
    await task.stop();
    const stopped = passes;
    expect(stopped).toBeGreaterThanOrEqual(2);
    expect(most).toBe(1);
    await tick(40);
    expect(passes).toBe(stopped);
  });

  it('logs an outage when it starts and when it ends, not at every failed pass', async () => {
    const messages: string[] = [];
    let failing = 3;
    const task = new PeriodicTask('t', 1, async () => {
      if (failing-- > 0) throw new Error('store down');
    }, { log: (m) => messages.push(`log ${m}`), warn: (m) => messages.push(`warn ${m}`) });
    task.start();
    await until(() => messages.length >= 2);
    await task.stop();
    expect(messages).toEqual([expect.stringMatching(/^warn t failed.*store down/), 'log t works again after 3 failed passes']);
  });
});
