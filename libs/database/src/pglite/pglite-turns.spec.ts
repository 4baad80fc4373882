import { PgliteTurns } from './pglite-turns';

/** A promise with its resolve, to hold a turn open from the test. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('PgliteTurns', () => {
  it('runs one turn at a time, a transaction holding its turn until it ends', async () => {
    const turns = new PgliteTurns();
    const log: string[] = [];
    const end = gate();
    const tx = turns.take(false, async () => (log.push('begin'), 7), async (id) => {
      await end.promise;
      log.push(`end ${id}`);
    });
    const after = turns.take(false, async () => log.push('query'));
    expect(await tx).toBe(7);
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['begin']);
    end.open();
    await after;
    expect(log).toEqual(['begin', 'end 7', 'query']);
  });

  it('lets waiting work go before background work asked earlier', async () => {
    const turns = new PgliteTurns(1_000);
    const log: string[] = [];
    const first = gate();
    const held = turns.take(true, async () => log.push('job 1'), () => first.promise);
    const queued = [turns.take(true, async () => log.push('job 2')), turns.take(false, async () => log.push('upload')), turns.take(true, async () => log.push('job 3'))];
    expect(turns.waiting).toEqual({ foreground: 1, background: 2 });
    await held;
    first.open();
    await Promise.all(queued);
    expect(log).toEqual(['job 1', 'upload', 'job 2', 'job 3']);
  });

  it('gives background work its turn once it has waited the aging time, however much other work waits', async () => {
    let now = 0;
    const turns = new PgliteTurns(50, () => now);
    const log: string[] = [];
    const first = gate();
    const held = turns.take(false, async () => log.push('request 1'), () => first.promise);
    const job = turns.take(true, async () => log.push('job'));
    const requests = [2, 3].map((n) => turns.take(false, async () => log.push(`request ${n}`)));
    await held;
    now = 50;
    first.open();
    await Promise.all([job, ...requests]);
    expect(log).toEqual(['request 1', 'job', 'request 2', 'request 3']);
  });

  it('passes on a failure and frees the turn, for a start and for a transaction that fails to end', async () => {
    const turns = new PgliteTurns();
    await expect(turns.take(false, async () => Promise.reject(new Error('syntax error')))).rejects.toThrow('syntax error');
    await expect(turns.take(false, async () => 1, async () => Promise.reject(new Error('commit failed')))).resolves.toBe(1);
    await expect(turns.take(true, async () => 'next')).resolves.toBe('next');
    expect(turns.waiting).toEqual({ foreground: 0, background: 0 });
  });
});
