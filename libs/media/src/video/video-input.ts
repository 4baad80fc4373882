import { stat } from 'node:fs/promises';
import path from 'node:path';
import { MediaError } from '../media.error';

/*
 * ffmpeg treats its input as a URL. Left to itself, a name like
 * `concat:a|b`, `http://...`, `subfile,,start,...:` or an HLS/ffconcat
 * playlist makes it read other files or the network. Every invocation
 * therefore gets a local absolute path behind an explicit `file:` prefix,
 * `-protocol_whitelist file` (nested opens included) and a demuxer whitelist.
 */

/** Only the `file` protocol: no http, concat, subfile, data, pipe, crypto... */
export const FFMPEG_PROTOCOL_WHITELIST = 'file';

/**
 * Demuxers ffmpeg may pick. `mov` is the demuxer named
 * "mov,mp4,m4a,3gp,3g2,mj2"; `matroska` is "matroska,webm". libavformat
 * accepts a format when any of its comma-separated names is listed.
 */
export const FFMPEG_FORMAT_WHITELIST = 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm';

/** The one demuxer for an animated PNG, which is decoded as a video (sharp reads only its default image). */
export const FFMPEG_APNG_FORMAT_WHITELIST = 'apng';

/** What a decode reads: an MP4/MOV or Matroska/WebM video, or an animated PNG. */
export type VideoContainerKind = 'video' | 'apng';

export function formatWhitelistFor(container: VideoContainerKind): string {
  return container === 'apng' ? FFMPEG_APNG_FORMAT_WHITELIST : FFMPEG_FORMAT_WHITELIST;
}

/**
 * What libavformat's url_find_protocol reads as a protocol: a run of
 * [A-Za-z0-9+.-] followed by ':' (so `file:`, `concat:`, `http:` and even a
 * bare `:`), and the `subfile,<options>:` form.
 */
const URL_SCHEME = /^[a-z0-9+.-]*:|^subfile,.*:/is;

/** The name handed to ffmpeg: `file:` plus an absolute path, so no other protocol can ever be chosen. */
export function ffmpegInputUrl(absolutePath: string): string {
  return `file:${absolutePath}`;
}

/**
 * Refuses protocol-looking names, resolves the rest to an absolute path and
 * requires a non-empty regular file (a FIFO or device could stream forever).
 */
export async function resolveLocalVideoPath(input: string): Promise<string> {
  if (typeof input !== 'string' || input.length === 0 || input.includes('\0')) {
    throw new MediaError('media.invalid_path', 'A video path must be a non-empty string');
  }
  if (URL_SCHEME.test(input)) {
    throw new MediaError('media.invalid_path', 'Video paths must be local file paths, not URLs or protocol names', {
      scheme: input.slice(0, input.indexOf(':')),
    });
  }
  const absolute = path.resolve(input);
  let info;
  try {
    info = await stat(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new MediaError('media.not_found', 'Video file not found', { path: absolute });
    throw error;
  }
  if (!info.isFile()) throw new MediaError('media.invalid_path', 'Video path is not a regular file', { path: absolute });
  if (info.size === 0) throw new MediaError('media.truncated', 'Video file is empty', { path: absolute });
  return absolute;
}
