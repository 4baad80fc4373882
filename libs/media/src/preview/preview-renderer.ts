import { Injectable } from '@nestjs/common';
import { AnimationProbe, decodeAnimationPage, probeAnimation } from '../image/animation';
import { ImageCodec } from '../image/image-codec';
import { MediaError } from '../media.error';
import { VideoCodec } from '../video/video-codec';
import type { VideoFrame } from '../video/video.types';
import { contactSheetLayout, type ContactSheetLayout } from './contact-sheet.layout';
import { collectContactSheetFrames, displayClockwiseDegrees, planContactSheetSampling } from './contact-sheet.sampler';
import { DEFAULT_CONTACT_SHEET_COLUMNS, DEFAULT_CONTACT_SHEET_FRAMES, ResolvedPreviewOptions, resolveContactSheetOptions, resolvePreviewOptions } from './preview-options';
import { blurTile, composeSheet, decodeReduced, encodePreview } from './preview-pipeline';
import type { ContactSheetOptions, PreviewOptions, RenderedContactSheet, RenderedPreview } from './preview.types';

// Dark and neutral: it frames the tiles without competing with them, and greyscale leaves it unchanged.
const SHEET_BACKGROUND = { r: 24, g: 24, b: 24 };
// About 4 px on a 720 px sheet: enough to tell tiles apart, thin enough not to waste room.
const GAP_PER_SIDE = 1 / 180;
const MIN_GAP = 2;
// sharp puts no limit on a side, only on pixels; ImageCodec.probe wants one.
const NO_DIMENSION_LIMIT = Number.MAX_SAFE_INTEGER;

/**
 * The softened versions of violating content that moderators see by default:
 * small, blurred, optionally greyscale, stripped of all metadata. Never the
 * original, which is served only after an explicit reveal elsewhere.
 */
@Injectable()
export class PreviewRenderer {
  constructor(
    private readonly images: ImageCodec,
    private readonly videos: VideoCodec,
  ) {}

  /**
   * A preview of a still image: EXIF orientation applied, alpha flattened on
   * white, shrunk to `maxSide`, then greyscale and blur. An animated GIF or
   * WebP gets a contact sheet of its frames instead, as a video does: it may
   * be in review for a frame other than its first. Throws MediaError `media.too_many_pixels`
   * (before decoding), `media.truncated`, `media.corrupt`,
   * `media.unsupported_type`; RangeError for invalid options.
   */
  async imagePreview(input: string | Buffer, options: PreviewOptions): Promise<RenderedPreview> {
    const settings = resolvePreviewOptions(options);
    // Refuses a bomb from its header with the same code and details as ingestion does.
    await this.images.probe(input, { maxPixels: settings.maxPixels, maxDimension: NO_DIMENSION_LIMIT });
    const animation = await probeAnimation(input);
    if (animation) return this.animationContactSheet(input, animation, settings);
    const reduced = await decodeReduced(input, settings);
    return encodePreview(reduced, settings);
  }

  /** Frames spread evenly over the animation, tiled and blurred as a video's contact sheet is. */
  private async animationContactSheet(input: string | Buffer, animation: AnimationProbe, settings: ResolvedPreviewOptions): Promise<RenderedPreview> {
    const count = Math.min(DEFAULT_CONTACT_SHEET_FRAMES, animation.frames);
    const pages = Array.from({ length: count }, (_, i) => Math.floor(((i + 0.5) * animation.frames) / count));
    const layout = contactSheetLayout({
      count,
      columns: DEFAULT_CONTACT_SHEET_COLUMNS,
      tileAspect: animation.width / animation.height,
      maxSide: settings.maxSide,
      gap: Math.max(MIN_GAP, Math.round(settings.maxSide * GAP_PER_SIDE)),
      maxTileWidth: animation.width,
      maxTileHeight: animation.height,
    });
    const size = { width: layout.tileWidth, height: layout.tileHeight };
    const tiles = await Promise.all(
      pages.map(async (page, i) => ({ image: await blurTile(await decodeAnimationPage(input, page, size), { clockwiseDegrees: 0, blur: settings.blur }), ...layout.tiles[i] })),
    );
    const sheet = await composeSheet(layout, SHEET_BACKGROUND, tiles);
    return encodePreview(sheet, { ...settings, blur: 0 });
  }

