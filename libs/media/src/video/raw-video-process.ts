import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import ffmpeg, { type FfmpegCommand } from 'fluent-ffmpeg';
import { MediaError } from '../media.error';
import { FfmpegStderr, classifyFfmpegStderr, ffmpegFailure } from './ffmpeg-diagnostics';
import { FFMPEG_FORMAT_WHITELIST, FFMPEG_PROTOCOL_WHITELIST, ffmpegInputUrl } from './video-input';

export interface RawDecodePlan {
  absolutePath: string;
  /** Output frame size; every frame is scaled to it, so stdout can be cut into equal frames. */
  width: number;
  height: number;
  /** Keep decoded frame n when n % sampleInterval == 0 (1 = every frame). */
  sampleInterval: number;
  maxFrames?: number;
  /** Demuxers ffmpeg may pick; default: MP4/MOV and Matroska/WebM. */
  formatWhitelist?: string;
}

// Bounds the bytes waiting between ffmpeg and the consumer (on top of the 64 kB pipe).
const OUTPUT_HIGH_WATER_MARK = 1 << 20;
// How often ffmpeg reports the timestamp it has reached.
const PROGRESS_PERIOD_SECONDS = 0.1;
// The key=value lines of -progress; everything else on stderr is a diagnostic.
const PROGRESS_LINE = /^(frame|fps|stream_\d+_\d+_q|bitrate|total_size|out_time_us|out_time_ms|out_time|dup_frames|drop_frames|speed|progress)=/;
// How long stop() waits for a killed ffmpeg to be reaped before giving up on it.
const REAP_TIMEOUT_MS = 5_000;

/**
 * The fluent-ffmpeg command for one decode, following the vPDQ vectors'
 * README (section 6): `-map 0:v:0 -fps_mode passthrough -f rawvideo -pix_fmt
 * rgb24`, `-noautorotate`, `scale=W:H:flags=area`. Two additions, checked
 * against the reference hashes:
 *
 * - The scale filter is always present, at the native size when no size is
 *   asked for. At equal size it only converts to RGB, with output identical to
 *   ffmpeg's implicit conversion; it pins every frame to the announced size so
 *   a mid-stream resolution change cannot desynchronise the frame boundaries.
 *   `-reinit_filter 0` keeps the graph (and select's frame counter) alive
 *   across such a change instead of rebuilding it.
 * - For sampling, `select` keeps decoded frame n when n % K == 0 before the
 *   scaler, so skipped frames are never converted or piped. With passthrough
 *   nothing is dropped or duplicated before the filter, so n is the
 *   reference's decoder frame count.
 */
export function buildRawDecodeCommand(plan: RawDecodePlan): FfmpegCommand {
  const filters: string[] = [];
  if (plan.sampleInterval > 1) filters.push(`select=not(mod(n\\,${plan.sampleInterval}))`);
  filters.push(`scale=${plan.width}:${plan.height}:flags=area`);
  return ffmpeg()
    .input(ffmpegInputUrl(plan.absolutePath))
    .inputOptions([
      '-nostdin',
      '-hide_banner',
      '-nostats',
      '-v',
      'error',
      '-protocol_whitelist',
      FFMPEG_PROTOCOL_WHITELIST,
      '-format_whitelist',
      plan.formatWhitelist ?? FFMPEG_FORMAT_WHITELIST,
      '-noautorotate',
      '-reinit_filter',
      '0',
      // Machine-readable progress on stderr: out_time_us is the timestamp the output has
      // reached, so a header that lies about the duration cannot hide how long the video runs.
      '-progress',
      'pipe:2',
      '-stats_period',
      String(PROGRESS_PERIOD_SECONDS),
    ])
    .outputOptions([
      '-map',
      '0:v:0',
      '-an',
      '-sn',
      '-dn',
      '-vf',
      filters.join(','),
      '-fps_mode',
      'passthrough',
      ...(plan.maxFrames ? ['-frames:v', String(plan.maxFrames)] : []),
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
    ]);
}

