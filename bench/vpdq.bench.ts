/*
 * vPDQ throughput on a synthetic 1280x720 H.264 video: decoding (VideoCodec,
 * ffmpeg in its own process) and hashing (VpdqHasher, this thread) timed
 * separately, at 1 frame per second and at every frame.
 *
 *   npx tsx bench/vpdq.bench.ts [--quick] [--seconds N]
 *
 * "decode only" iterates VideoCodec.frames and drops the frames. "decode +
 * hash" is the real pipeline: ffmpeg decodes the next frames while this
 * thread hashes, so its wall time is less than the sum of the two. "hashing"
 * is the time spent inside hashFrame during that run.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { VpdqHasher } from '@loupe/hashing';
import { VideoCodec, type VideoFrameOptions } from '@loupe/media';
import { renderLavfiVideo } from '@loupe/media/testing';

const QUICK = process.argv.includes('--quick');
const secondsArg = process.argv.indexOf('--seconds');
const DURATION = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : QUICK ? 10 : 60;
const WIDTH = 1280;
const HEIGHT = 720;
const RATE = 30;
// Moving test pattern (testsrc2) plus a drifting Mandelbrot inset: deterministic, never static.
const SOURCE =
  `testsrc2=size=${WIDTH}x${HEIGHT}:rate=${RATE}[bg];` +
  `mandelbrot=size=320x180:rate=${RATE}:start_scale=2:end_scale=0.5[fg];` +
  `[bg][fg]overlay=x='mod(t*80,${WIDTH - 320})':y=40:shortest=1[out0]`;

interface Pass {
  label: string;
  frames: number;
  seconds: number;
  hashSeconds?: number;
}

const now = () => Number(process.hrtime.bigint()) / 1e9;

async function decodeOnly(codec: VideoCodec, file: string, options: VideoFrameOptions, label: string): Promise<Pass> {
  const start = now();
  let frames = 0;
  let checksum = 0;
  for await (const frame of codec.frames(file, options)) {
    frames++;
    checksum ^= frame.rgb[frame.rgb.length >> 1]; // touch the data so the pass cannot be skipped
  }
  if (checksum < 0) console.log(checksum);
  return { label, frames, seconds: now() - start };
}

async function decodeAndHash(codec: VideoCodec, file: string, options: VideoFrameOptions, label: string): Promise<Pass> {
  const hasher = new VpdqHasher();
  const start = now();
  let frames = 0;
  let hashSeconds = 0;
  for await (const frame of codec.frames(file, options)) {
    const t = now();
    hasher.hashFrame(frame);
    hashSeconds += now() - t;
    frames++;
  }
  return { label, frames, seconds: now() - start, hashSeconds };
}

function cpuModel(): string {
  const cpus = os.cpus();
  return cpus.length ? cpus[0].model.trim() : 'unknown';
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'loupe-vpdq-bench-'));
  try {
    const file = path.join(dir, `bench-${WIDTH}x${HEIGHT}-${DURATION}s.mp4`);
    console.log(`Rendering ${DURATION} s of ${WIDTH}x${HEIGHT} H.264 at ${RATE} fps into ${dir} ...`);
    const renderStart = now();
    await renderLavfiVideo(file, { source: SOURCE, duration: DURATION, codec: 'h264', timeoutMs: 30 * 60_000 });
    const renderSeconds = now() - renderStart;

    const codec = new VideoCodec();
    const probeStart = now();
    const probe = await codec.probe(file);
    const probeSeconds = now() - probeStart;

    // Warm-up: JIT the hasher and fill fluent-ffmpeg's capability cache.
    await decodeAndHash(codec, file, { fps: 1, maxFrames: 5 }, 'warm-up');

    const timeout = { timeoutMs: 60 * 60_000 };
    const passes: Pass[] = [];
    passes.push(await decodeOnly(codec, file, { fps: 1, ...timeout }, '1 frame/s, decode only'));
    passes.push(await decodeAndHash(codec, file, { fps: 1, ...timeout }, '1 frame/s, decode + hash'));
    passes.push(await decodeOnly(codec, file, { fps: 0, ...timeout }, 'every frame, decode only'));
    passes.push(await decodeAndHash(codec, file, { fps: 0, ...timeout }, 'every frame, decode + hash'));

    const size = (await stat(file)).size;
    const load = os.loadavg().map((v) => v.toFixed(2)).join(' ');
    console.log('\n## vPDQ benchmark\n');
    console.log('| | |');
    console.log('|---|---|');
    console.log(`| command | \`npx tsx bench/vpdq.bench.ts${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}\` |`);
    console.log(`| date | ${new Date().toISOString()} |`);
    console.log(`| machine | Node ${process.version}, ${cpuModel()}, ${os.cpus().length} cores, load average ${load} (after the run) |`);
    console.log(
      `| video | ${DURATION} s, ${probe.width}x${probe.height} ${probe.codec} ${probe.frameRateRational} fps, ${probe.frameCount} frames, ${(size / 1e6).toFixed(1)} MB; rendered in ${renderSeconds.toFixed(1)} s; probe ${(probeSeconds * 1000).toFixed(0)} ms |`,
    );
    console.log('\n| pass | frames | wall s | ms / frame | hashing s (in hashFrame) | x realtime |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const p of passes) {
      const hashing = p.hashSeconds === undefined ? '' : p.hashSeconds.toFixed(2);
      console.log(
        `| ${p.label} | ${p.frames} | ${p.seconds.toFixed(2)} | ${((p.seconds * 1000) / p.frames).toFixed(2)} | ${hashing} | ${(DURATION / p.seconds).toFixed(2)} |`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
