/*
 * Ingest throughput end to end: distinct photos uploaded through the real
 * HTTP API (POST /v1/contents) of the build (dist/) by C concurrent
 * uploaders, until every item has its decision.
 *
 *   npm run build && npm run bench:ingest [-- --stores embedded|real] [-- --workers 1|2]
 *     [-- --images N] [-- --concurrency C | --rate R] [-- --sizes 640x480,...] [-- --quick] [-- --videos] [-- --env KEY=VALUE,...]
 *
 * --stores embedded: one all-in-one process on PGlite and the in-process queue
 * (the defaults). --stores real: one api process and --workers worker
 * processes over PostgreSQL and Redis (a fresh database and key prefix).
 * --concurrency C (default 8): C uploaders, each sending its next photo as
 * soon as the last was accepted: saturation, where uploads run ahead of the
 * pipeline and wait behind its work (their latency is about C over the rate
 * at which uploads are accepted). --rate R: uploads arrive at R a second,
 * open loop (at most 64 in flight), as a platform's do; the upload latency
 * and time to decision at that rate, and whether decisions kept up.
 * --env passes settings to every server process (e.g. JOB_CONCURRENCY=4) to
 * try one without a code change. BENCH_CPU_PROF=<dir> writes a CPU profile of
 * every server process (and its threads) there when it stops; BENCH_KEEP_DB=1
 * keeps the PostgreSQL database.
 *
 * What is measured, for the N timed images (a few untimed ones first warm up
 * the processes: the backbone graph, JIT, pools):
 * - images per second: N / (the last decision − the first upload sent),
 *   decision times as the server recorded them (`decision.decidedAt`);
 * - upload latency: sending the multipart request to its 202, at the client;
 * - time to decision: the upload sent to its decision recorded;
 * - CPU per image: each server process from /proc (its main thread alone
 *   from /proc/<pid>/task/<pid>, the other threads together: compute and
 *   index threads, libuv's pool with sharp and file I/O, V8's GC threads;
 *   ffmpeg children for videos), PostgreSQL and Redis machine-wide (other
 *   work on the machine shows there too), and from each process's
 *   /metrics the compute-thread tasks (loupe_compute_task_duration_seconds:
 *   submission to result, so it includes waiting for a free thread) and the
 *   match-index lookups (loupe_match_index_lookup_seconds).
 *
 * --videos: short H.264 videos (lavfi, 1280x720 at 30 fps) one at a time
 * through the pipeline at VPDQ_FPS=1, against `ffmpeg -i <file> -f null -`
 * on the same files, the reference decode; the ratio is the pipeline's time
 * over ffmpeg's (the issue's target: at most 1.5), in wall time and in CPU
 * (the server processes and their ffprobe/ffmpeg children against ffmpeg's).
 * On a shared machine the CPU ratio is the one to trust.
 *
 * `npx tsx bench/cpu-profile-summary.ts <profile> --window <µs,µs>` sums a
 * profile of the timed window (window.monotonicUs in the JSON).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { renderLavfiVideo } from '@loupe/media/testing';
import { createTestDatabase, TEST_REDIS_URL } from '../test/utils/postgres';
import { API_ENTRY, freePort, ROOT, startProcess, WORKER_ENTRY } from '../test/utils/processes';
import { costs, cpuOf, Server, snapshot, Stack } from './ingest-costs';
import { decisionOf, inParallel, paced, percentile, upload, waitForDecisions } from './ingest-driving';
import { BENCH_CACHE, benchPhoto, parseSizes, UPLOAD_SIZES } from './ingest-photos';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const VIDEOS = argv.includes('--videos');
const arg = (name: string): string | undefined => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
};
const STORES = (arg('--stores') ?? 'embedded') as 'embedded' | 'real';
const WORKERS = Number(arg('--workers') ?? 1);
const IMAGES = Number(arg('--images') ?? (QUICK ? 60 : 300));
const CONCURRENCY = Number(arg('--concurrency') ?? 8);
const RATE = arg('--rate') === undefined ? null : Number(arg('--rate'));
if (RATE !== null && !(RATE > 0)) throw new Error('--rate is uploads a second, above 0');
/** How the timed uploads are sent, for the report. */
const LOAD = RATE === null ? `${CONCURRENCY} uploaders` : `paced at ${RATE} uploads a second`;
const WARMUP = Number(arg('--warmup') ?? 16);
const VIDEO_COUNT = Number(arg('--video-count') ?? (QUICK ? 2 : 4));
const VIDEO_SECONDS = Number(arg('--video-seconds') ?? (QUICK ? 5 : 10));
const EXTRA_ENV: Record<string, string> = Object.fromEntries(
  (arg('--env') ?? '')
    .split(',')
    .filter(Boolean)
    .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
);
if (!['embedded', 'real'].includes(STORES)) throw new Error('--stores is embedded or real');

