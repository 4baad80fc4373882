import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { ImageCodec } from '../image/image-codec';
import { MediaError } from '../media.error';
import { renderLavfiVideo } from '../testing/lavfi-fixture';
import { VideoCodec } from '../video/video-codec';
import { contactSheetLayout } from './contact-sheet.layout';
import { PreviewRenderer } from './preview-renderer';
import type { RenderedPreview } from './preview.types';

/*
 * Contact sheets of videos made here from ffmpeg's lavfi sources. The sheet
 * background is (24, 24, 24) and the gap 4 px at maxSide 720.
 */

jest.setTimeout(120_000);

const videos = new VideoCodec();
const renderer = new PreviewRenderer(new ImageCodec(), videos);
let dir: string;
const file = (name: string) => path.join(dir, name);

interface Rgb {
  data: Buffer;
  width: number;
  height: number;
}

async function decodeRgb(preview: RenderedPreview): Promise<Rgb> {
  const { data, info } = await sharp(preview.data).toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function pixel(image: Rgb, x: number, y: number): number[] {
  const i = (y * image.width + x) * 3;
  return [image.data[i], image.data[i + 1], image.data[i + 2]];
}

// Bound once: under Jest's vm sandbox a lookup of a global (Math) per pixel is slow.
const { abs } = Math;

/** Mean of |a - b| over one channel-interleaved region of two images of the same size. */
function regionDifference(image: Rgb, a: { left: number; top: number }, b: { left: number; top: number }, width: number, height: number): number {
  let sum = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const pa = pixel(image, a.left + x, a.top + y);
      const pb = pixel(image, b.left + x, b.top + y);
      sum += abs(pa[0] - pb[0]) + abs(pa[1] - pb[1]) + abs(pa[2] - pb[2]);
    }
  }
  return sum / (width * height * 3);
}

