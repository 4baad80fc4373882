import { MediaError } from '../media.error';

/*
 * ffmpeg and ffprobe report problems only as text on stderr (run at
 * `-v error`). These rules turn the messages that describe the media itself
 * into MediaError codes; anything else stays a plain Error (a machine or
 * configuration problem, worth retrying or alerting on).
 */

interface Rule {
  pattern: RegExp;
  code: string;
  message: string;
}

// First match wins, so the more specific messages come first.
const RULES: readonly Rule[] = [
  { pattern: /Format not on whitelist/i, code: 'media.unsupported_type', message: 'Container format is not accepted (only MP4/MOV and Matroska/WebM)' },
  { pattern: /Protocol '?[^']*'? not on whitelist|Protocol not found/i, code: 'media.invalid_path', message: 'The video references a non-local resource' },
  { pattern: /moov atom not found/i, code: 'media.truncated', message: 'MP4 has no index (moov atom): the file is incomplete' },
  { pattern: /partial file|File ended prematurely|truncat|Unexpected end of file|end of file reached unexpectedly/i, code: 'media.truncated', message: 'Video data is cut short' },
  { pattern: /Decoder \(codec [^)]*\) not found|codec not currently supported|Unsupported codec|no decoder/i, code: 'media.unsupported_codec', message: 'Video codec is not supported' },
  { pattern: /Stream map '[^']*' matches no streams|does not contain any stream|Output file #\d+ does not contain any stream/i, code: 'media.no_video_stream', message: 'File has no video stream' },
  { pattern: /No such file or directory/i, code: 'media.not_found', message: 'Video file not found' },
  {
    pattern: /Invalid data found when processing input|Error while decoding stream|Invalid NAL unit|error while decoding|corrupt|invalid (?:frame|header|box|atom)|EBML header parsing failed/i,
    code: 'media.corrupt',
    message: 'Video data is corrupt',
  },
];

// Lines that are noise at `-v error`, not evidence about the media.
const IGNORED = [/^\s*$/, /^To ignore this, add a trailing '\?' to the map\.?$/, /^Conversion failed!?$/];

/** Keeps the lines worth classifying, capped so a stream of decoder errors stays small in memory. */
export class FfmpegStderr {
  private readonly kept: string[] = [];
  private dropped = 0;
  private partial = '';

  constructor(private readonly maxLines = 40) {}

  /** Feeds raw stderr text, which may split lines at any point. */
  write(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split(/\r\n|\r|\n/);
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.addLine(line);
  }

  addLine(line: string): void {
    if (IGNORED.some((p) => p.test(line))) return;
    if (this.kept.length < this.maxLines) this.kept.push(line.trim());
    else this.dropped++;
  }

  lines(): string[] {
    const last = this.partial.trim();
    return last && !IGNORED.some((p) => p.test(last)) ? [...this.kept, last] : [...this.kept];
  }

  get droppedLines(): number {
    return this.dropped;
  }
}

/** The MediaError the stderr lines point to, or null when none of them is about the media. */
export function classifyFfmpegStderr(lines: readonly string[]): MediaError | null {
  for (const rule of RULES) {
    const line = lines.find((l) => rule.pattern.test(l));
    if (line) return new MediaError(rule.code, rule.message, { ffmpeg: stripContext(line) });
  }
  return null;
}

/**
 * Maps a failed ffmpeg/ffprobe run: a media problem when stderr names one,
 * otherwise a plain Error carrying the tool's last words.
 */
export function ffmpegFailure(tool: 'ffmpeg' | 'ffprobe', reason: string, lines: readonly string[]): Error {
  const media = classifyFfmpegStderr(lines);
  if (media) return media;
  const tail = lines.slice(-5).map(stripContext).join(' | ');
  return new Error(`${tool} failed (${reason})${tail ? `: ${tail}` : ''}`);
}

/** Drops ffmpeg's `[h264 @ 0x55d...]` prefix and the input URL, which hold no information for a client. */
function stripContext(line: string): string {
  return line
    .replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, '')
    .replace(/^file:[^:]*:\s*/, '')
    .slice(0, 200);
}
