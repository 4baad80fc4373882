import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ffmpeg, { type FfmpegCommand } from 'fluent-ffmpeg';

/*
 * Synthetic videos from ffmpeg's lavfi sources, for tests and benchmarks:
 * deterministic, made on the spot, nothing binary checked in. Kept here
 * because this library is the only one that drives ffmpeg.
 */

export type FixtureCodec = 'h264' | 'vp9' | 'vp8' | 'mpeg4';

export interface LavfiVideoSpec {
  /**
   * A lavfi source graph, e.g. `testsrc2=size=320x240:rate=25`. A graph with
   * several chains must label its output `[out0]`.
   */
  source: string;
  /** Seconds of video to keep. */
  duration: number;
  codec: FixtureCodec;
  /** Add a sine-wave audio track. */
  audio?: boolean;
  /** Write a display-matrix rotation (the `rotate` tag; MP4/MOV only). */
  rotate?: number;
  /** Keyframe interval in frames; small values make clean cuts possible. */
  gop?: number;
  /** Matroska/WebM only: write it as a live stream, with no declared sizes (as a streamed upload is). */
  live?: boolean;
  timeoutMs?: number;
}

const ENCODER: Record<FixtureCodec, string[]> = {
  // Fixed settings, so a fixture is the same file on every run.
  h264: ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p'],
  vp9: ['-c:v', 'libvpx-vp9', '-b:v', '0', '-crf', '32', '-deadline', 'realtime', '-cpu-used', '8', '-pix_fmt', 'yuv420p'],
  vp8: ['-c:v', 'libvpx', '-b:v', '1M', '-deadline', 'realtime', '-cpu-used', '8', '-pix_fmt', 'yuv420p'],
  mpeg4: ['-c:v', 'mpeg4', '-q:v', '3', '-pix_fmt', 'yuv420p'],
};

const AUDIO_ENCODER: Record<FixtureCodec, string[]> = {
  h264: ['-c:a', 'aac'],
  mpeg4: ['-c:a', 'aac'],
  vp9: ['-c:a', 'libopus'],
  vp8: ['-c:a', 'libopus'],
};

/** Renders `spec` into `outputPath`; the container follows the extension (.mp4, .mov, .webm, .mkv). */
export async function renderLavfiVideo(outputPath: string, spec: LavfiVideoSpec): Promise<void> {
  if (spec.rotate === undefined) return encode(outputPath, spec);
  // ffmpeg 5.1 drops the rotate tag of a stream it encodes; a stream copy keeps it.
  const { dir, name, ext } = path.parse(outputPath);
  const unrotated = path.join(dir, `${name}.unrotated${ext}`);
  try {
    await encode(unrotated, spec);
    const remux = ffmpeg()
      .input(unrotated)
      .outputOptions(['-map', '0', '-c', 'copy', '-metadata:s:v:0', `rotate=${spec.rotate}`])
      .output(outputPath);
    await run(remux, spec.timeoutMs);
  } finally {
    await rm(unrotated, { force: true });
  }
}

function encode(outputPath: string, spec: LavfiVideoSpec): Promise<void> {
  const command = ffmpeg().input(spec.source).inputOptions(['-f', 'lavfi']);
  if (spec.audio) command.input(`sine=frequency=440:sample_rate=48000:duration=${spec.duration}`).inputOptions(['-f', 'lavfi']);
  command.outputOptions([
    '-map',
    '0:v:0',
    ...(spec.audio ? ['-map', '1:a:0', ...AUDIO_ENCODER[spec.codec]] : []),
    '-t',
    String(spec.duration),
    ...ENCODER[spec.codec],
    ...(spec.gop ? ['-g', String(spec.gop)] : []),
    ...(spec.live ? ['-live', '1'] : []),
  ]);
  return run(command.output(outputPath), spec.timeoutMs);
}

/** Re-encodes `[start, start + duration)` seconds of a video (frame-accurate cut). */
export function cutVideoClip(
  inputPath: string,
  outputPath: string,
  clip: { start: number; duration: number; codec?: FixtureCodec; timeoutMs?: number },
): Promise<void> {
  const command = ffmpeg()
    .input(inputPath)
    .outputOptions(['-ss', String(clip.start), '-t', String(clip.duration), '-map', '0:v:0', ...ENCODER[clip.codec ?? 'h264']])
    .output(outputPath);
  return run(command, clip.timeoutMs);
}

function run(command: FfmpegCommand, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      command.kill('SIGKILL');
      reject(new Error(`ffmpeg fixture timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    command
      .on('end', () => {
        clearTimeout(timer);
        resolve();
      })
      .on('error', (error: Error) => {
        clearTimeout(timer);
        reject(error);
      })
      .run();
  });
}

/**
 * Rewrites the durations an MP4 declares (mvhd, and every track's mdhd and
 * tkhd) to `seconds`, leaving the frames as they are: a header that lies.
 */
export async function rewriteMp4Duration(filePath: string, seconds: number): Promise<void> {
  const data = await readFile(filePath);
  // [box type, offset of the time scale after the box type (null: the movie's), bytes of a v0 duration]
  let movieScale = 0;
  for (const type of ['mvhd', 'mdhd', 'tkhd'] as const) {
    for (let at = data.indexOf(type); at >= 0; at = data.indexOf(type, at + 4)) {
      const version = data[at + 4];
      const body = at + 8; // after type, version and flags
      const wide = version === 1;
      const times = wide ? 16 : 8; // creation and modification times
      if (type === 'tkhd') {
        // tkhd: times, track id, reserved, then the duration in the movie's time scale.
        const offset = body + times + 8;
        if (wide) data.writeBigUInt64BE(BigInt(Math.round(seconds * movieScale)), offset);
        else data.writeUInt32BE(Math.round(seconds * movieScale), offset);
        continue;
      }
      const scale = data.readUInt32BE(body + times);
      if (type === 'mvhd') movieScale = scale;
      if (wide) data.writeBigUInt64BE(BigInt(Math.round(seconds * scale)), body + times + 4);
      else data.writeUInt32BE(Math.round(seconds * scale), body + times + 4);
    }
  }
  await writeFile(filePath, data);
}

/** An animated PNG of the first `frames` frames of a lavfi source (its rate sets the delays). */
export function renderLavfiApng(outputPath: string, spec: { source: string; frames: number; timeoutMs?: number }): Promise<void> {
  const command = ffmpeg()
    .input(spec.source)
    .inputOptions(['-f', 'lavfi'])
    .outputOptions(['-frames:v', String(spec.frames), '-plays', '0', '-f', 'apng'])
    .output(outputPath);
  return run(command, spec.timeoutMs);
}
