import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { checkContainer } from './container-check';
import { sniffFormat } from './media-format';

const encode = (format: 'jpeg' | 'png' | 'gif' | 'webp') =>
  sharp({ create: { width: 48, height: 32, channels: 3, background: { r: 10, g: 200, b: 90 } } })
    .toFormat(format)
    .toBuffer();

describe('sniffFormat', () => {
  it.each(['jpeg', 'png', 'gif', 'webp'] as const)('recognises %s by its magic bytes', async (format) => {
    expect(sniffFormat(await encode(format))?.format).toBe(format);
  });

  it('refuses anything else, whatever it claims to be', () => {
    expect(sniffFormat(Buffer.from('%PDF-1.7\n'))).toBeNull();
    expect(sniffFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffFormat(Buffer.alloc(0))).toBeNull();
  });
});

describe('checkContainer', () => {
  it.each(['jpeg', 'png', 'gif', 'webp'] as const)('accepts a whole %s', async (format) => {
    expect(checkContainer(format, await encode(format))).toBeNull();
  });

  it.each(['jpeg', 'png', 'gif', 'webp'] as const)('finds a %s cut short', async (format) => {
    const whole = await encode(format);
    for (const fraction of [0.3, 0.6, 0.9]) {
      const cut = whole.subarray(0, Math.floor(whole.length * fraction));
      expect(checkContainer(format, cut)?.code).toBe('media.truncated');
    }
  });

  it('finds a PNG chunk whose checksum does not match', async () => {
    const damaged = Buffer.from(await encode('png'));
    damaged[40] ^= 0xff;
    expect(checkContainer('png', damaged)).toEqual({ code: 'media.corrupt', message: expect.stringContaining('checksum') });
  });

  it('accepts a JPEG whose EXIF thumbnail ends before the main image', async () => {
    const jpeg = await encode('jpeg');
    // An APP1 segment holding an end-of-image marker, as an embedded thumbnail does.
    const app1 = Buffer.from([0xff, 0xe1, 0x00, 0x06, 0xff, 0xd9, 0x00, 0x00]);
    const withThumb = Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
    expect(checkContainer('jpeg', withThumb)).toBeNull();
    expect(checkContainer('jpeg', withThumb.subarray(0, withThumb.length - 2))?.code).toBe('media.truncated');
  });

  it('does not mind a PNG IDAT that is not valid zlib (left to the decoder)', () => {
    const header = Buffer.alloc(13);
    header.writeUInt32BE(4, 0);
    header.writeUInt32BE(4, 4);
    header.set([8, 2, 0, 0, 0], 8);
    const chunk = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type), data]);
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(body));
      const length = Buffer.alloc(4);
      length.writeUInt32BE(data.length);
      return Buffer.concat([length, body, crc]);
    };
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(Buffer.alloc(4 * 13))),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    expect(checkContainer('png', png)).toBeNull();
  });
});
