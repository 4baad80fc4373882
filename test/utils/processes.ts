import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stopProcessGroup } from '@loupe/common';
import { ApiClient } from './api-client';
import { createTestDatabase, TEST_REDIS_URL } from './postgres';
import { waitFor } from './wait-for';

export const ROOT = path.resolve(__dirname, '../..');

export async function freePort(): Promise<number> {
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

export interface RunningProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Starts a command in its own process group, so stop() ends it and its children (npm → node). */
export function startProcess(command: string, args: string[], env: Record<string, string>): RunningProcess {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    stop: () => stopProcessGroup(child, exited),
  };
}

export function startNode(entry: string, env: Record<string, string>): RunningProcess {
  return startProcess(process.execPath, [path.join(ROOT, entry)], env);
}

export const API_ENTRY = 'dist/apps/api/src/main.js';
export const WORKER_ENTRY = 'dist/apps/worker/src/main.js';
export const CLI_ENTRY = 'bin/loupe.js';

export interface ProductionStack {
  /** One admin client per api process. */
  apis: ApiClient[];
  adminKey: string;
  env: Record<string, string>;
  processes: RunningProcess[];
  /** Stops every process, drops the database and removes the data directory. */
  stop(): Promise<void>;
}

/**
 * The production shape from the build: `apis` api processes and a worker on a
 * fresh PostgreSQL database and a fresh Redis key prefix, each answering /health.
 */
export async function startProductionStack(options: { apis: number; env?: Record<string, string> }): Promise<ProductionStack> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'loupe-prod-'));
  const adminKey = `prod-admin-${randomBytes(12).toString('hex')}`;
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `loupe-proc-${randomBytes(4).toString('hex')}`,
    DATA_DIR: dataDir,
    LOUPE_ADMIN_KEY: adminKey,
    COMPUTE_THREADS: '1',
    LOG_LEVEL: 'warn',
    TRAINING_CRON: 'off',
    ...options.env,
  };
  const processes: RunningProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const ports = await Promise.all(Array.from({ length: options.apis }, () => freePort()));
    for (const port of ports) processes.push(startNode(API_ENTRY, { ...env, LOUPE_MODE: 'api', PORT: String(port) }));
    processes.push(startNode(WORKER_ENTRY, env));
    const apis = ports.map((port) => new ApiClient(`http://127.0.0.1:${port}`, adminKey));
    for (const api of apis) {
      const health = async () => (await api.get('/health', { key: null }).catch(() => ({ status: 0 }))).status;
      await waitFor(health, (s) => s === 200, `api ${api.baseUrl}`, 120_000);
    }
    return { apis, adminKey, env, processes, stop };
  } catch (error) {
    for (const p of processes) console.log(p.output().slice(-4000));
    await stop();
    throw error;
  }
}