/** Mean absolute Laplacian of the luma inside one tile. */
function tileLaplacian(image: Rgb, tile: { left: number; top: number }, width: number, height: number): number {
  const luma = (x: number, y: number) => {
    const [r, g, b] = pixel(image, tile.left + x, tile.top + y);
    return 0.299 * r + 0.587 * g + 0.114 * b;
  };
  let sum = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) sum += abs(4 * luma(x, y) - luma(x - 1, y) - luma(x + 1, y) - luma(x, y - 1) - luma(x, y + 1));
  }
  return sum / ((width - 2) * (height - 2));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'loupe-preview-video-'));
  await Promise.all([
    // 4 s at 25 fps with a sound track: the sheet is a still, the sound simply does not exist in it.
    renderLavfiVideo(file('four-seconds.mp4'), { source: 'testsrc2=size=320x240:rate=25', duration: 4, codec: 'h264', audio: true }),
    renderLavfiVideo(file('one-second.mp4'), { source: 'testsrc2=size=160x120:rate=25', duration: 1, codec: 'h264' }),
    // 5 frames in all.
    renderLavfiVideo(file('five-frames.mp4'), { source: 'testsrc2=size=160x120:rate=25', duration: 0.2, codec: 'h264' }),
    renderLavfiVideo(file('two-minutes.mp4'), { source: 'testsrc2=size=96x72:rate=10', duration: 120, codec: 'h264' }),
    renderLavfiVideo(file('rotated.mov'), { source: 'testsrc2=size=320x240:rate=25', duration: 2, codec: 'h264', rotate: 90 }),
    // Left half red, right half blue, stored landscape and shown turned.
    renderLavfiVideo(file('red-blue-rotated.mov'), {
      source: 'color=c=red:size=32x32:rate=10[l];color=c=blue:size=32x32:rate=10[r];[l][r]hstack[out0]',
      duration: 1,
      codec: 'h264',
      rotate: 90,
    }),
    renderLavfiVideo(file('live.webm'), { source: 'testsrc2=size=160x120:rate=25', duration: 3, codec: 'vp8', live: true }),
  ]);
  await writeFile(file('garbage.mp4'), Buffer.alloc(4096, 0x5a));
  const whole = await readFile(file('four-seconds.mp4'));
  await writeFile(file('cut.mp4'), whole.subarray(0, Math.floor(whole.length / 2)));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('PreviewRenderer.videoContactSheet: layout and frames', () => {
  it('lays 9 frames of a 4 s video out 3x3 within maxSide, each a different moment', async () => {
    const sheet = await renderer.videoContactSheet(file('four-seconds.mp4'), { blur: 0, greyscale: false });
    const layout = contactSheetLayout({ count: 9, columns: 3, tileAspect: 320 / 240, maxSide: 720, gap: 4 });
    expect([sheet.width, sheet.height]).toEqual([718, 544]);
    expect([layout.width, layout.height]).toEqual([718, 544]);
    expect(sheet.contentType).toBe('image/jpeg');
    expect(await sharp(sheet.data).metadata()).toMatchObject({ format: 'jpeg', width: 718, height: 544 });

    expect(sheet.timestamps).toHaveLength(9);
    sheet.timestamps.forEach((t, i) => {
      // The middle of each ninth of the video, to the nearest sampled frame.
      expect(Math.abs(t - ((i + 0.5) * 4) / 9)).toBeLessThanOrEqual(4 / 9 / 4 + 1e-9);
      if (i > 0) expect(t).toBeGreaterThan(sheet.timestamps[i - 1]);
    });
    expect(sheet.timestamps[0]).toBeGreaterThan(0);
    expect(sheet.timestamps[8]).toBeLessThan(4);

    const image = await decodeRgb(sheet);
    // Gaps and borders are the dark background (give or take JPEG ringing next to saturated tiles).
    const [first, second] = layout.tiles;
    const gapPoints = [
      [1, 1],
      [first.left + layout.tileWidth + 2, 90],
      [second.left + layout.tileWidth + 2, 300],
      [300, first.top + layout.tileHeight + 2],
      [sheet.width - 2, sheet.height - 2],
    ];
    for (const [x, y] of gapPoints) {
      for (const channel of pixel(image, x, y)) expect(Math.abs(channel - 24)).toBeLessThanOrEqual(16);
    }
    // testsrc2 moves: every tile differs from the first.
    for (let i = 1; i < 9; i++) expect(regionDifference(image, layout.tiles[0], layout.tiles[i], layout.tileWidth, layout.tileHeight)).toBeGreaterThan(3);
  });

  it('uses the columns and frames asked for', async () => {
    const sheet = await renderer.videoContactSheet(file('four-seconds.mp4'), { blur: 20, greyscale: true, columns: 4, frames: 6, maxSide: 400, format: 'webp' });
    const layout = contactSheetLayout({ count: 6, columns: 4, tileAspect: 4 / 3, maxSide: 400, gap: 2 });
    expect(layout).toMatchObject({ columns: 4, rows: 2 });
    expect([sheet.width, sheet.height]).toEqual([layout.width, layout.height]);
    expect(sheet.contentType).toBe('image/webp');
    expect(sheet.timestamps).toHaveLength(6);
  });

  it('makes a full sheet from a 1 s video', async () => {
    const sheet = await renderer.videoContactSheet(file('one-second.mp4'), { blur: 50, greyscale: true, frames: 9 });
    expect(sheet.timestamps).toHaveLength(9);
    expect(new Set(sheet.timestamps).size).toBe(9);
    expect(sheet.timestamps.every((t) => t > 0 && t < 1)).toBe(true);
    // 160x120 frames are not enlarged: 3 tiles of 160 px and 4 gaps.
    expect([sheet.width, sheet.height]).toEqual([3 * 160 + 16, 3 * 120 + 16]);
  });

  it('shows what a video shorter than the sheet has', async () => {
    const sheet = await renderer.videoContactSheet(file('five-frames.mp4'), { blur: 50, greyscale: true, frames: 9 });
    expect(sheet.timestamps).toEqual([0, 0.04, 0.08, 0.12, 0.16]);
    expect([sheet.width, sheet.height]).toEqual([3 * 160 + 16, 2 * 120 + 12]);
  });

  it('samples a long video evenly', async () => {
    const sheet = await renderer.videoContactSheet(file('two-minutes.mp4'), { blur: 50, greyscale: true });
    expect(sheet.timestamps).toHaveLength(9);
    sheet.timestamps.forEach((t, i) => expect(Math.abs(t - ((i + 0.5) * 120) / 9)).toBeLessThanOrEqual(120 / 9 / 4 + 1e-9));
  });

  it('spreads the frames of a video that declares no duration', async () => {
    const probe = await videos.probe(file('live.webm'));
    expect(probe.duration).toBeNull();
    expect(probe.frameCount).toBeNull();
    const sheet = await renderer.videoContactSheet(file('live.webm'), { blur: 50, greyscale: false });
    expect(sheet.timestamps).toHaveLength(9);
    expect(sheet.timestamps[0]).toBeLessThan(0.5);
    expect(sheet.timestamps[8]).toBeGreaterThan(2.3);
    for (let i = 1; i < 9; i++) expect(sheet.timestamps[i]).toBeGreaterThan(sheet.timestamps[i - 1]);
  });
});

