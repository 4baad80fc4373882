/**
 * Run as a child process by compute-pool.spec.ts: sends classify tasks to
 * real compute threads and shuts the pool down while they run. A shutdown
 * that ends a thread mid-run aborts this process (SIGABRT), which the
 * parent sees; a good one prints how each task ended.
 */
import { LoupeConfig } from '@loupe/config';
import { ComputePool } from '../compute-pool';

async function main(): Promise<void> {
  const config = LoupeConfig.fromEnv({ COMPUTE_THREADS: '2', BACKBONE_ONNX_DIR: process.argv[2] });
  const pool = new ComputePool(config);
  const frame = new Uint8Array(224 * 224 * 3).map((_, i) => (i * 7) & 255);
  // Both threads load their session first, so the later tasks are all runs.
  await Promise.all([pool.classifyNsfw(frame), pool.classifyNsfw(frame)]);
  const tasks = Array.from({ length: 12 }, () => pool.classifyNsfw(frame).then(() => 'done', () => 'failed'));
  await new Promise((resolve) => setTimeout(resolve, 5));
  await pool.onApplicationShutdown();
  const ended = await Promise.all(tasks);
  const late = await pool.classifyNsfw(frame).then(() => 'done', (error: Error) => error.message);
  process.stdout.write(JSON.stringify({ done: ended.filter((e) => e === 'done').length, late }) + '\n');
}

void main();
