import { MediaError } from '../media.error';
import type { FfprobeOutput, FfprobeStream } from './ffprobe-runner';
import type { VideoProbe } from './video.types';

/** `30000/1001` -> 29.97...; 0 for `0/0`, missing or malformed rates. */
export function parseRational(text: string | undefined): number {
  if (!text) return 0;
  const match = /^(-?\d+)(?:\/(\d+))?$/.exec(text.trim());
  if (!match) return 0;
  const num = Number(match[1]);
  const den = match[2] === undefined ? 1 : Number(match[2]);
  return num > 0 && den > 0 ? num / den : 0;
}

function positiveNumber(text: string | number | undefined): number | null {
  const value = typeof text === 'number' ? text : text === undefined ? NaN : Number.parseFloat(text);
  return Number.isFinite(value) && value > 0 ? value : null;
}

function rotationOf(stream: FfprobeStream): number {
  const fromMatrix = stream.side_data_list?.find((s) => typeof s.rotation === 'number')?.rotation;
  const raw = fromMatrix ?? (stream.tags?.rotate !== undefined ? Number(stream.tags.rotate) : 0);
  if (!Number.isFinite(raw)) return 0;
  return ((Math.round(raw) % 360) + 360) % 360;
}

/** Turns ffprobe's JSON into a VideoProbe, refusing what cannot be decoded into frames. */
export function toVideoProbe(output: FfprobeOutput): VideoProbe {
  // The reference hashes the first video stream, whatever it is; so does frames() (-map 0:v:0).
  const video = output.streams.find((s) => s.codec_type === 'video');
  if (!video) throw new MediaError('media.no_video_stream', 'File has no video stream');
  const codec = video.codec_name;
  if (!codec) throw new MediaError('media.unsupported_codec', 'Video codec is not recognised');
  const codedWidth = video.width ?? 0;
  const codedHeight = video.height ?? 0;
  if (!(codedWidth > 0 && codedHeight > 0)) throw new MediaError('media.corrupt', 'Video stream declares no frame size', { codec });

  const avg = parseRational(video.avg_frame_rate);
  const frameRateRational = avg > 0 ? video.avg_frame_rate! : (video.r_frame_rate ?? '0/0');
  const frameRate = avg > 0 ? avg : parseRational(video.r_frame_rate);
  if (!(frameRate > 0)) throw new MediaError('media.corrupt', 'Video stream declares no frame rate', { codec });

  const rotation = rotationOf(video);
  const swap = rotation % 180 === 90;
  const frameCount = positiveNumber(video.nb_frames);
  return {
    container: output.format.format_name ?? 'unknown',
    duration: positiveNumber(output.format.duration) ?? positiveNumber(video.duration),
    width: swap ? codedHeight : codedWidth,
    height: swap ? codedWidth : codedHeight,
    codedWidth,
    codedHeight,
    rotation,
    frameRate,
    frameRateRational,
    frameCount: frameCount === null ? null : Math.round(frameCount),
    codec,
    pixelFormat: video.pix_fmt ?? null,
    hasAudio: output.streams.some((s) => s.codec_type === 'audio'),
    streamIndex: video.index,
  };
}

/**
 * A probe kept with the item (as JSON, by the process that took the upload)
 * back to a VideoProbe, or null when it is not one this code can use (an
 * older or newer shape): the caller then probes the file again. It is
 * trusted as the upload's own reading of the same content-addressed bytes;
 * a check added later to the upload's inspection does not reach rows
 * probed before it.
 */
export function storedVideoProbe(value: unknown): VideoProbe | null {
  if (typeof value !== 'object' || value === null) return null;
  const p = value as Record<string, unknown>;
  const positiveInteger = (key: string) => Number.isInteger(p[key]) && (p[key] as number) > 0;
  const positiveOrNull = (key: string, integer: boolean) =>
    p[key] === null || (typeof p[key] === 'number' && (p[key] as number) > 0 && Number.isFinite(p[key]) && (!integer || Number.isInteger(p[key])));
  // What toVideoProbe makes, and nothing else: a probe that fails this is read again from the file.
  const usable =
    ['width', 'height', 'codedWidth', 'codedHeight'].every(positiveInteger) &&
    typeof p.frameRate === 'number' &&
    Number.isFinite(p.frameRate) &&
    p.frameRate > 0 &&
    Number.isInteger(p.rotation) &&
    (p.rotation as number) >= 0 &&
    (p.rotation as number) < 360 &&
    Number.isInteger(p.streamIndex) &&
    (p.streamIndex as number) >= 0 &&
    positiveOrNull('duration', false) &&
    positiveOrNull('frameCount', true) &&
    (p.pixelFormat === null || typeof p.pixelFormat === 'string') &&
    typeof p.container === 'string' &&
    typeof p.codec === 'string' &&
    typeof p.frameRateRational === 'string' &&
    typeof p.hasAudio === 'boolean';
  return usable ? (p as unknown as VideoProbe) : null;
}
