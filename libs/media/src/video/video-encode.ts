import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MediaError } from '../media.error';

export interface FramesToVideoOptions {
  /** Frames per second of the video. */
  fps: number;
  /** Output size; frames of another size are scaled to it (H.264 wants even sides: odd ones are rounded down). */
  width: number;
  height: number;
  /** libx264's constant rate factor: 18 (near lossless) to 35 (blocky). */
  crf?: number;
  ffmpegPath?: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Encodes still frames (PNG, JPEG or WebP bytes, in order) into an H.264 MP4,
 * as a phone app would post a short clip. Written for the simulator's
 * procedural videos, and through this wrapper because ffmpeg is driven only
 * from libs/media. The MP4 goes to a temporary file first: its index (moov)
 * is written at the end, which a pipe cannot seek back to.
 */
export async function encodeFramesToMp4(frames: readonly Buffer[], options: FramesToVideoOptions): Promise<Buffer> {
  if (frames.length === 0) throw new MediaError('media.no_frames', 'A video needs at least one frame');
  const width = Math.max(2, options.width - (options.width % 2));
  const height = Math.max(2, options.height - (options.height % 2));
  const dir = await mkdtemp(path.join(tmpdir(), 'loupe-encode-'));
  const output = path.join(dir, 'clip.mp4');
  try {
    const args = [
      ...['-hide_banner', '-loglevel', 'error', '-nostdin'],
      ...['-f', 'image2pipe', '-framerate', String(options.fps), '-i', 'pipe:0'],
      ...['-vf', `scale=${width}:${height}`, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', String(options.crf ?? 23), '-pix_fmt', 'yuv420p'],
      ...['-movflags', '+faststart', '-y', output],
    ];
    await runFfmpeg(options.ffmpegPath ?? 'ffmpeg', args, frames, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    return await readFile(output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function runFfmpeg(program: string, args: string[], frames: readonly Buffer[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['pipe', 'ignore', 'pipe'], windowsHide: true });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    // ffmpeg may stop reading early (a bad frame): its exit code says what happened, not the broken pipe.
    child.stdin.on('error', () => undefined);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`ffmpeg could not start: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new MediaError('media.encode_failed', `ffmpeg failed to encode the frames (${signal ?? `exit ${code}`}): ${stderr.trim()}`));
    });
    for (const frame of frames) child.stdin.write(frame);
    child.stdin.end();
  });
}
