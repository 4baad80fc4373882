import { MediaError } from '../media.error';
import { FfmpegStderr, classifyFfmpegStderr, ffmpegFailure } from './ffmpeg-diagnostics';

describe('classifyFfmpegStderr', () => {
  it.each([
    ['[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55b3f93a3280] moov atom not found', 'media.truncated'],
    ['[mov,mp4,m4a,3gp,3g2,mj2 @ 0x5654] stream 0, offset 0x18b30: partial file', 'media.truncated'],
    ['[matroska,webm @ 0x5567] File ended prematurely', 'media.truncated'],
    ['file:/tmp/x.mp4: Invalid data found when processing input', 'media.corrupt'],
    ['[h264 @ 0x5654] Invalid NAL unit size (1909 > 741).', 'media.corrupt'],
    ['Error while decoding stream #0:0: Invalid data found when processing input', 'media.corrupt'],
    ["[png_pipe @ 0x55c7] Format not on whitelist 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm'", 'media.unsupported_type'],
    ["Protocol 'http' not on whitelist 'file'!", 'media.invalid_path'],
    ["Stream map '0:v:0' matches no streams.", 'media.no_video_stream'],
    ['Decoder (codec av1) not found for input stream #0:0', 'media.unsupported_codec'],
  ])('%s -> %s', (line, code) => {
    const error = classifyFfmpegStderr([line]);
    expect(error).toBeInstanceOf(MediaError);
    expect(error?.code).toBe(code);
    // The client-facing detail drops the demuxer address and the path.
    expect(String(error?.details?.ffmpeg)).not.toMatch(/@ 0x|file:/);
  });

  it('prefers the specific cause when ffmpeg prints several lines', () => {
    const lines = ['[mov,mp4,m4a,3gp,3g2,mj2 @ 0x1] moov atom not found', 'file:/a.mp4: Invalid data found when processing input'];
    expect(classifyFfmpegStderr(lines)?.code).toBe('media.truncated');
  });

  it('returns null for lines that say nothing about the media', () => {
    expect(classifyFfmpegStderr(['Killed', 'Cannot allocate memory'])).toBeNull();
  });
});

describe('ffmpegFailure', () => {
  it('is a plain Error with ffmpeg’s last words when the media is not at fault', () => {
    const error = ffmpegFailure('ffmpeg', 'exit code 1', ['[x @ 0x1] Cannot allocate memory']);
    expect(error).not.toBeInstanceOf(MediaError);
    expect(error.message).toBe('ffmpeg failed (exit code 1): Cannot allocate memory');
  });
});

describe('FfmpegStderr', () => {
  it('joins lines split across chunks and caps what it keeps', () => {
    const stderr = new FfmpegStderr(2);
    stderr.write('first li');
    stderr.write('ne\r\nsecond\nthird\nfour');
    expect(stderr.lines()).toEqual(['first line', 'second', 'four']);
    expect(stderr.droppedLines).toBe(1);
  });

  it('drops ffmpeg’s boilerplate', () => {
    const stderr = new FfmpegStderr();
    stderr.write("To ignore this, add a trailing '?' to the map.\n\nConversion failed!\n");
    expect(stderr.lines()).toEqual([]);
  });
});
