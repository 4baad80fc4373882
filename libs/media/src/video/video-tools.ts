import { execFile } from 'node:child_process';
import { Logger, OnModuleInit } from '@nestjs/common';
import ffmpeg from 'fluent-ffmpeg';
import { MediaError } from '../media.error';

export type VideoSupport = 'available' | 'unavailable';

export interface VideoToolPaths {
  /** A name looked up on PATH, or a path. */
  ffmpegPath: string;
  ffprobePath: string;
}

// `-version` answers at once; a program that takes longer is not one we can use.
const VERSION_TIMEOUT_MS = 10_000;

/**
 * The machine cannot decode video (ffmpeg or ffprobe missing): the upload is
 * fine, so this is a 503 for the client, not a 4xx about their file.
 */
export class VideoUnavailableError extends MediaError {
  constructor(missing: readonly { program: string; path: string }[]) {
    const names = missing.map((m) => (m.path === m.program ? m.program : `${m.program} (${m.path})`)).join(' and ');
    super('media.video_unavailable', `Video is not supported on this server: ${names} ${missing.length > 1 ? 'are' : 'is'} not installed`, {
      missing: missing.map((m) => m.program),
    });
    this.name = 'VideoUnavailableError';
  }
}

/**
 * Each program that answered, once per process: starting ffmpeg and ffprobe
 * costs about 0.25 s of CPU for the two, and a process that starts several
 * applications (the CLI's commands, the e2e tests' servers) needs it once.
 * A failure is not kept: the next application asks again, so one timeout
 * or an ffmpeg installed since does not leave video off for the process.
 */
const versionChecks = new Map<string, Promise<boolean>>();

function runsVersion(program: string): Promise<boolean> {
  let check = versionChecks.get(program);
  if (!check) {
    check = new Promise((resolve) => {
      execFile(program, ['-version'], { timeout: VERSION_TIMEOUT_MS, killSignal: 'SIGKILL', windowsHide: true }, (error) => resolve(!error));
    });
    versionChecks.set(program, check);
    void check.then((runs) => {
      if (!runs) versionChecks.delete(program);
    });
  }
  return check;
}

/**
 * Where ffmpeg and ffprobe are, and whether they run. Checked once at
 * start-up: without them Loupe still serves images, tells /health, and answers
 * video uploads with 503 `media.video_unavailable` instead of failing later.
 * Until check() has run (unit tests building codecs by hand) the tools are
 * assumed present, and a missing one shows as a spawn error.
 * Provided by MediaModule from the configuration.
 */
export class VideoTools implements OnModuleInit {
  private readonly logger = new Logger(VideoTools.name);
  private missing: { program: 'ffmpeg' | 'ffprobe'; path: string }[] = [];

  constructor(readonly paths: VideoToolPaths = { ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' }) {}

  get ffprobePath(): string {
    return this.paths.ffprobePath;
  }

  get support(): VideoSupport {
    return this.missing.length === 0 ? 'available' : 'unavailable';
  }

  async onModuleInit(): Promise<void> {
    await this.check();
    if (this.missing.length > 0) {
      this.logger.warn(
        `${new VideoUnavailableError(this.missing).message} (FFMPEG_PATH=${this.paths.ffmpegPath}, FFPROBE_PATH=${this.paths.ffprobePath}). ` +
          'Video uploads will be refused with 503 until it is installed, for example with apt-get install -y ffmpeg.',
      );
    }
  }

  async check(): Promise<VideoSupport> {
    const [ffmpegRuns, ffprobeRuns] = await Promise.all([runsVersion(this.paths.ffmpegPath), runsVersion(this.paths.ffprobePath)]);
    this.missing = [
      ...(ffmpegRuns ? [] : [{ program: 'ffmpeg' as const, path: this.paths.ffmpegPath }]),
      ...(ffprobeRuns ? [] : [{ program: 'ffprobe' as const, path: this.paths.ffprobePath }]),
    ];
    // fluent-ffmpeg keeps the program in a module-wide cache, and would otherwise look at the
    // environment and PATH itself; one process has one configuration, so setting it here is enough.
    if (ffmpegRuns) ffmpeg.setFfmpegPath(this.paths.ffmpegPath);
    if (ffprobeRuns) ffmpeg.setFfprobePath(this.paths.ffprobePath);
    return this.support;
  }

  /** Throws VideoUnavailableError when the start-up check found a program missing. */
  requireAvailable(): void {
    if (this.missing.length > 0) throw new VideoUnavailableError(this.missing);
  }
}
