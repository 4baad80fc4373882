import { ffprobeArgs } from './ffprobe-runner';
import { buildRawDecodeCommand } from './raw-video-process';
import { FFMPEG_FORMAT_WHITELIST } from './video-input';

/** The value following `flag` in an argument list. */
const valueOf = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('ffmpeg argument lists', () => {
  const decode = buildRawDecodeCommand({ absolutePath: '/data/in.mp4', width: 320, height: 240, sampleInterval: 25, maxFrames: 7 })._getArguments();

  it('restrict the input to local files and the whitelisted demuxers, before the input is named', () => {
    const input = decode.indexOf('-i');
    expect(decode[input + 1]).toBe('file:/data/in.mp4');
    for (const args of [decode.slice(0, input), ffprobeArgs('/data/in.mp4')]) {
      expect(valueOf(args, '-protocol_whitelist')).toBe('file');
      expect(valueOf(args, '-format_whitelist')).toBe(FFMPEG_FORMAT_WHITELIST);
    }
    expect(ffprobeArgs('/data/in.mp4').at(-1)).toBe('file:/data/in.mp4');
    expect(decode.slice(0, input)).toEqual(expect.arrayContaining(['-noautorotate', '-nostdin']));
  });

  it('decode the first video stream as rgb24 with passthrough timing, as the vPDQ vectors were made', () => {
    expect(valueOf(decode, '-map')).toBe('0:v:0');
    expect(valueOf(decode, '-fps_mode')).toBe('passthrough');
    expect(valueOf(decode, '-f')).toBe('rawvideo');
    expect(valueOf(decode, '-pix_fmt')).toBe('rgb24');
    expect(valueOf(decode, '-frames:v')).toBe('7');
    expect(valueOf(decode, '-vf')).toBe('select=not(mod(n\\,25)),scale=320:240:flags=area');
  });

  it('skip the select filter when every frame is kept', () => {
    const args = buildRawDecodeCommand({ absolutePath: '/x.webm', width: 64, height: 64, sampleInterval: 1 })._getArguments();
    expect(valueOf(args, '-vf')).toBe('scale=64:64:flags=area');
    expect(args).not.toContain('-frames:v');
  });
});
