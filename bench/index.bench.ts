/*
 * PDQ match index: build time, resident memory and search latency.
 *
 *   npx tsx bench/index.bench.ts [--sizes 1000000,10000000] [--datasets random,clustered,skewed]
 *                                [--images 400] [--threads 2] [--distance 31]
 *
 * Each (size, dataset) runs in a fresh child process (node --expose-gc), so
 * its RSS delta holds only that index: the shard threads, their wasm
 * memories and heaps. A search is one image: 8 dihedral-like query hashes in
 * one call at --distance (31). Half the images are re-uploads (one query
 * within 0..20 bits of an indexed hash, as an image hashed again after
 * re-encoding; a second variant near too for a quarter of them, as a
 * rotated re-upload), half are unrelated. Each method (adaptive, mih, scan)
 * answers the same images, one search at a time, in a block of its own, and
 * every answer is checked against the scan's.
 *
 * Datasets:
 * - random: uniform 256-bit hashes.
 * - clustered: re-upload families: a random centre and 1..40 members each
 *   0..16 bits from it.
 * - skewed: the same families, but in half of the hash (words 0..3, MIH
 *   slots 0..7) every bit takes a fixed favoured value with probability 3/4,
 *   for centres and unrelated queries alike. Unrelated hashes stay far apart
 *   (112 bits on average instead of 128), yet those slots' values crowd into
 *   few buckets, as bits of real PDQ hashes are biased and correlated and
 *   their MIH buckets very uneven.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDQ_HASH_WORDS, pdqWordsToHex } from '@loupe/hashing';
import { SearchMethod, ThreadedPdqIndex } from '@loupe/index';
import { SeededRandom } from '../libs/index/src/testing/random-hashes.fixture';

type Dataset = 'random' | 'clustered' | 'skewed';
const METHODS: SearchMethod[] = ['adaptive', 'mih', 'scan'];
const CHUNK = 250_000;

interface MethodResult {
  method: SearchMethod;
  p50: number;
  p99: number;
  mean: number;
  mihShare: number;
  mihCandidatesPerImage: number;
  matchesPerImage: number;
}

interface ChildResult {
  size: number;
  dataset: Dataset;
  threads: number;
  buildSeconds: number;
  rssDeltaBytes: number;
  rssTotalBytes: number;
  peakRssBytes: number;
  indexBytes: number;
  segments: number;
  methods: MethodResult[];
  agree: boolean;
  /** 1-minute load average when the searches started and ended: other processes share the 2 cores. */
  load: string;
}

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

function rss(): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : process.memoryUsage().rss;
}

