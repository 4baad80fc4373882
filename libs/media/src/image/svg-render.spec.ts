import sharp from 'sharp';
import { renderSvg, transformImage } from './svg-render';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="48"><rect width="32" height="48" fill="#ff0000"/><rect x="32" width="32" height="48" fill="#0000ff"/></svg>';

describe('renderSvg and transformImage', () => {
  it('renders an SVG document to an opaque image, the same bytes every time', async () => {
    const png = await renderSvg(SVG);
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height, meta.hasAlpha]).toEqual(['png', 64, 48, false]);
    expect((await renderSvg(SVG)).equals(png)).toBe(true);
    expect((await sharp(await renderSvg(SVG, { format: 'jpeg' })).metadata()).format).toBe('jpeg');
  });

  it("applies a re-upload's crop, scale, mirror and re-encoding", async () => {
    const png = await renderSvg(SVG);
    const out = await transformImage(png, { crop: 0.25, scale: 2, flop: true, format: 'webp', quality: 80 });
    const meta = await sharp(out).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 2 * (64 - 2 * 8), 2 * (48 - 2 * 6)]);
    // Mirrored: the left edge is now blue.
    const { data } = await sharp(await transformImage(png, { flop: true })).raw().toBuffer({ resolveWithObject: true });
    expect(data[2]).toBeGreaterThan(200);
    expect(data[0]).toBeLessThan(50);
  });
});