const SIZES = parseSizes(arg('--sizes') ?? UPLOAD_SIZES);
const photo = (seed: number) => benchPhoto(seed, SIZES);

// ---------------------------------------------------------------------------
// Inputs

const VIDEO_SOURCES = [
  (s: number) => `testsrc2=size=1280x720:rate=30[bg];mandelbrot=size=320x180:rate=30:start_scale=2:end_scale=0.5[fg];[bg][fg]overlay=x='mod(t*80,960)':y=40:shortest=1[out0]`.replace('t*80', `t*${60 + s * 7}`),
  (s: number) => `testsrc=size=1280x720:rate=30,hue=H=${s}*t`,
  (s: number) => `smptehdbars=size=1280x720:rate=30,noise=alls=${10 + s}:allf=t`,
  (s: number) => `cellauto=size=1280x720:rate=30:rule=${18 + 2 * s},scale=1280:720`,
];

async function video(index: number): Promise<string> {
  const file = path.join(BENCH_CACHE, `video-${index}-${VIDEO_SECONDS}s-1280x720.mp4`);
  if (!existsSync(file)) {
    await renderLavfiVideo(file, { source: VIDEO_SOURCES[index % VIDEO_SOURCES.length](index), duration: VIDEO_SECONDS, codec: 'h264', timeoutMs: 300_000 });
  }
  return file;
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, servers: Server[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) {
      for (const s of servers) console.error(`--- ${s.role} output:\n${s.process.output().slice(-4000)}`);
      throw new Error(`${what}: not ready after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function startStack(): Promise<Stack> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'loupe-bench-ingest-'));
  const adminKey = `bench-${randomBytes(16).toString('hex')}`;
  const database = STORES === 'real' ? await createTestDatabase() : null;
  const profile = process.env.BENCH_CPU_PROF;
  const node = (entry: string, env: Record<string, string>) =>
    startProcess(process.execPath, [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), path.join(ROOT, entry)], env);
  const base: Record<string, string> = {
    DATA_DIR: dataDir,
    LOUPE_ADMIN_KEY: adminKey,
    LOG_LEVEL: 'warn',
    TRAINING_CRON: 'off',
    // The backbone's ONNX graph, kept between runs: exporting it is a first-boot cost, not ingest's.
    BACKBONE_ONNX_DIR: path.join(BENCH_CACHE, 'backbone'),
    ...(database ? { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: `loupe-bench-${randomBytes(4).toString('hex')}` } : {}),
    ...EXTRA_ENV,
  };
  const servers: Server[] = [];
  const stop = async () => {
    await Promise.all(servers.map((s) => s.process.stop()));
    // BENCH_KEEP_DB=1 keeps the database (its URL is printed), to look at what an item stores.
    if (database && process.env.BENCH_KEEP_DB) console.error(`kept ${database.url}`);
    else await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const apiSpawnedAt = Date.now();
    const api = node(API_ENTRY, { ...base, PORT: String(port), ...(database ? { LOUPE_MODE: 'api' } : {}) });
    servers.push({ role: database ? 'api' : 'all', process: api, metricsUrl: `${url}/metrics`, metricsKey: adminKey, spawnedAt: apiSpawnedAt });
    await waitUntil('api', async () => (await fetch(`${url}/health`)).ok, 180_000, servers);
    // Workers after the api: it has migrated the database by then.
    for (let i = 0; database && i < WORKERS; i++) {
      const metricsPort = await freePort();
      const spawnedAt = Date.now();
      const worker = node(WORKER_ENTRY, { ...base, METRICS_PORT: String(metricsPort) });
      const server: Server = { role: 'worker', process: worker, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, metricsKey: null, spawnedAt };
      servers.push(server);
      await waitUntil(`worker ${i + 1}`, async () => (await fetch(server.metricsUrl)).ok, 180_000, servers);
    }
    return { url, adminKey, servers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** An epoch time (ms) on CLOCK_MONOTONIC (µs), the clock V8's CPU profiles use on Linux. */
const monotonicUs = (epochMs: number) => Math.round(Number(process.hrtime.bigint() / 1000n) - (Date.now() - epochMs) * 1000);
const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

// ---------------------------------------------------------------------------

async function runImages(stack: Stack, key: string) {
  console.error(`preparing ${WARMUP + IMAGES} photos (cached in ${BENCH_CACHE})…`);
  const photos = await inParallel(
    Array.from({ length: WARMUP + IMAGES }, (_, i) => i),
    2,
    (seed) => photo(seed),
  );
  const bytes = photos.slice(WARMUP).reduce((sum, p) => sum + p.file.length, 0);
  // Warm-up, untimed: JIT, connection pools, each compute thread's backbone session.
  console.error(`warm-up: ${WARMUP} photos`);
  await inParallel(photos.slice(0, WARMUP), CONCURRENCY, (p, i) => upload(stack.url, key, p.file, `warm-${i}.jpg`, 'image/jpeg', i));
  await waitForDecisions(stack, WARMUP, 300_000);
  await new Promise((resolve) => setTimeout(resolve, 1000));

  const loadBefore = loadAverage();
  const before = await snapshot(stack, STORES === 'real');
  console.error(`timed: ${IMAGES} photos, ${LOAD} (load ${loadBefore})`);
  const started = Date.now();
  const send = (p: (typeof photos)[number], i: number) => upload(stack.url, key, p.file, `photo-${i}.jpg`, 'image/jpeg', WARMUP + i);
  let lateStarts: number | null = null;
  let uploads: Awaited<ReturnType<typeof send>>[];
  if (RATE === null) uploads = await inParallel(photos.slice(WARMUP), CONCURRENCY, send);
  else ({ results: uploads, lateStarts } = await paced(photos.slice(WARMUP), RATE, 64, send));
  const uploadedAt = Date.now();
  await waitForDecisions(stack, WARMUP + IMAGES, 30 * 60_000);
  const after = await snapshot(stack, STORES === 'real');
  const loadAfter = loadAverage();

  const decided = await inParallel(uploads, 8, (u) => decisionOf(stack.url, key, u.id));
  const lastDecision = Math.max(...decided.map((d) => d.decidedAt));
  const seconds = (lastDecision - started) / 1000;
  const statuses: Record<string, number> = {};
  for (const d of decided) statuses[d.status] = (statuses[d.status] ?? 0) + 1;
  const toDecision = decided.map((d, i) => d.decidedAt - uploads[i].sentAt);
  const latency = uploads.map((u) => u.latencyMs);
  const perItem = (s: number) => round((s * 1000) / IMAGES, 1);
  return {
    images: IMAGES,
    // CLOCK_MONOTONIC in µs, the clock of a CPU profile's samples: bench/cpu-profile-summary.ts --window reads it.
    window: { startedAt: started, endedAt: lastDecision, monotonicUs: [monotonicUs(started), monotonicUs(lastDecision)] },
    megapixelsMean: round(photos.slice(WARMUP).reduce((s, p) => s + p.width * p.height, 0) / IMAGES / 1e6, 2),
    kilobytesMean: round(bytes / IMAGES / 1024, 0),
    seconds: round(seconds, 2),
    imagesPerSecond: round(IMAGES / seconds, 1),
    uploadSeconds: round((uploadedAt - started) / 1000, 2),
    uploadMs: { p50: round(percentile(latency, 50)), p99: round(percentile(latency, 99)), max: round(Math.max(...latency)) },
    // Paced runs: uploads that started over 10 ms late (null when not paced).
    lateStarts,
    decisionMs: { p50: Math.round(percentile(toDecision, 50)), p99: Math.round(percentile(toDecision, 99)), max: Math.round(Math.max(...toDecision)) },
    statuses,
    processes: costs(stack, before, after, IMAGES),
    machineWideCpuMsPerItem: { postgres: perItem(after.postgres - before.postgres), redis: perItem(after.redis - before.redis), benchClient: perItem(after.bench - before.bench) },
    redisCommandsPerItem: after.redisInfo && before.redisInfo ? round((after.redisInfo.commands - before.redisInfo.commands) / IMAGES, 1) : null,
    load: { before: loadBefore, after: loadAfter },
  };
}

/** ffmpeg's own decode of every frame, thrown away: wall seconds, and CPU seconds (its threads, from the shell's `times`). */
async function ffmpegDecode(file: string): Promise<{ seconds: number; cpuSeconds: number }> {
  const started = performance.now();
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('bash', ['-c', 'ffmpeg -nostdin -hide_banner -v error -i "$1" -f null - && times', 'ffmpeg-decode', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`ffmpeg exited ${code}: ${stderr}`))));
  });
  const seconds = (performance.now() - started) / 1000;
  // `times`: the shell's user and system time, then its children's: "0m1.234s 0m0.056s".
  const children = output.trim().split('\n').at(-1) ?? '';
  const cpuSeconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
  return { seconds, cpuSeconds };
}

async function runVideos(stack: Stack, key: string) {
  console.error(`preparing ${VIDEO_COUNT} videos of ${VIDEO_SECONDS} s (cached in ${BENCH_CACHE})…`);
  const files: string[] = [];
  for (let i = 0; i < VIDEO_COUNT + 1; i++) files.push(await video(i));
  // Warm-up with the extra one: the first video in a process starts ffmpeg and the threads cold.
  const warm = await upload(stack.url, key, await readFile(files[VIDEO_COUNT]), 'warm.mp4', 'video/mp4', 0);
  await waitForDecisions(stack, 1, 300_000);
  void warm;
  const loadBefore = loadAverage();
  const before = await snapshot(stack, STORES === 'real');
  const rows: Array<{ file: string; megabytes: number; frames: number; sampled: number; pipelineSeconds: number; ffmpegSeconds: number; ratio: number; pipelineCpuSeconds: number; ffmpegCpuSeconds: number; cpuRatio: number; status: string }> = [];
  const processCpu = () => stack.servers.reduce((sum, s) => { const c = cpuOf(s.process.child.pid!); return sum + c.total + c.children; }, 0);
  const started = Date.now();
  for (let i = 0; i < VIDEO_COUNT; i++) {
    const file = files[i];
    const bytes = await readFile(file);
    const cpuBefore = processCpu();
    const u = await upload(stack.url, key, bytes, path.basename(file), 'video/mp4', i);
    await waitForDecisions(stack, i + 2, 600_000);
    const d = await decisionOf(stack.url, key, u.id);
    const pipelineSeconds = (d.decidedAt - u.sentAt) / 1000;
    // Every server process and its children (ffprobe, ffmpeg); the server is otherwise idle.
    const pipelineCpuSeconds = processCpu() - cpuBefore;
    // The reference, right after on the same machine.
    const reference = await ffmpegDecode(file);
    const frames = VIDEO_SECONDS * 30;
    rows.push({
      file: path.basename(file),
      megabytes: round(bytes.length / 2 ** 20, 1),
      frames,
      sampled: VIDEO_SECONDS,
      pipelineSeconds: round(pipelineSeconds, 2),
      ffmpegSeconds: round(reference.seconds, 2),
      ratio: round(pipelineSeconds / reference.seconds, 2),
      pipelineCpuSeconds: round(pipelineCpuSeconds, 2),
      ffmpegCpuSeconds: round(reference.cpuSeconds, 2),
      cpuRatio: round(pipelineCpuSeconds / reference.cpuSeconds, 2),
      status: d.status,
    });
  }
  const ended = Date.now();
  const after = await snapshot(stack, STORES === 'real');
  const pipeline = rows.reduce((s, r) => s + r.pipelineSeconds, 0);
  const reference = rows.reduce((s, r) => s + r.ffmpegSeconds, 0);
  const frames = rows.reduce((s, r) => s + r.frames, 0);
  return {
    // The videos and ffmpeg's reference decodes between them (the server idles through those).
    window: { startedAt: started, endedAt: ended, monotonicUs: [monotonicUs(started), monotonicUs(ended)] },
    videos: rows,
    total: {
      frames,
      sampledFrames: rows.reduce((s, r) => s + r.sampled, 0),
      pipelineSeconds: round(pipeline, 2),
      ffmpegSeconds: round(reference, 2),
      pipelineFramesPerSecond: round(frames / pipeline, 0),
      ffmpegFramesPerSecond: round(frames / reference, 0),
      ratio: round(pipeline / reference, 2),
      pipelineCpuSeconds: round(rows.reduce((s, r) => s + r.pipelineCpuSeconds, 0), 2),
      ffmpegCpuSeconds: round(rows.reduce((s, r) => s + r.ffmpegCpuSeconds, 0), 2),
      cpuRatio: round(rows.reduce((s, r) => s + r.pipelineCpuSeconds, 0) / rows.reduce((s, r) => s + r.ffmpegCpuSeconds, 0), 2),
    },
    processes: costs(stack, before, after, VIDEO_COUNT),
    load: { before: loadBefore, after: loadAverage() },
  };
}

async function main(): Promise<void> {
  await mkdir(BENCH_CACHE, { recursive: true });
  const mode = STORES === 'embedded' ? 'embedded (PGlite, in-process queue, one process)' : `PostgreSQL + Redis, 1 api + ${WORKERS} worker${WORKERS > 1 ? 's' : ''}`;
  const command = `npm run bench:ingest -- ${argv.join(' ')}`.trim();
  const cpu = os.cpus();
  const machine = `${cpu[0]?.model ?? 'unknown'}, ${cpu.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.error(`${command}\n${mode}; ${machine}; load ${loadAverage()}`);
  const stack = await startStack();
  try {
    const key = await (async () => {
      const response = await fetch(`${stack.url}/v1/admin/api-keys`, {
        method: 'POST',
        headers: { 'x-api-key': stack.adminKey, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'bench-platform', role: 'service' }),
      });
      return ((await response.json()) as { key: string }).key;
    })();
    const result = VIDEOS ? await runVideos(stack, key) : await runImages(stack, key);
    const date = new Date().toISOString();
    if (VIDEOS) {
      const r = result as Awaited<ReturnType<typeof runVideos>>;
      console.log(`\n- command: \`${command}\`\n- machine: ${machine}\n- date: ${date}; load average (1/5/15 min) before ${r.load.before}, after ${r.load.after}\n- mode: ${mode}, VPDQ_FPS=1\n`);
      console.log('| video | MB | frames (sampled) | pipeline s | ffmpeg -f null s | ratio | pipeline CPU s | ffmpeg CPU s | CPU ratio | status |');
      console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
      for (const v of r.videos) console.log(`| ${v.file} | ${v.megabytes} | ${v.frames} (${v.sampled}) | ${v.pipelineSeconds} | ${v.ffmpegSeconds} | ${v.ratio}× | ${v.pipelineCpuSeconds} | ${v.ffmpegCpuSeconds} | ${v.cpuRatio}× | ${v.status} |`);
      console.log(`| **all** | | ${r.total.frames} (${r.total.sampledFrames}) | ${r.total.pipelineSeconds} | ${r.total.ffmpegSeconds} | **${r.total.ratio}×** | ${r.total.pipelineCpuSeconds} | ${r.total.ffmpegCpuSeconds} | **${r.total.cpuRatio}×** | |`);
      console.log(`\nframes per second: pipeline ${r.total.pipelineFramesPerSecond}, ffmpeg's decode ${r.total.ffmpegFramesPerSecond}`);
    } else {
      const r = result as Awaited<ReturnType<typeof runImages>>;
      const jobProcs = r.processes.filter((p) => p.role !== 'api');
      const sumOf = (ps: typeof r.processes, f: (p: (typeof r.processes)[number]) => number) => round(ps.reduce((s, p) => s + f(p), 0), 1);
      const computeMs = (ps: typeof r.processes) => sumOf(ps, (p) => Object.values(p.computeTasks).reduce((s, t) => s + t.msPerItem, 0));
      const api = r.processes.find((p) => p.role === 'api');
      console.log(`\n- command: \`${command}\`\n- machine: ${machine}\n- date: ${date}; load average (1/5/15 min) before ${r.load.before}, after ${r.load.after}\n- mode: ${mode}; ${r.images} photos (mean ${r.megapixelsMean} MP, ${r.kilobytesMean} KB JPEG), ${LOAD}${Object.keys(EXTRA_ENV).length ? `; env ${JSON.stringify(EXTRA_ENV)}` : ''}\n`);
      console.log('| mode | images | s | images/s | upload p50 / p99 ms | decision p50 / p99 ms | CPU ms/image: api main / other | jobs main / other | compute tasks (wall) | postgres | redis | statuses |');
      console.log('|---|---:|---:|---:|---|---|---|---|---:|---:|---:|---|');
      console.log(
        `| ${STORES === 'embedded' ? 'embedded' : `real, ${WORKERS} worker${WORKERS > 1 ? 's' : ''}`} | ${r.images} | ${r.seconds} | **${r.imagesPerSecond}** | ${r.uploadMs.p50} / ${r.uploadMs.p99} | ${r.decisionMs.p50} / ${r.decisionMs.p99} | ` +
          `${api ? `${api.cpuMsPerItem.mainThread} / ${api.cpuMsPerItem.otherThreads}` : '(same process)'} | ${sumOf(jobProcs, (p) => p.cpuMsPerItem.mainThread)} / ${sumOf(jobProcs, (p) => p.cpuMsPerItem.otherThreads)} | ` +
          `${computeMs(jobProcs)} | ${r.machineWideCpuMsPerItem.postgres} | ${r.machineWideCpuMsPerItem.redis} | ${Object.entries(r.statuses).map(([s, n]) => `${s} ${n}`).join(', ')} |`,
      );
    }
    console.log('\n```json');
    console.log(JSON.stringify({ command, machine, date, mode, concurrency: RATE === null ? CONCURRENCY : null, rate: RATE, env: EXTRA_ENV, ...result }, null, 2));
    console.log('```');
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
