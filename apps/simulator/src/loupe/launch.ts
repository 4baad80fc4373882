/**
 * Starts Loupe for a run without --url: the built all-in-one server
 * (dist/apps/api/src/main.js) on the embedded defaults (PGlite and the
 * in-process queue) in a temporary DATA_DIR, with an admin key of its own.
 * It is a separate process, reached only over HTTP like any deployment.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, stopProcessGroup } from '@loupe/common';

export const API_ENTRY = 'dist/apps/api/src/main.js';

export interface LaunchedLoupe {
  url: string;
  adminKey: string;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The settings a simulated run needs on its own server:
 * - the wellbeing limits count real hours, and a simulated day runs in
 *   minutes, so the simulator applies the exposure budget to its moderators
 *   in simulated time itself, and the server's is lifted;
 * - training and the trend scan run when the simulator asks (at simulated
 *   hours), not on the server's wall clock.
 */
export const SIMULATION_SERVER_ENV: Record<string, string> = {
  EXPOSURE_HOURLY_LIMIT: '100000',
  EXPOSURE_SHIFT_LIMIT: '100000',
  TRAINING_CRON: 'off',
  TRAINING_NEW_LABELS: '0',
  TREND_SCAN_CRON: 'off',
  // A platform's quality sample: 2% of what the model allows is reviewed too, which gives training its negatives.
  REVIEW_SAMPLE_RATE: '0.02',
  LOG_LEVEL: 'warn',
  // Each simulated upload waits for its decision: at the default 2 jobs per queue, media jobs waited 1.1 s on
  // average for a slot while the 2 cores were 70% busy (the default run's /metrics); at 4, bench:ingest with 16
  // uploaders went from 11.9 to 15.8 images a second (docs/benchmarks.md).
  JOB_CONCURRENCY: '4',
  // The simulated platform learns decisions by webhook on 127.0.0.1 (driver/decision-feed.ts), as a platform would, instead of polling.
  WEBHOOK_ALLOW_PRIVATE: 'true',
};

export async function launchLoupe(options: { log?: (line: string) => void; env?: Record<string, string> } = {}): Promise<LaunchedLoupe> {
  const log = options.log ?? (() => undefined);
  const entry = path.join(PROJECT_ROOT, API_ENTRY);
  if (!existsSync(entry)) {
    log('Loupe is not built yet: running `npm run build` first');
    const build = spawnSync('npm', ['run', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
    if (build.status !== 0 || !existsSync(entry)) throw new Error('npm run build failed; the simulator needs the built server (or --url)');
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'loupe-sim-'));
  const adminKey = `sim-admin-${randomBytes(16).toString('hex')}`;
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    LOUPE_ADMIN_KEY: adminKey,
    PORT: String(port),
    HOST: '127.0.0.1',
    ...SIMULATION_SERVER_ENV,
    ...options.env,
  };
  // The embedded defaults: whatever the caller's shell says about databases and queues.
  delete env.DATABASE_URL;
  delete env.DATABASE_MIGRATION_URL;
  delete env.REDIS_URL;
  delete env.LOUPE_MODE;
  const child: ChildProcess = spawn(process.execPath, [entry], { cwd: PROJECT_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const stop = async () => {
    await stopProcessGroup(child, exited);
    await rm(dataDir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`Loupe exited while starting:\n${output.slice(-4000)}`);
    }
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Loupe did not answer /health within 3 minutes:\n${output.slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  log(`Loupe started at ${url} (embedded defaults, DATA_DIR ${dataDir})`);
  return { url, adminKey, dataDir, output: () => output, stop };
}
