/*
 * The floor under ingest (issue 11): what an image's own work costs, with
 * nothing of the platform around it, on the same photos as bench:ingest.
 *
 *   npm run bench:ingest-floor [-- --images N] [-- --concurrency C] [-- --threads T] [-- --rounds R] [-- --sizes WxH,...]
 *
 * Per photo, in this one process, exactly what the media and classify jobs
 * do to a still image's bytes, through the same code (SignalExtractor and
 * ComputePool): one read of the header, one decode with its resizes (the
 * hash input, to at most 1024 px, and the model's 224x224), PDQ with its
 * eight dihedral hashes, and the backbone on onnxruntime with its scores and
 * embedding. No HTTP, no database, no queue, no match index, no file
 * written. C photos are in flight (default 8), over T compute threads
 * (default: one per core, where the server keeps one core for its main
 * thread); sharp decodes in libuv's pool, as in the server.
 *
 * Three passes over the same photos: the decode alone, then with PDQ, then
 * the whole work; a step's cost is the difference between two. R rounds
 * (default 2) run the passes in turn, the order reversed every other round. Each reports images a second and the process's CPU per image
 * (every thread: the compute threads, libuv's pool and libvips' threads,
 * V8's GC; this thread's own driving is in it too, a small part). The cores'
 * whole capacity over the last pass's CPU is the most any pipeline built on
 * this work could reach on this machine, whatever it does around it.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ComputePool } from '@loupe/compute';
import { LoupeConfig } from '@loupe/config';
import { PDQ_MAX_SIDE, SignalExtractor } from '@loupe/domain/signals/signal-extractor.service';
import { ImageCodec, VideoCodec } from '@loupe/media';
import { NSFW_INPUT_SIZE } from '@loupe/ml';
import { inParallel } from './ingest-driving';
import { BENCH_CACHE, benchPhoto, parseSizes, UPLOAD_SIZES } from './ingest-photos';

const argv = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
};
const IMAGES = Number(arg('--images') ?? 600);
const CONCURRENCY = Number(arg('--concurrency') ?? 8);
const THREADS = Number(arg('--threads') ?? os.cpus().length);
const ROUNDS = Number(arg('--rounds') ?? 2);
const SIZES = parseSizes(arg('--sizes') ?? UPLOAD_SIZES);
/** Untimed photos first: each compute thread loads its backbone session on its first task. */
const WARMUP = 8 * THREADS;

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