/**
 * One running ffmpeg decode and its lifecycle: stdout as a stream, stderr
 * kept for diagnosis, a wall-clock timeout, and a stop() that SIGKILLs and
 * waits until the process is reaped. SIGKILL, because ffmpeg blocked writing
 * to a pipe nobody reads does not act on SIGTERM.
 */
export class RawVideoProcess {
  readonly output: PassThrough;
  private readonly stderr = new FfmpegStderr();
  private readonly finished: Promise<void>;
  private process: ChildProcess | undefined;
  private failure: Error | undefined;
  private stopped = false;
  private timedOut = false;
  private readonly timer: NodeJS.Timeout | undefined;
  private outTimeMicros = 0;

  constructor(
    command: FfmpegCommand,
    private readonly timeoutMs?: number,
  ) {
    // No autoDestroy: fluent-ffmpeg treats the output's 'close' as "consumer gone" and
    // reports a failure if that comes before ffmpeg's exit, which is routine under load.
    this.output = new PassThrough({ autoDestroy: false, highWaterMark: OUTPUT_HIGH_WATER_MARK });
    // Errors reach the consumer through its iterator; without a listener, one raised
    // while nobody iterates would crash the process.
    this.output.on('error', () => undefined);
    command.on('start', () => {
      // fluent-ffmpeg keeps the child on the command; its typings do not declare it.
      this.process = (command as unknown as { ffmpegProc?: ChildProcess }).ffmpegProc;
      if (this.stopped || this.timedOut) this.process?.kill('SIGKILL');
    });
    command.on('stderr', (line: string) => {
      if (!PROGRESS_LINE.test(line)) this.stderr.addLine(line);
      else if (line.startsWith('out_time_us=')) {
        const micros = Number(line.slice('out_time_us='.length));
        if (Number.isFinite(micros) && micros > this.outTimeMicros) this.outTimeMicros = micros;
      }
    });
    this.finished = new Promise<void>((resolve) => {
      command.on('end', () => resolve());
      command.on('error', (error: Error) => {
        this.failure ??= error;
        // Wakes a consumer waiting for data that will never come (e.g. ffmpeg failed to start).
        if (!this.output.destroyed) this.output.destroy(this.timedOut ? this.timeoutError() : error);
        resolve();
      });
    });
    if (timeoutMs && timeoutMs > 0) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.process?.kill('SIGKILL');
        this.output.destroy(this.timeoutError());
      }, timeoutMs);
      this.timer.unref();
    }
    command.pipe(this.output, { end: true });
  }

  /**
   * Seconds of video written so far: the end of the last output frame, by its
   * timestamp (not by the header's duration or frame rate). Reported every
   * PROGRESS_PERIOD_SECONDS, so it may lag the frames read by a little.
   */
  get outputSeconds(): number {
    return this.outTimeMicros / 1e6;
  }

  /** The child's pid once spawned. */
  get pid(): number | undefined {
    return this.process?.pid;
  }

  /**
   * After stdout has been read to its end: waits for ffmpeg to exit and
   * returns what went wrong, if anything, as a MediaError where the media is
   * at fault. Decode errors ffmpeg survived count unless tolerated.
   */
  async outcome(tolerateDecodeErrors: boolean): Promise<Error | null> {
    await this.finished;
    clearTimeout(this.timer);
    if (this.timedOut) return this.timeoutError();
    if (this.failure) return ffmpegFailure('ffmpeg', this.failure.message.split('\n')[0], this.stderr.lines());
    if (tolerateDecodeErrors) return null;
    return classifyFfmpegStderr(this.stderr.lines());
  }

  /** Kills ffmpeg if it still runs and resolves once it has exited (idempotent). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (!this.output.destroyed) this.output.destroy();
    // Not spawned yet (fluent-ffmpeg checks capabilities first): the 'start' handler kills it.
    if (!this.process) await withTimeout(this.finished, REAP_TIMEOUT_MS);
    const child = this.process;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await withTimeout(exited, REAP_TIMEOUT_MS);
    }
  }

  private timeoutError(): MediaError {
    return new MediaError('media.timeout', `Decoding the video took longer than ${this.timeoutMs} ms`, { timeoutMs: this.timeoutMs });
  }
}

async function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