describe('PreviewRenderer.videoContactSheet: rotation', () => {
  it('shows the tiles of a rotated video upright, as a player does', async () => {
    const probe = await videos.probe(file('rotated.mov'));
    expect(probe.rotation).toBe(90);
    const sheet = await renderer.videoContactSheet(file('rotated.mov'), { blur: 0, greyscale: false });
    // Portrait tiles (176x234), not the stored landscape frames.
    const layout = contactSheetLayout({ count: 9, columns: 3, tileAspect: 240 / 320, maxSide: 720, gap: 4 });
    expect(layout.tileHeight).toBeGreaterThan(layout.tileWidth);
    expect([sheet.width, sheet.height]).toEqual([layout.width, layout.height]);
    const image = await decodeRgb(sheet);
    // Just past each tile's right edge is the gap, not more picture.
    for (const tile of layout.tiles) {
      const [r, g, b] = pixel(image, tile.left + layout.tileWidth + 2, tile.top + layout.tileHeight / 2);
      expect(Math.max(r, g, b)).toBeLessThan(40);
    }
  });

  it('turns the picture the way ffmpeg does for display', async () => {
    // ffmpeg (autorotate) shows this file with the stored left half at the bottom: blue on top, red below.
    const sheet = await renderer.videoContactSheet(file('red-blue-rotated.mov'), { blur: 0, greyscale: false, frames: 1 });
    expect([sheet.width, sheet.height]).toEqual([32 + 8, 64 + 8]);
    const image = await decodeRgb(sheet);
    const [topR, , topB] = pixel(image, 4 + 16, 4 + 12);
    const [bottomR, , bottomB] = pixel(image, 4 + 16, 4 + 52);
    expect(topB).toBeGreaterThan(180);
    expect(topR).toBeLessThan(80);
    expect(bottomR).toBeGreaterThan(180);
    expect(bottomB).toBeLessThan(80);
  });
});

describe('PreviewRenderer.videoContactSheet: softening', () => {
  it('greyscale sheets have R = G = B', async () => {
    const image = await decodeRgb(await renderer.videoContactSheet(file('four-seconds.mp4'), { blur: 30, greyscale: true }));
    for (let i = 0; i < image.data.length; i += 3) {
      if (image.data[i] !== image.data[i + 1] || image.data[i] !== image.data[i + 2]) throw new Error(`pixel ${i / 3} is not grey`);
    }
  });

  it('blurs each tile like an image preview at the same level, keeping the gaps', async () => {
    const layout = contactSheetLayout({ count: 9, columns: 3, tileAspect: 4 / 3, maxSide: 720, gap: 4 });
    const energies: number[] = [];
    for (const blur of [0, 50, 100]) {
      const image = await decodeRgb(await renderer.videoContactSheet(file('four-seconds.mp4'), { blur, greyscale: true }));
      energies.push(tileLaplacian(image, layout.tiles[4], layout.tileWidth, layout.tileHeight));
      if (blur === 100) {
        // Tile contents do not bleed into the gap between tiles.
        const [gap] = pixel(image, layout.tiles[4].left + layout.tileWidth + 2, layout.tiles[4].top + 80);
        expect(Math.abs(gap - 24)).toBeLessThanOrEqual(12);
      }
    }
    expect(energies[1]).toBeLessThan(energies[0] * 0.3);
    expect(energies[2]).toBeLessThan(energies[1]);

    // A tile at level 50 is as blurred as the image preview of the same frame at that size and level.
    const [frame] = await (async () => {
      const out = [];
      for await (const f of videos.frames(file('four-seconds.mp4'), { fps: 0, maxFrames: 1, scale: { width: layout.tileWidth, height: layout.tileHeight } })) out.push(f);
      return out;
    })();
    const still = await sharp(frame.rgb, { raw: { width: frame.width, height: frame.height, channels: 3 } }).png().toBuffer();
    const preview = await decodeRgb(await renderer.imagePreview(still, { blur: 50, greyscale: true }));
    const stillEnergy = tileLaplacian(preview, { left: 0, top: 0 }, preview.width, preview.height);
    expect(energies[1] / stillEnergy).toBeGreaterThan(0.5);
    expect(energies[1] / stillEnergy).toBeLessThan(2);
  });
});

describe('PreviewRenderer.videoContactSheet: broken and hostile input', () => {
  it('reports a file that is not a video as a MediaError', async () => {
    const error = await renderer.videoContactSheet(file('garbage.mp4'), { blur: 50, greyscale: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaError);
  });

  it('reports a cut file as a MediaError', async () => {
    const error = await renderer.videoContactSheet(file('cut.mp4'), { blur: 50, greyscale: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaError);
    expect((error as MediaError).code).toMatch(/^media\.(truncated|corrupt)$/);
  });

  it('reports a missing file', async () => {
    await expect(renderer.videoContactSheet(file('nowhere.mp4'), { blur: 50, greyscale: true })).rejects.toMatchObject({ code: 'media.not_found' });
  });

  it('refuses frames larger than maxPixels before decoding', async () => {
    await expect(renderer.videoContactSheet(file('four-seconds.mp4'), { blur: 50, greyscale: true, maxPixels: 320 * 240 - 1 })).rejects.toMatchObject({
      code: 'media.too_many_pixels',
    });
  });

  it('rejects invalid options', async () => {
    await expect(renderer.videoContactSheet(file('four-seconds.mp4'), { blur: 50, greyscale: true, frames: 0 })).rejects.toThrow(RangeError);
    await expect(renderer.videoContactSheet(file('four-seconds.mp4'), { blur: 50, greyscale: true, columns: 1.5 })).rejects.toThrow(RangeError);
  });
});
