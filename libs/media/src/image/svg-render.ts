import sharp, { type Sharp } from 'sharp';

export type RenderFormat = 'png' | 'jpeg' | 'webp';

/** How a re-upload changes a picture: as people do when they post it again. */
export interface ImageTransform {
  /** Scale factor applied to both sides (0.5 halves them). */
  scale?: number;
  /** Share of each side cut away, split between the two edges (0.1 keeps the middle 90%). */
  crop?: number;
  /** Mirror left to right. */
  flop?: boolean;
  format?: RenderFormat;
  /** JPEG or WebP quality, 1–100. */
  quality?: number;
}

function encode(pipeline: Sharp, format: RenderFormat, quality: number): Promise<Buffer> {
  switch (format) {
    case 'png':
      return pipeline.png().toBuffer();
    case 'jpeg':
      return pipeline.jpeg({ quality }).toBuffer();
    case 'webp':
      return pipeline.webp({ quality }).toBuffer();
  }
}

/**
 * Renders an SVG document (librsvg, through sharp) to an encoded image
 * without transparency. For synthetic content: the simulator's scenes and
 * test pictures; the platform never renders SVG from users.
 */
export async function renderSvg(svg: string, options: { format?: RenderFormat; quality?: number } = {}): Promise<Buffer> {
  return encode(sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).removeAlpha(), options.format ?? 'png', options.quality ?? 90);
}

/** Applies a re-upload's changes (crop, scale, mirror, re-encoding) to an encoded image. */
export async function transformImage(input: Buffer, transform: ImageTransform): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(input).metadata();
  let pipeline = sharp(input).removeAlpha();
  if (transform.crop && transform.crop > 0) {
    const left = Math.floor((width * transform.crop) / 2);
    const top = Math.floor((height * transform.crop) / 2);
    pipeline = pipeline.extract({ left, top, width: Math.max(1, width - 2 * left), height: Math.max(1, height - 2 * top) });
  }
  if (transform.scale && transform.scale !== 1) {
    const cropped = transform.crop ? 1 - transform.crop : 1;
    pipeline = pipeline.resize(Math.max(8, Math.round(width * cropped * transform.scale)), Math.max(8, Math.round(height * cropped * transform.scale)));
  }
  if (transform.flop) pipeline = pipeline.flop();
  return encode(pipeline, transform.format ?? 'png', transform.quality ?? 85);
}
