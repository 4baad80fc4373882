/*
 * PDQ throughput: decode (ImageCodec/sharp) and hashing timed separately.
 *
 *   npx tsx bench/pdq.bench.ts [--quick]
 *
 * Hash times cover the whole PdqHasher call on decoded RGB: luma, the Jarosz
 * blur, decimation, quality, DCT, median and hex output. Reference points for
 * the same work in the C++ core: about 4.2 ms per 512x512 image measured on
 * this machine class, and 2.2 ms per 640-px photo in
 * ../shared/vectors/README.md, section 4.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { JaroszDownsampler, PdqHasher } from '@loupe/hashing';
import { ImageCodec, RawRgbImage } from '@loupe/media';

const QUICK = process.argv.includes('--quick');
const VECTORS = path.resolve(__dirname, '..', '../shared/vectors/pdq');

interface Stats {
  p50: number;
  mean: number;
  /** Lowest per-round mean: on a shared machine, the best estimate of the uncontended cost. */
  best: number;
}

interface Row {
  input: string;
  size: string;
  images: number;
  decode: Stats;
  hash: Stats;
  dihedral: Stats;
  /** hashDihedral with the scalar TypeScript blur (JaroszDownsampler) instead of the SIMD kernel. */
  scalar: Stats;
  pipeline: Stats;
}

/** `rounds` is samples grouped by round (one sample per image per round). */
function stats(rounds: number[][]): Stats {
  const all = rounds.flat();
  const sorted = [...all].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const p50 = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const mean = (xs: number[]): number => xs.reduce((sum, v) => sum + v, 0) / xs.length;
  return { p50, mean: mean(all), best: Math.min(...rounds.map(mean)) };
}

function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Smooth gradients plus a little xorshift noise, the same on every run. */
function syntheticRgb(width: number, height: number, seed: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  let state = seed >>> 0 || 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const noise = ((state >>> 0) % 25) - 12;
      const i = (y * width + x) * 3;
      const u = x / width;
      const v = y / height;
      rgb[i] = clampByte(255 * u + 40 * Math.sin(v * 9) + noise);
      rgb[i + 1] = clampByte(255 * v + 40 * Math.cos(u * 7) + noise);
      rgb[i + 2] = clampByte(128 + 100 * Math.sin((u + v) * 5) + noise);
    }
  }
  return rgb;
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

interface Sample {
  name: string;
  png: Buffer;
}

async function timeSamples(label: string, samples: Sample[], rounds: number): Promise<Row> {
  const codec = new ImageCodec();
  const hasher = new PdqHasher();
  const scalarHasher = new PdqHasher(new JaroszDownsampler());
  const decoded = await Promise.all(samples.map((s) => codec.decodeRgb(s.png)));

  // Warm up the JIT on every size before measuring.
  for (let i = 0; i < Math.max(30, 3 * samples.length); i++) {
    const img = decoded[i % decoded.length];
    hasher.hash(img.data, img.width, img.height);
    hasher.hashDihedral(img.data, img.width, img.height);
    scalarHasher.hashDihedral(img.data, img.width, img.height);
    if (i < samples.length) await codec.decodeRgb(samples[i].png);
  }

  // Each phase in its own loop, so one does not evict the other's caches.
  const decode: number[][] = [];
  for (let r = 0; r < rounds; r++) {
    const round: number[] = [];
    for (const sample of samples) {
      const t = nowMs();
      await codec.decodeRgb(sample.png);
      round.push(nowMs() - t);
    }
    decode.push(round);
  }
  const hash = timeHashing(decoded, rounds, (img) => hasher.hash(img.data, img.width, img.height));
  // The two blurs round by round, so a machine that slows down weighs on both alike.
  const [dihedral, scalar] = timeAlternating(decoded, rounds, [
    (img) => hasher.hashDihedral(img.data, img.width, img.height),
    (img) => scalarHasher.hashDihedral(img.data, img.width, img.height),
  ]);

  // What a worker does per image: decode, then hash, back to back.
  const pipeline: number[][] = [];
  for (let r = 0; r < Math.ceil(rounds / 3); r++) {
    const round: number[] = [];
    for (const sample of samples) {
      const t = nowMs();
      const img = await codec.decodeRgb(sample.png);
      hasher.hash(img.data, img.width, img.height);
      round.push(nowMs() - t);
    }
    pipeline.push(round);
  }

  const sizes = new Set(decoded.map((d) => `${d.width}x${d.height}`));
  return {
    input: label,
    size: sizes.size === 1 ? [...sizes][0] : 'mixed',
    images: samples.length,
    decode: stats(decode),
    hash: stats(hash),
    dihedral: stats(dihedral),
    scalar: stats(scalar),
    pipeline: stats(pipeline),
  };
}