async function main(): Promise<void> {
  await mkdir(BENCH_CACHE, { recursive: true });
  const command = ['npm run bench:ingest-floor', ...(argv.length ? ['--', ...argv] : [])].join(' ');
  const cpu = os.cpus();
  const machine = `${cpu[0]?.model ?? 'unknown'}, ${cpu.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.error(`${command}\n${machine}; load ${loadAverage()}`);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'loupe-bench-floor-'));
  // The backbone's graph where bench:ingest keeps it: exported on the first run of either.
  const config = LoupeConfig.fromEnv({ DATA_DIR: dataDir, COMPUTE_THREADS: String(THREADS), BACKBONE_ONNX_DIR: path.join(BENCH_CACHE, 'backbone') }, 'worker');
  const pool = new ComputePool(config);
  const codec = new ImageCodec();
  const signals = new SignalExtractor(codec, new VideoCodec(), pool, config);
  try {
    console.error(`preparing ${WARMUP + IMAGES} photos (cached in ${BENCH_CACHE})…`);
    const photos = await inParallel(
      Array.from({ length: WARMUP + IMAGES }, (_, i) => i),
      2,
      (seed) => benchPhoto(seed, SIZES),
    );
    // What the two jobs do to one still image (MediaProcessingHandler.image, then ContentScorer.score),
    // and the same stopped short: each step's cost is the difference between two passes.
    const probeOf = async (file: Buffer) => (await signals.inspectImage(file)).probe;
    const hashed = async (file: Buffer) => signals.image(file, await probeOf(file));
    const backends = new Set<string>();
    const passes: Array<{ work: string; run: (file: Buffer) => Promise<unknown> }> = [
      {
        work: 'header, one decode, its resizes',
        run: async (file) => codec.decodeForAnalysis(file, config.media, { hashMaxSide: PDQ_MAX_SIDE, modelSize: NSFW_INPUT_SIZE }, await probeOf(file)),
      },
      { work: '+ PDQ, 8 dihedral hashes', run: hashed },
      {
        work: '+ the backbone, scores and embedding',
        run: async (file) => {
          const image = await hashed(file);
          backends.add((await pool.classify({ rgb: image.modelInput.data, heads: [], text: {} })).backend);
        },
      },
    ];
    console.error(`warm-up: ${WARMUP} photos`);
    await inParallel(photos.slice(0, WARMUP), CONCURRENCY, (p) => passes[2].run(p.file));

    const timed = photos.slice(WARMUP);
    const loadBefore = loadAverage();
    // Rounds alternate the passes' order (first, second, third, then back), so that a machine
    // whose speed drifts, or a pass that runs cold, does not favour one step.
    const measured = passes.map(() => ({ seconds: [] as number[], cpuMs: [] as number[] }));
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? [0, 1, 2] : [2, 1, 0];
      for (const at of order) {
        console.error(`round ${round + 1}: ${passes[at].work}: ${IMAGES} photos, ${CONCURRENCY} in flight, ${THREADS} compute threads`);
        const cpuBefore = cpuMs();
        const started = performance.now();
        await inParallel(timed, CONCURRENCY, (p) => passes[at].run(p.file));
        measured[at].seconds.push((performance.now() - started) / 1000);
        measured[at].cpuMs.push(cpuMs() - cpuBefore);
      }
    }
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const rows = passes.map((pass, at) => {
      const cpuPerImage = sum(measured[at].cpuMs) / (IMAGES * ROUNDS);
      return {
        work: pass.work,
        imagesPerSecondByRound: measured[at].seconds.map((seconds) => round(IMAGES / seconds, 1)),
        imagesPerSecond: round((IMAGES * ROUNDS) / sum(measured[at].seconds), 1),
        cpuMsPerImageByRound: measured[at].cpuMs.map((ms) => round(ms / IMAGES, 1)),
        cpuMsPerImage: round(cpuPerImage, 1),
        // Every core busy with nothing but this work.
        ceilingImagesPerSecond: round((cpu.length * 1000) / cpuPerImage, 0),
      };
    });
    const result = {
      command,
      machine,
      date: new Date().toISOString(),
      load: { before: loadBefore, after: loadAverage() },
      images: IMAGES,
      megapixelsMean: round(timed.reduce((s, p) => s + p.width * p.height, 0) / IMAGES / 1e6, 2),
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      computeThreads: THREADS,
      backend: [...backends].join(', '),
      passes: rows,
    };
    console.log(`\n- command: \`${command}\`\n- machine: ${machine}\n- date: ${result.date}; load average before ${result.load.before}, after ${result.load.after}`);
    console.log(`- ${IMAGES} photos (mean ${result.megapixelsMean} MP), ${CONCURRENCY} in flight, ${THREADS} compute threads, the backbone on ${result.backend}; ${ROUNDS} rounds\n`);
    console.log('| work, per photo | images/s (by round) | CPU ms/image (by round) | cores × 1000 / CPU |');
    console.log('|---|---|---|---:|');
    for (const row of rows) {
      console.log(`| ${row.work} | **${row.imagesPerSecond}** (${row.imagesPerSecondByRound.join(', ')}) | **${row.cpuMsPerImage}** (${row.cpuMsPerImageByRound.join(', ')}) | ${row.ceilingImagesPerSecond} |`);
    }
    console.log('\n```json');
    console.log(JSON.stringify(result, null, 2));
    console.log('```');
  } finally {
    await pool.onApplicationShutdown();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