  /**
   * A muted still of a video: `frames` frames spread evenly over its length
   * (not the very first or last instant), laid out `columns` per row on a dark
   * background, each turned as a player shows it and blurred like an image
   * preview of its own at the same level. There is no audio in the output: it
   * is a single still image. Short videos give fewer tiles; long ones are
   * sampled, never converted frame by frame.
   *
   * Throws MediaError from VideoCodec (`media.not_found`, `media.corrupt`,
   * `media.truncated`, `media.unsupported_type`, `media.timeout`...) and
   * `media.too_many_pixels` when a frame exceeds `maxPixels`.
   */
  async videoContactSheet(path: string, options: ContactSheetOptions): Promise<RenderedContactSheet> {
    const settings = resolveContactSheetOptions(options);
    const deadline = settings.timeoutMs === undefined ? undefined : Date.now() + settings.timeoutMs;
    const probe = await this.videos.probe(path, { timeoutMs: settings.timeoutMs });
    // ffmpeg decodes every frame at full size before scaling it down, so the source size is what costs memory.
    if (probe.codedWidth * probe.codedHeight > settings.maxPixels) {
      throw new MediaError('media.too_many_pixels', `Video frames of ${probe.codedWidth}x${probe.codedHeight} exceed the limit of ${settings.maxPixels} pixels`, {
        width: probe.codedWidth,
        height: probe.codedHeight,
        maxPixels: settings.maxPixels,
      });
    }

    const clockwiseDegrees = displayClockwiseDegrees(probe.rotation);
    const sampling = planContactSheetSampling(probe, settings.frames);
    const layoutFor = (count: number): ContactSheetLayout =>
      contactSheetLayout({
        count,
        columns: settings.columns,
        tileAspect: probe.width / probe.height,
        maxSide: settings.maxSide,
        gap: Math.max(MIN_GAP, Math.round(settings.maxSide * GAP_PER_SIDE)),
        maxTileWidth: probe.width,
        maxTileHeight: probe.height,
      });
    const planned = layoutFor(sampling.expected);
    // ffmpeg scales before any rotation, so a turned video is decoded with the tile's sides swapped.
    const decodeSize = codedSize(planned.tileWidth, planned.tileHeight, clockwiseDegrees);
    const remainingMs = deadline === undefined ? undefined : Math.max(1, deadline - Date.now());
    const frames = await collectContactSheetFrames(this.videos, path, sampling, { scale: decodeSize, timeoutMs: remainingMs, probe });

    // A damaged or oddly declared video can yield fewer frames than planned; the grid then shrinks to them.
    const layout = frames.length === sampling.expected ? planned : layoutFor(frames.length);
    const tiles = await Promise.all(
      frames.map(async (frame, i) => ({ image: await this.tileImage(frame, layout, clockwiseDegrees, settings.blur), ...layout.tiles[i] })),
    );
    const sheet = await composeSheet(layout, SHEET_BACKGROUND, tiles);
    // The tiles carry the blur; greyscale is applied to the whole sheet (the background is neutral).
    const encoded = await encodePreview(sheet, { greyscale: settings.greyscale, blur: 0, format: settings.format });
    return { ...encoded, timestamps: frames.map((frame) => frame.timestamp) };
  }

  private async tileImage(frame: VideoFrame, layout: ContactSheetLayout, clockwiseDegrees: number, blur: number) {
    const size = codedSize(layout.tileWidth, layout.tileHeight, clockwiseDegrees);
    let image = { data: frame.rgb, width: frame.width, height: frame.height };
    if (image.width !== size.width || image.height !== size.height) image = await this.images.resize(image, size);
    return blurTile(image, { clockwiseDegrees, blur });
  }
}

function codedSize(displayWidth: number, displayHeight: number, clockwiseDegrees: number): { width: number; height: number } {
  return clockwiseDegrees % 180 === 0 ? { width: displayWidth, height: displayHeight } : { width: displayHeight, height: displayWidth };
}
