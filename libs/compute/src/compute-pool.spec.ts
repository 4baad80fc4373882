import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { ComputePool } from './compute-pool';

const run = promisify(execFile);

/**
 * Real compute threads on onnxruntime, shut down while tasks run. Before
 * the pool drained its tasks, most such shutdowns aborted the process
 * (a thread ended inside a session run); the child process takes that
 * abort instead of Jest's worker. Five tries: each used to fail about
 * three times in four.
 */
describe('ComputePool shutdown', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'loupe-pool-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lets running tasks finish, then ends the threads, and refuses work after', async () => {
    for (let i = 0; i < 5; i++) {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(__dirname, 'testing/shutdown-while-busy.ts'), dir], {
        cwd: PROJECT_ROOT,
        timeout: 120_000,
      });
      const result = JSON.parse(stdout.trim().split('\n').pop()!) as { done: number; late: string };
      // Tasks already sent all complete; none is cut off.
      expect(result.done).toBe(12);
      expect(result.late).toBe('The compute threads are shut down');
    }
  }, 300_000);
});

describe('ComputePool.pdq', () => {
  let pool: ComputePool;
  beforeAll(() => (pool = new ComputePool(LoupeConfig.fromEnv({ COMPUTE_THREADS: '1' }))));
  afterAll(() => pool.onApplicationShutdown());

  /** A pattern written into `into` itself (map would make a new array, with an ArrayBuffer of its own). */
  const pixels = <T extends Uint8Array>(length: number, into: T = new Uint8Array(length) as T): T => {
    for (let i = 0; i < length; i++) into[i] = (i * 31 + (i >> 7) * 17) & 255;
    return into;
  };
  const task = (rgb: Uint8Array) => ({ rgb, width: 64, height: 48, dihedral: false });

  it("hands a frame that owns its ArrayBuffer to the thread without a copy, and copies whatever else it is given", async () => {
    const bytes = 64 * 48 * 3;
    const kept = pixels(bytes);
    const expected = await pool.pdq(task(kept));
    // Without handOver the caller's pixels stay as they were.
    expect(kept.byteLength).toBe(bytes);

    const frame = pixels(bytes, Buffer.allocUnsafeSlow(bytes));
    expect(await pool.pdq(task(frame), { handOver: true })).toEqual(expected);
    // Moved, not copied: the caller's buffer is detached.
    expect(frame.byteLength).toBe(0);

    // A view into a larger buffer shares memory the caller may still use: it is copied even when handed over.
    const larger = new Uint8Array(bytes + 16);
    larger.set(pixels(bytes), 16);
    const view = larger.subarray(16);
    expect(await pool.pdq(task(view), { handOver: true })).toEqual(expected);
    expect(view.byteLength).toBe(bytes);
    expect(larger.byteLength).toBe(bytes + 16);

    // Shared memory is read where it is: nothing is detached, and the caller keeps its frame to use again.
    const shared = pixels(bytes, new Uint8Array(new SharedArrayBuffer(bytes)));
    expect(await pool.pdq(task(shared), { handOver: true })).toEqual(expected);
    expect(shared.byteLength).toBe(bytes);
  }, 60_000);
});