function peakRss(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Words 0..3 biased (each bit favoured 3 to 1, the favoured values fixed), words 4..7 uniform. */
const FAVOURED = new SeededRandom(0xb1a5).words();
function skewedWords(random: SeededRandom): Uint32Array {
  const words = random.words();
  for (let w = 0; w < 4; w++) words[w] = FAVOURED[w] ^ (random.nextU32() & random.nextU32());
  return words;
}

/**
 * Writes the dataset (8 words per entry, entry i has id i) to a file, chunk
 * by chunk, so neither it nor its generation weighs on the measured process.
 * Returns the hashes at `keep` positions (the bases of the re-upload queries).
 */
function generate(file: string, dataset: Dataset, size: number, random: SeededRandom, keep: Set<number>): Map<number, Uint32Array> {
  const kept = new Map<number, Uint32Array>();
  const chunk = new Uint32Array(CHUNK * PDQ_HASH_WORDS);
  const hash = new Uint32Array(PDQ_HASH_WORDS);
  const fd = openSync(file, 'w');
  let centre = random.words();
  let left = 0;
  for (let from = 0; from < size; from += CHUNK) {
    const to = Math.min(size, from + CHUNK);
    for (let i = from; i < to; i++) {
      if (dataset === 'random') {
        for (let w = 0; w < PDQ_HASH_WORDS; w++) hash[w] = random.nextU32();
      } else {
        if (left === 0) {
          left = 1 + random.below(40);
          centre = dataset === 'skewed' ? skewedWords(random) : random.words();
        }
        left--;
        random.atDistance(centre, random.below(17), hash);
      }
      chunk.set(hash, (i - from) * PDQ_HASH_WORDS);
      if (keep.has(i)) kept.set(i, Uint32Array.from(hash));
    }
    writeSync(fd, chunk, 0, (to - from) * PDQ_HASH_WORDS * 4);
  }
  closeSync(fd);
  return kept;
}

/** Per image 8 hashes; even images are re-uploads of an indexed hash, odd ones unrelated. */
function images(size: number, count: number, random: SeededRandom, file: string, dataset: Dataset): string[][] {
  const bases = Array.from({ length: count }, () => [random.below(size), random.below(size)]);
  const kept = generate(file, dataset, size, random, new Set(bases.flat()));
  return bases.map(([a, b], image) => {
    const hashes = Array.from({ length: 8 }, () => (dataset === 'skewed' ? skewedWords(random) : random.words()));
    if (image % 2 === 0) {
      hashes[0] = random.atDistance(kept.get(a)!, random.below(21));
      if (image % 4 === 0) hashes[1 + random.below(7)] = random.atDistance(kept.get(b)!, random.below(21));
    }
    return hashes.map((h) => pdqWordsToHex(h));
  });
}

async function child(size: number, dataset: Dataset, threads: number, imageCount: number, distance: number): Promise<ChildResult> {
  const random = new SeededRandom(size ^ (dataset.length * 7919));
  const file = path.join(os.tmpdir(), `pdq-index-bench-${process.pid}.bin`);
  try {
    const queries = images(size, imageCount, random, file, dataset);
    gc();
    const before = rss();

    const index = await ThreadedPdqIndex.start({ threads });
    const started = nowMs();
    const fd = openSync(file, 'r');
    const chunk = new Uint32Array(CHUNK * PDQ_HASH_WORDS);
    for (let from = 0; from < size; from += CHUNK) {
      const to = Math.min(size, from + CHUNK);
      const words = chunk.subarray(0, (to - from) * PDQ_HASH_WORDS);
      readSync(fd, words, 0, words.byteLength, from * PDQ_HASH_WORDS * 4);
      const ids = new Uint32Array(to - from).map((_, i) => from + i);
      await index.addPacked(ids, words); // partitions into copies: the chunk can be reused
    }
    closeSync(fd);
    await index.settle();
    const buildSeconds = (nowMs() - started) / 1000;
    const stats = await index.stats();
    gc();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const held = rss();
    const peak = peakRss();

    // One block per method, each after its own warm-up: interleaving them
    // would let every scan evict the MIH tables the next search needs, which
    // production (one method per index) never sees.
    const times = new Map<SearchMethod, number[]>(METHODS.map((m) => [m, []]));
    const answers = new Map<SearchMethod, string[]>(METHODS.map((m) => [m, []]));
    const segments = new Map<SearchMethod, { mih: number; scan: number; hits: number; candidates: number }>(
      METHODS.map((m) => [m, { mih: 0, scan: 0, hits: 0, candidates: 0 }]),
    );
    const loadStart = os.loadavg()[0].toFixed(2);
    for (const method of METHODS) {
      for (const image of queries.slice(0, 20)) await index.search(image, distance, { method });
      const counts = segments.get(method)!;
      for (const image of queries) {
        const t0 = nowMs();
        const hits = await index.search(image, distance, { method });
        times.get(method)!.push(nowMs() - t0);
        answers.get(method)!.push(JSON.stringify(hits));
        counts.hits += hits.length;
        for (const shard of (await index.stats()).shards) {
          counts.mih += shard.lastSearch.mihSegments;
          counts.scan += shard.lastSearch.scanSegments;
          counts.candidates += shard.lastSearch.mihCandidates;
        }
      }
    }
    await index.close();

    const methods = METHODS.map((method): MethodResult => {
      const sorted = [...times.get(method)!].sort((x, y) => x - y);
      const counts = segments.get(method)!;
      return {
        method,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        mean: sorted.reduce((x, y) => x + y, 0) / sorted.length,
        mihShare: counts.mih / Math.max(1, counts.mih + counts.scan),
        mihCandidatesPerImage: counts.candidates / queries.length,
        matchesPerImage: counts.hits / queries.length,
      };
    });
    const reference = answers.get('scan')!;
    const agree = METHODS.every((m) => answers.get(m)!.every((r, i) => r === reference[i]));
    return {
      size,
      dataset,
      threads,
      buildSeconds,
      rssDeltaBytes: held - before,
      rssTotalBytes: held,
      peakRssBytes: peak,
      indexBytes: stats.memoryBytes,
      segments: stats.segments,
      methods,
      agree,
      load: `${loadStart}-${os.loadavg()[0].toFixed(2)}`,
    };
  } finally {
    rmSync(file, { force: true });
  }
}

function runChild(size: number, dataset: Dataset, threads: number, imageCount: number, distance: number): ChildResult {
  const args = [...process.execArgv, '--expose-gc', __filename, '--child', String(size), dataset, String(threads), String(imageCount), String(distance)];
  const out = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  if (out.status !== 0) throw new Error(`benchmark child for ${dataset} ${size} failed (${out.status})`);
  const line = out.stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as ChildResult;
}

function cpuModel(): string {
  const info = readFileSync('/proc/cpuinfo', 'utf8');
  const field = (name: string): string | undefined => new RegExp(`^${name}\\s*:\\s*(.+)$`, 'm').exec(info)?.[1].trim();
  const model = field('model name') ?? os.cpus()[0]?.model ?? 'unknown';
  return `${model} (family ${field('cpu family') ?? '?'}, model ${field('model') ?? '?'}, ${field('cpu MHz') ?? '?'} MHz)`;
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(0);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    const [size, dataset, threads, imageCount, distance] = process.argv.slice(3);
    const result = await child(Number(size), dataset as Dataset, Number(threads), Number(imageCount), Number(distance));
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const sizes = arg('sizes', '1000000,10000000').split(',').map(Number);
  const datasets = arg('datasets', 'random,clustered,skewed').split(',') as Dataset[];
  const imageCount = Number(arg('images', '400'));
  const threads = Number(arg('threads', '2'));
  const distance = Number(arg('distance', '31'));
  const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const rows: ChildResult[] = [];
  for (const size of sizes) {
    for (const dataset of datasets) {
      process.stderr.write(`${dataset} ${size}...\n`);
      rows.push(runChild(size, dataset, threads, imageCount, distance));
    }
  }
  const loadAfter = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`\n## PDQ match index benchmark\n`);
  console.log(`- command: \`npx tsx bench/index.bench.ts ${process.argv.slice(2).join(' ')}\``.replace(/ `$/, '`'));
  console.log(`- date: ${new Date().toISOString()}`);
  console.log(`- machine: node ${process.version}, ${cpuModel()}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);
  console.log(`- load average (1/5/15 min): before ${loadBefore}, after ${loadAfter}`);
  console.log(`- search: ${imageCount} images x 8 hashes in one call, maxDistance ${distance}, ${threads} shard threads; half re-uploads, half unrelated`);
  console.log('');
  console.log(
    '| hashes | data | build s | segments | index MB | RSS delta MB | B/hash | RSS total MB | peak RSS MB | method | p50 ms | p99 ms | mean ms | MIH segments | MIH candidates/image | hits/image | same as scan | load |',
  );
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---|');
  for (const r of rows) {
    for (const m of r.methods) {
      console.log(
        `| ${r.size.toLocaleString('en')} | ${r.dataset} | ${r.buildSeconds.toFixed(1)} | ${r.segments} | ${mb(r.indexBytes)} | ` +
          `${mb(r.rssDeltaBytes)} | ${(r.rssDeltaBytes / r.size).toFixed(0)} | ${mb(r.rssTotalBytes)} | ${mb(r.peakRssBytes)} | ${m.method} | ${m.p50.toFixed(2)} | ${m.p99.toFixed(2)} | ${m.mean.toFixed(2)} | ` +
          `${(m.mihShare * 100).toFixed(0)}% | ${Math.round(m.mihCandidatesPerImage).toLocaleString('en')} | ${m.matchesPerImage.toFixed(1)} | ${r.agree ? 'yes' : 'NO'} | ${r.load} |`,
      );
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
