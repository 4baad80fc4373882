/*
 * What the processes of a bench:ingest run cost: CPU per process and per
 * thread from /proc, PostgreSQL's and Redis's CPU machine-wide, and the
 * compute-task, job and index times each process's /metrics reports,
 * between two snapshots.
 */
import { readdirSync, readFileSync } from 'node:fs';
import Redis from 'ioredis';
import { TEST_REDIS_URL } from '../test/utils/postgres';
import type { RunningProcess } from '../test/utils/processes';

const TICKS = 100; // USER_HZ: /proc counts CPU time in 1/100 s on Linux
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

export interface Server {
  role: 'all' | 'api' | 'worker';
  process: RunningProcess;
  /** Where its /metrics answers, and the key it needs (none on a METRICS_PORT listener). */
  metricsUrl: string;
  metricsKey: string | null;
  /** When it was started (ms since the epoch): a CPU profile's clock starts about then. */
  spawnedAt: number;
}

export interface Cpu {
  total: number; // s, the process's threads
  main: number; // s, its main thread
  children: number; // s, waited-for children (ffmpeg)
  threads: Map<number, number>;
}

function ticks(statText: string): { user: number; system: number; childUser: number; childSystem: number } {
  const fields = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]), system: Number(fields[12]), childUser: Number(fields[13]), childSystem: Number(fields[14]) };
}

export function cpuOf(pid: number): Cpu {
  const own = ticks(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  const main = ticks(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8'));
  const threads = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const t = ticks(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
      threads.set(Number(tid), (t.user + t.system) / TICKS);
    } catch {
      // the thread ended
    }
  }
  return { total: (own.user + own.system) / TICKS, main: (main.user + main.system) / TICKS, children: (own.childUser + own.childSystem) / TICKS, threads };
}

/** CPU seconds of every process whose name starts with `prefix` (PostgreSQL's backends, redis-server), machine-wide. */
export function cpuByName(prefix: string): number {
  let sum = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!name.startsWith(prefix)) continue;
      const t = ticks(stat);
      sum += (t.user + t.system) / TICKS;
    } catch {
      // gone
    }
  }
  return sum;
}

export type Samples = Map<string, number>;

/** The Prometheus text format, as series → value (histogram _sum and _count, counters). */
function parseMetrics(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

export async function scrape(server: Server): Promise<Samples> {
  const response = await fetch(server.metricsUrl, { headers: server.metricsKey ? { 'x-api-key': server.metricsKey } : {} });
  if (!response.ok) throw new Error(`GET ${server.metricsUrl}: ${response.status}`);
  return parseMetrics(await response.text());
}

/** Sum of every series of `name` whose labels include all of `labels`. */
export function metric(samples: Samples, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const [series, value] of samples) {
    const brace = series.indexOf('{');
    const seriesName = brace < 0 ? series : series.slice(0, brace);
    if (seriesName !== name) continue;
    if (Object.entries(labels).every(([k, v]) => series.includes(`${k}="${v}"`))) sum += value;
  }
  return sum;
}

function labelValues(samples: Samples, name: string, label: string): string[] {
  const values = new Set<string>();
  for (const series of samples.keys()) {
    if (!series.startsWith(`${name}{`)) continue;
    const match = new RegExp(`${label}="([^"]*)"`).exec(series);
    if (match) values.add(match[1]);
  }
  return [...values].sort();
}

export interface Stack {
  url: string;
  adminKey: string;
  servers: Server[];
  stop(): Promise<void>;
}

/** Redis's own counters (INFO): commands processed and its CPU seconds. The server is shared: other work shows there too. */
async function redisInfo(): Promise<{ commands: number; cpu: number } | null> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const text = await redis.info();
    const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? 0);
    return { commands: field('total_commands_processed'), cpu: field('used_cpu_user') + field('used_cpu_sys') };
  } finally {
    redis.disconnect();
  }
}

/** Resident memory of a process, in MB. */
function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : 0;
}

export interface Snapshot {
  redisInfo: { commands: number; cpu: number } | null;
  cpu: Cpu[];
  metrics: Samples[];
  postgres: number;
  redis: number;
  bench: number;
}

export async function snapshot(stack: Stack, withRedis: boolean): Promise<Snapshot> {
  const metrics = await Promise.all(stack.servers.map(scrape));
  const usage = process.cpuUsage();
  return {
    redisInfo: withRedis ? await redisInfo() : null,
    cpu: stack.servers.map((s) => cpuOf(s.process.child.pid!)),
    metrics,
    postgres: cpuByName('postgres'),
    redis: cpuByName('redis-server'),
    bench: (usage.user + usage.system) / 1e6,
  };
}

/** What each process spent between two snapshots, per image (ms), and where its compute threads' time went. */
export function costs(stack: Stack, before: Snapshot, after: Snapshot, items: number) {
  const perItem = (seconds: number) => round((seconds * 1000) / items, 1);
  return stack.servers.map((server, i) => {
    const a = after.metrics[i];
    const b = before.metrics[i];
    const delta = (name: string, labels: Record<string, string> = {}) => metric(a, name, labels) - metric(b, name, labels);
    const compute: Record<string, { tasks: number; msPerTask: number; msPerItem: number }> = {};
    for (const task of labelValues(a, 'loupe_compute_task_duration_seconds_sum', 'task')) {
      const count = delta('loupe_compute_task_duration_seconds_count', { task });
      if (count === 0) continue;
      const sum = delta('loupe_compute_task_duration_seconds_sum', { task });
      compute[task] = { tasks: count, msPerTask: round((sum * 1000) / count, 2), msPerItem: perItem(sum) };
    }
    const jobs: Record<string, { runs: number; runMs: number; waitMs: number }> = {};
    for (const job of labelValues(a, 'loupe_job_duration_seconds_sum', 'job')) {
      const count = delta('loupe_job_duration_seconds_count', { job });
      if (count === 0) continue;
      jobs[job] = {
        runs: count,
        runMs: round((delta('loupe_job_duration_seconds_sum', { job }) * 1000) / count, 1),
        waitMs: round((delta('loupe_job_wait_seconds_sum', { job }) * 1000) / Math.max(1, delta('loupe_job_wait_seconds_count', { job })), 1),
      };
    }
    const lookups = delta('loupe_match_index_lookup_seconds_count');
    const cpuA = after.cpu[i];
    const cpuB = before.cpu[i];
    // Threads by CPU spent in the run, busiest first (the main thread is the process id).
    const threads = [...cpuA.threads]
      .map(([tid, s]) => ({ tid, main: tid === server.process.child.pid, msPerItem: perItem(s - (cpuB.threads.get(tid) ?? 0)), new: !cpuB.threads.has(tid) }))
      .filter((t) => t.msPerItem > 0)
      .sort((x, y) => y.msPerItem - x.msPerItem)
      .slice(0, 8);
    return {
      role: server.role,
      pid: server.process.child.pid,
      spawnedAt: server.spawnedAt,
      rssMb: rssMb(server.process.child.pid!),
      cpuMsPerItem: {
        process: perItem(cpuA.total - cpuB.total),
        mainThread: perItem(cpuA.main - cpuB.main),
        otherThreads: perItem(cpuA.total - cpuA.main - (cpuB.total - cpuB.main)),
        children: perItem(cpuA.children - cpuB.children),
      },
      computeTasks: compute,
      indexLookups: lookups ? { count: lookups, msPerLookup: round((delta('loupe_match_index_lookup_seconds_sum') * 1000) / lookups, 2) } : null,
      jobs,
      threads,
    };
  });
}
