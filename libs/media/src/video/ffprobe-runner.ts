import { execFile } from 'node:child_process';
import { MediaError } from '../media.error';
import { FfmpegStderr, ffmpegFailure } from './ffmpeg-diagnostics';
import { FFMPEG_FORMAT_WHITELIST, FFMPEG_PROTOCOL_WHITELIST, ffmpegInputUrl } from './video-input';

/** The parts of `ffprobe -print_format json -show_format -show_streams` that Loupe reads. */
export interface FfprobeStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  duration?: string;
  disposition?: Record<string, number>;
  tags?: Record<string, string>;
  side_data_list?: Array<{ side_data_type?: string; rotation?: number }>;
}

export interface FfprobeOutput {
  streams: FfprobeStream[];
  format: { format_name?: string; duration?: string };
}

// ffprobe -show_streams of an ordinary file is a few kB; this bounds a hostile one with thousands of streams.
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

/** The ffprobe argument list: the same input restrictions as every ffmpeg run. */
export function ffprobeArgs(absolutePath: string, formatWhitelist = FFMPEG_FORMAT_WHITELIST): string[] {
  return [
    '-v',
    'error',
    '-hide_banner',
    '-protocol_whitelist',
    FFMPEG_PROTOCOL_WHITELIST,
    '-format_whitelist',
    formatWhitelist,
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    ffmpegInputUrl(absolutePath),
  ];
}

/**
 * Runs ffprobe directly rather than through fluent-ffmpeg's ffprobe(): that
 * one can be neither timed out nor killed, and parses ffprobe's flat text
 * output, which loses nested side data. execFile's timeout sends SIGKILL.
 */
export function runFfprobe(absolutePath: string, timeoutMs: number, ffprobePath = 'ffprobe', formatWhitelist = FFMPEG_FORMAT_WHITELIST): Promise<FfprobeOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      ffprobePath,
      ffprobeArgs(absolutePath, formatWhitelist),
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const diagnostics = new FfmpegStderr();
        diagnostics.write(stderr);
        const lines = diagnostics.lines();
        if (error) {
          const killed = (error as { killed?: boolean }).killed || (error as { signal?: string }).signal === 'SIGKILL';
          if (killed && (error as { code?: unknown }).code !== 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
            reject(new MediaError('media.timeout', `Probing the video took longer than ${timeoutMs} ms`, { timeoutMs }));
            return;
          }
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
            reject(new Error(`ffprobe is not installed (${ffprobePath} not found)`));
            return;
          }
          reject(ffmpegFailure('ffprobe', `exit code ${String((error as { code?: unknown }).code)}`, lines));
          return;
        }
        try {
          const parsed = JSON.parse(stdout) as Partial<FfprobeOutput>;
          resolve({ streams: Array.isArray(parsed.streams) ? parsed.streams : [], format: parsed.format ?? {} });
        } catch {
          reject(new Error('ffprobe printed output that is not JSON'));
        }
      },
    );
  });
}
