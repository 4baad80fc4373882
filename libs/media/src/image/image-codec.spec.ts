import sharp from 'sharp';
import { checkContainer } from '../format/container-check';
import { MediaError } from '../media.error';
import { ImageCodec } from './image-codec';

const codec = new ImageCodec();

/** A noisy picture, so the entropy-coded data is long enough to cut in the middle. */
async function noisyImage(format: 'jpeg' | 'gif'): Promise<Buffer> {
  const width = 160;
  const height = 120;
  const rgb = Buffer.alloc(width * height * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = (i * 2654435761) >>> 24;
  return sharp(rgb, { raw: { width, height, channels: 3 } }).toFormat(format).toBuffer();
}

async function decodeError(input: Buffer): Promise<MediaError> {
  try {
    await codec.decodeRgb(input);
  } catch (error) {
    if (error instanceof MediaError) return error;
    throw error;
  }
  throw new Error('the image decoded');
}

describe('ImageCodec.decodeRgb', () => {
  it('decodes a whole JPEG and GIF', async () => {
    for (const format of ['jpeg', 'gif'] as const) {
      expect(await codec.decodeRgb(await noisyImage(format))).toMatchObject({ width: 160, height: 120 });
    }
  });

  it.each([0.3, 0.6, 0.9])('refuses a JPEG cut at %p with an end-of-image marker appended', async (fraction) => {
    const whole = await noisyImage('jpeg');
    const forged = Buffer.concat([whole.subarray(0, Math.floor(whole.length * fraction)), Buffer.from([0xff, 0xd9])]);
    // The structural check is fooled by the forged trailer: only a full decode can tell.
    expect(checkContainer('jpeg', forged)).toBeNull();
    expect((await decodeError(forged)).code).toBe('media.truncated');
  });

  it('refuses a GIF cut short with a trailer byte appended', async () => {
    const whole = await noisyImage('gif');
    const forged = Buffer.concat([whole.subarray(0, Math.floor(whole.length * 0.6)), Buffer.from([0x3b])]);
    expect(checkContainer('gif', forged)).toBeNull();
    expect((await decodeError(forged)).code).toMatch(/^media\.(truncated|corrupt)$/);
  });
});