function timeHashing(images: RawRgbImage[], rounds: number, run: (img: RawRgbImage) => unknown): number[][] {
  const samples: number[][] = [];
  for (let r = 0; r < rounds; r++) {
    const round: number[] = [];
    for (const img of images) {
      const t = nowMs();
      run(img);
      round.push(nowMs() - t);
    }
    samples.push(round);
  }
  return samples;
}

function timeAlternating(images: RawRgbImage[], rounds: number, runs: ((img: RawRgbImage) => unknown)[]): number[][][] {
  const samples = runs.map((): number[][] => []);
  for (let r = 0; r < rounds; r++) {
    runs.forEach((run, i) => samples[i].push(...timeHashing(images, 1, run)));
  }
  return samples;
}

async function syntheticSamples(width: number, height: number, count: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let i = 0; i < count; i++) {
    const rgb = syntheticRgb(width, height, 0x9e3779b9 + i);
    const png = await sharp(Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength), {
      raw: { width, height, channels: 3 },
    })
      .png()
      .toBuffer();
    samples.push({ name: `synthetic-${width}x${height}-${i}`, png });
  }
  return samples;
}

function vectorSamples(filter: (name: string) => boolean): Sample[] {
  return readdirSync(VECTORS)
    .filter((f) => f.endsWith('.png') && filter(f))
    .sort()
    .map((f) => ({ name: f, png: readFileSync(path.join(VECTORS, f)) }));
}

function fmt(s: Stats): string {
  return `${s.p50.toFixed(2)} / ${s.mean.toFixed(2)} / ${s.best.toFixed(2)}`;
}

async function main(): Promise<void> {
  const rounds = QUICK ? 5 : 30;
  const rows: Row[] = [];
  rows.push(await timeSamples('synthetic', await syntheticSamples(512, 512, 4), rounds));
  rows.push(await timeSamples('synthetic', await syntheticSamples(1024, 1024, 4), Math.ceil(rounds / 2)));
  // A portrait upload as phones make them (the ingest bench's largest size).
  rows.push(await timeSamples('synthetic', await syntheticSamples(1080, 1350, 4), Math.ceil(rounds / 2)));

  if (existsSync(VECTORS)) {
    rows.push(await timeSamples('vectors: 640-px photos', vectorSamples((f) => f.startsWith('wp-')), rounds));
    rows.push(await timeSamples('vectors: te-square-512', vectorSamples((f) => f.includes('square-512x512')), rounds));
    rows.push(await timeSamples('vectors: all 76', vectorSamples(() => true), Math.ceil(rounds / 3)));
  } else {
    console.warn(`${VECTORS} not found: skipping the shared-vector rows`);
  }

  const load = os.loadavg().map((v) => v.toFixed(2)).join(' ');
  console.log(`\nPDQ, Node ${process.version}, ${os.cpus().length} CPUs, load average ${load}, ${rounds} rounds`);
  console.log('Times in ms per image: p50 / mean / best round (lowest per-round mean, the closest to an');
  console.log('uncontended figure on a shared machine). "hash" includes luma, blur, DCT and hex output;');
  console.log('the blur is the WebAssembly SIMD kernel but in the "scalar blur" column (JaroszDownsampler),');
  console.log('timed round by round against it; the ratio is the two best rounds\'.\n');
  console.log('| input | size | images | decode (ImageCodec) | hash | hashDihedral (8 hashes) | hashDihedral, scalar blur | scalar / SIMD | decode + hash |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const cells = [r.decode, r.hash, r.dihedral, r.scalar].map(fmt).join(' | ');
    console.log(`| ${r.input} | ${r.size} | ${r.images} | ${cells} | ${(r.scalar.best / r.dihedral.best).toFixed(2)}× | ${fmt(r.pipeline)} |`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
