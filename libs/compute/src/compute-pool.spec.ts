import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '@loupe/common';

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
