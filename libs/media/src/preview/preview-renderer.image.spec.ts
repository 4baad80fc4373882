import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { ImageCodec } from '../image/image-codec';
import { MediaError } from '../media.error';
import { VideoCodec } from '../video/video-codec';
import { PreviewRenderer } from './preview-renderer';
import type { RenderedPreview } from './preview.types';

/*
 * Image previews, on pictures made here with sharp: colour gradients for the
 * greyscale checks, fine stripes and a checkerboard so blur is measurable.
 */

jest.setTimeout(60_000);

const renderer = new PreviewRenderer(new ImageCodec(), new VideoCodec());
let dir: string;

// Bound once: under Jest's vm sandbox each lookup of a global (Math) per pixel cost seconds.
const { abs, floor, max, round } = Math;

/**
 * Colourful background with fine detail in the upper half (stripes and a
 * checkerboard about 1/300 of the width) and coarse blocks (1/12 of the width)
 * in the lower part, so blur is measurable both where it hides detail and
 * where it turns shapes into blobs.
 */
function detailRaw(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      let r = round((255 * x) / width);
      let g = round((255 * y) / height);
      let b = 160;
      // Detail scales with the image, so a larger render of the same scene has the same content.
      const u = x / width;
      const v = y / height;
      const cell = max(1, round(width / 300));
      if (u > 0.1 && u < 0.45 && v > 0.1 && v < 0.55 && floor(x / cell) % 2 === 0) r = g = b = 0;
      if (u > 0.55 && u < 0.9 && v > 0.1 && v < 0.55 && (floor(x / (2 * cell)) + floor(y / (2 * cell))) % 2 === 0) r = g = b = 255;
      const block = width / 12;
      if (v > 0.65 && v < 0.95 && (floor(x / block) + floor(y / block)) % 2 === 0) r = g = b = 30;
      data[i] = r;
      data[i + 1] = g;
      data[i + 2] = b;
    }
  }
  return data;
}

function detailPng(width: number, height: number): Promise<Buffer> {
  return sharp(detailRaw(width, height), { raw: { width, height, channels: 3 } }).png().toBuffer();
}

async function decodeRgb(preview: RenderedPreview): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(preview.data).toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  return { data, width: info.width, height: info.height };
}

/**
 * Mean absolute 4-neighbour Laplacian of the luma: high for sharp edges, near
 * 0 for smooth blobs. At full size it measures fine detail (and bottoms out at
 * JPEG noise, about 1); measured on a copy `atWidth` wide it measures coarser
 * structure, which keeps falling as the blur grows past what hides the detail.
 */
async function laplacian(image: Buffer | RenderedPreview, atWidth?: number): Promise<number> {
  const input = Buffer.isBuffer(image) ? image : image.data;
  let pipeline = sharp(input);
  if (atWidth) pipeline = pipeline.resize({ width: atWidth });
  const { data, info } = await pipeline.greyscale().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  let sum = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      sum += abs(4 * data[i] - data[i - 1] - data[i + 1] - data[i - width] - data[i + width]);
    }
  }
  return sum / ((width - 2) * (height - 2));
}

function pixel(image: { data: Buffer; width: number }, x: number, y: number): number[] {
  const i = (y * image.width + x) * 3;
  return [image.data[i], image.data[i + 1], image.data[i + 2]];
}

/** A PNG whose header declares `width` x `height`, with a token IDAT behind it (a few dozen bytes). */
function pngHeaderOnly(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const chunk = (type: string, body: Buffer): Buffer => {
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
    let crc = 0xffffffff;
    for (const byte of typed) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
    const out = Buffer.alloc(12 + body.length);
    out.writeUInt32BE(body.length, 0);
    typed.copy(out, 4);
    out.writeUInt32BE((crc ^ 0xffffffff) >>> 0, 8 + body.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    // An empty zlib stream: enough for the header to parse, nothing to decode.
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'loupe-preview-image-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('PreviewRenderer.imagePreview: size and format', () => {
  it('shrinks the longer side to maxSide (720 by default), keeping the aspect ratio', async () => {
    const landscape = await renderer.imagePreview(await detailPng(1200, 800), { blur: 0, greyscale: false });
    expect([landscape.width, landscape.height]).toEqual([720, 480]);
    expect(landscape.contentType).toBe('image/jpeg');
    expect(landscape.data.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(await sharp(landscape.data).metadata()).toMatchObject({ format: 'jpeg', width: 720, height: 480 });

    const portrait = await renderer.imagePreview(await detailPng(600, 1000), { blur: 0, greyscale: false, maxSide: 250 });
    expect([portrait.width, portrait.height]).toEqual([150, 250]);
  });

  it('never enlarges a small image', async () => {
    const preview = await renderer.imagePreview(await detailPng(300, 200), { blur: 30, greyscale: true, maxSide: 720 });
    expect([preview.width, preview.height]).toEqual([300, 200]);
  });

  it('writes WebP when asked', async () => {
    const preview = await renderer.imagePreview(await detailPng(400, 300), { blur: 10, greyscale: false, format: 'webp' });
    expect(preview.contentType).toBe('image/webp');
    expect(preview.data.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(preview.data.subarray(8, 12).toString('latin1')).toBe('WEBP');
    expect(await sharp(preview.data).metadata()).toMatchObject({ format: 'webp', width: 400, height: 300 });
  });

  it('reads a file path as well as a buffer', async () => {
    const file = path.join(dir, 'detail.png');
    await writeFile(file, await detailPng(800, 600));
    const preview = await renderer.imagePreview(file, { blur: 50, greyscale: true, maxSide: 400 });
    expect([preview.width, preview.height]).toEqual([400, 300]);
  });

  it('rejects invalid options', async () => {
    const png = await detailPng(40, 40);
    await expect(renderer.imagePreview(png, { blur: 101, greyscale: false })).rejects.toThrow(RangeError);
    await expect(renderer.imagePreview(png, { blur: -1, greyscale: false })).rejects.toThrow(RangeError);
    await expect(renderer.imagePreview(png, { blur: 10, greyscale: false, maxSide: 0 })).rejects.toThrow(RangeError);
    await expect(renderer.imagePreview(png, { blur: 10, greyscale: false, format: 'png' as never })).rejects.toThrow(RangeError);
  });
});

describe('PreviewRenderer.imagePreview: softening', () => {
  it('greyscale gives R = G = B everywhere; without it the colours stay', async () => {
    const png = await detailPng(600, 400);
    const grey = await decodeRgb(await renderer.imagePreview(png, { blur: 20, greyscale: true }));
    let maxSpread = 0;
    for (let i = 0; i < grey.data.length; i += 3) {
      maxSpread = max(maxSpread, abs(grey.data[i] - grey.data[i + 1]), abs(grey.data[i] - grey.data[i + 2]));
    }
    expect(maxSpread).toBe(0);

    const colour = await decodeRgb(await renderer.imagePreview(png, { blur: 20, greyscale: false }));
    let coloured = 0;
    for (let i = 0; i < colour.data.length; i += 3) if (abs(colour.data[i] - colour.data[i + 1]) > 20) coloured++;
    expect(coloured / (colour.data.length / 3)).toBeGreaterThan(0.3);
  });

  it('greyscale WebP is neutral to within the one level its YUV round trip allows', async () => {
    const grey = await decodeRgb(await renderer.imagePreview(await detailPng(600, 400), { blur: 20, greyscale: true, format: 'webp' }));
    let maxSpread = 0;
    for (let i = 0; i < grey.data.length; i += 3) {
      maxSpread = max(maxSpread, abs(grey.data[i] - grey.data[i + 1]), abs(grey.data[i] - grey.data[i + 2]));
    }
    expect(maxSpread).toBeLessThanOrEqual(1);
  });

  it('removes more detail the higher the level', async () => {
    const png = await detailPng(1200, 800);
    const levels = [0, 10, 25, 50, 75, 100];
    const previews = [];
    for (const blur of levels) previews.push(await renderer.imagePreview(png, { blur, greyscale: false }));
    const fine = await Promise.all(previews.map((preview) => laplacian(preview)));
    const coarse = await Promise.all(previews.map((preview) => laplacian(preview, 90)));
    // Any blur wipes the stripes and checkerboard out almost entirely...
    for (let i = 1; i < levels.length; i++) expect(fine[i]).toBeLessThan(fine[0] * 0.1);
    // ...and each level blurs the coarse blocks more than the one below it.
    for (let i = 1; i < levels.length; i++) expect(coarse[i]).toBeLessThan(coarse[i - 1] * 0.9);
    expect(coarse[levels.indexOf(100)]).toBeLessThan(coarse[levels.indexOf(50)] * 0.6);
  });

  it('looks equally blurred at any output size', async () => {
    const scene = await detailPng(2880, 1920);
    const small = await renderer.imagePreview(scene, { blur: 50, greyscale: true, maxSide: 360 });
    const large = await renderer.imagePreview(scene, { blur: 50, greyscale: true, maxSide: 1440 });
    expect([small.width, large.width]).toEqual([360, 1440]);
    const ratio = (await laplacian(large.data, 90)) / (await laplacian(small.data, 90));
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.25);
    // What a sigma fixed in pixels would give the large preview: a quarter of the relative blur.
    const quarter = await renderer.imagePreview(scene, { blur: 12.5, greyscale: true, maxSide: 360 });
    expect((await laplacian(quarter.data, 90)) / (await laplacian(small.data, 90))).toBeGreaterThan(2);
  });

  it('blur 0 keeps the detail', async () => {
    const png = await detailPng(700, 500);
    const preview = await renderer.imagePreview(png, { blur: 0, greyscale: false });
    expect([preview.width, preview.height]).toEqual([700, 500]);
    const source = await laplacian(png);
    expect(await laplacian(preview)).toBeGreaterThan(source * 0.7);
  });
});

describe('PreviewRenderer.imagePreview: what the input carries', () => {
  it('strips EXIF, GPS, XMP and ICC', async () => {
    const input = await sharp(detailRaw(400, 300), { raw: { width: 400, height: 300, channels: 3 } })
      .withExif({
        IFD0: { Make: 'LoupeCam', Model: 'Secret Model 9', Copyright: 'Uploader Name' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2400/100', GPSLongitudeRef: 'E', GPSLongitude: '2/1 21/1 300/100' },
      })
      .withIccProfile('p3')
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>')
      .jpeg()
      .toBuffer();
    const before = await sharp(input).metadata();
    expect(before.exif?.includes('LoupeCam')).toBe(true);
    expect(before.icc).toBeDefined();
    expect(before.xmp).toBeDefined();

    for (const format of ['jpeg', 'webp'] as const) {
      const preview = await renderer.imagePreview(input, { blur: 0, greyscale: false, format });
      const after = await sharp(preview.data).metadata();
      expect(after.exif).toBeUndefined();
      expect(after.icc).toBeUndefined();
      expect(after.xmp).toBeUndefined();
      expect(after.iptc).toBeUndefined();
      expect(after.orientation).toBeUndefined();
      expect(preview.data.includes('LoupeCam')).toBe(false);
      expect(preview.data.includes('Exif')).toBe(false);
    }
  });

  it('applies the EXIF orientation before sizing', async () => {
    // Stored 300x200, left half red, right half blue; orientation 6 shows it turned 90 degrees clockwise.
    const raw = Buffer.alloc(300 * 200 * 3);
    for (let i = 0; i < 300 * 200; i++) raw.set((i % 300) < 150 ? [255, 0, 0] : [0, 0, 255], i * 3);
    const input = await sharp(raw, { raw: { width: 300, height: 200, channels: 3 } }).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    expect((await sharp(input).metadata()).orientation).toBe(6);

    const preview = await renderer.imagePreview(input, { blur: 0, greyscale: false, maxSide: 150 });
    expect([preview.width, preview.height]).toEqual([100, 150]);
    const image = await decodeRgb(preview);
    const [topR, , topB] = pixel(image, 50, 20);
    const [bottomR, , bottomB] = pixel(image, 50, 130);
    expect(topR).toBeGreaterThan(200);
    expect(topB).toBeLessThan(60);
    expect(bottomB).toBeGreaterThan(200);
    expect(bottomR).toBeLessThan(60);
  });

  it('flattens transparency on white', async () => {
    const input = await sharp({ create: { width: 100, height: 100, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .composite([{ input: { create: { width: 40, height: 40, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 1 } } }, left: 30, top: 30 }])
      .png()
      .toBuffer();
    const image = await decodeRgb(await renderer.imagePreview(input, { blur: 0, greyscale: false }));
    expect(Math.min(...pixel(image, 5, 5))).toBeGreaterThan(245);
    expect(max(...pixel(image, 50, 50))).toBeLessThan(10);
  });

  it.each(['gif', 'webp'] as const)('shows every frame of an animated %s, in order, on a contact sheet', async (format) => {
    const pages = [
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
    ];
    const raw = Buffer.alloc(64 * 64 * 3 * 3);
    pages.forEach((colour, page) => {
      for (let i = 0; i < 64 * 64; i++) raw.set(colour, (page * 64 * 64 + i) * 3);
    });
    const animated = await sharp(raw, { raw: { width: 64, height: 64 * 3, channels: 3, pageHeight: 64 } })
      .toFormat(format, { loop: 0, delay: [100, 100, 100] })
      .toBuffer();
    expect((await sharp(animated).metadata()).pages).toBe(3);

    const preview = await renderer.imagePreview(animated, { blur: 0, greyscale: false });
    // Three tiles in a row: red, green, blue (a later frame may be why the item is in review).
    expect(preview.width).toBeGreaterThan(2.5 * preview.height);
    const image = await decodeRgb(preview);
    const y = floor(preview.height / 2);
    const tile = (i: number) => pixel(image, floor(((i + 0.5) * preview.width) / 3), y);
    expect(tile(0)[0]).toBeGreaterThan(200);
    expect(tile(1)[1]).toBeGreaterThan(200);
    expect(tile(2)[2]).toBeGreaterThan(200);
    expect(max(tile(0)[1], tile(0)[2], tile(1)[0], tile(1)[2], tile(2)[0], tile(2)[1])).toBeLessThan(60);
  });
});

describe('PreviewRenderer.imagePreview: hostile and broken input', () => {
  it('refuses more pixels than maxPixels', async () => {
    const large = await sharp({ create: { width: 3000, height: 3000, channels: 3, background: '#335' } }).png().toBuffer();
    await expect(renderer.imagePreview(large, { blur: 50, greyscale: true, maxPixels: 1_000_000 })).rejects.toMatchObject({
      name: 'MediaError',
      code: 'media.too_many_pixels',
    });
    await expect(renderer.imagePreview(large, { blur: 50, greyscale: true, maxPixels: 10_000_000, maxSide: 64 })).resolves.toMatchObject({
      width: 64,
      height: 64,
    });
  });

  it('refuses a decompression bomb from its header alone', async () => {
    // 100 000 x 100 000 (30 GB of RGB) declared in a 77-byte file.
    await expect(renderer.imagePreview(pngHeaderOnly(100_000, 100_000), { blur: 50, greyscale: true })).rejects.toMatchObject({
      code: 'media.too_many_pixels',
    });
  });

  it('reports a truncated image as media.truncated', async () => {
    const jpeg = await sharp(detailRaw(400, 300), { raw: { width: 400, height: 300, channels: 3 } }).jpeg().toBuffer();
    const error = await renderer.imagePreview(jpeg.subarray(0, floor(jpeg.length / 2)), { blur: 50, greyscale: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaError);
    expect(error).toMatchObject({ code: 'media.truncated' });
  });

  it('reports a damaged file as media.corrupt and a non-image as media.unsupported_type', async () => {
    const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const damaged = renderer.imagePreview(Buffer.concat([pngSignature, Buffer.alloc(200, 7)]), { blur: 50, greyscale: true });
    await expect(damaged).rejects.toBeInstanceOf(MediaError);
    await expect(damaged).rejects.toMatchObject({ code: 'media.corrupt' });
    await expect(renderer.imagePreview(Buffer.from('not an image at all'), { blur: 50, greyscale: true })).rejects.toMatchObject({
      code: 'media.unsupported_type',
    });
  });
});

describe('the preview of an animated image', () => {
  /** A two-frame GIF: a white frame, then a black one. */
  async function whiteThenBlack(): Promise<Buffer> {
    const frame = (level: number) => sharp({ create: { width: 120, height: 80, channels: 3, background: { r: level, g: level, b: level } } }).png().toBuffer();
    return sharp([await frame(255), await frame(0)], { join: { animated: true } }).gif({ delay: [100, 100] }).toBuffer();
  }

  it('shows every frame in a contact sheet, not the cover alone: a later frame may be why it is in review', async () => {
    const gif = await whiteThenBlack();
    const preview = await renderer.imagePreview(gif, { blur: 0, greyscale: true });
    const { data, info } = await sharp(preview.data).greyscale().raw().toBuffer({ resolveWithObject: true });
    // Two tiles side by side: the white frame on the left, the black one on the right.
    expect(info.width).toBeGreaterThan(info.height);
    const at = (fx: number) => data[floor(info.height / 2) * info.width * info.channels + floor(info.width * fx) * info.channels];
    expect(at(0.25)).toBeGreaterThan(200);
    expect(at(0.75)).toBeLessThan(50);
  });

  it('renders a still GIF as an image, as before', async () => {
    const still = await sharp({ create: { width: 120, height: 80, channels: 3, background: { r: 0, g: 0, b: 0 } } }).gif().toBuffer();
    const preview = await renderer.imagePreview(still, { blur: 0, greyscale: true });
    const meta = await sharp(preview.data).metadata();
    expect(meta.width! / meta.height!).toBeCloseTo(1.5, 1);
  });
});
