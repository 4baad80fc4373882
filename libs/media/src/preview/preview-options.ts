import type { ContactSheetOptions, PreviewFormat, PreviewOptions } from './preview.types';

export const DEFAULT_PREVIEW_MAX_SIDE = 720;
export const DEFAULT_CONTACT_SHEET_COLUMNS = 3;
export const DEFAULT_CONTACT_SHEET_FRAMES = 9;
// sharp's own default for limitInputPixels (0x3FFF squared).
export const DEFAULT_PREVIEW_MAX_PIXELS = 268_402_689;
// WebP cannot encode a side longer than this, and no reviewer screen needs more.
const MAX_SIDE_LIMIT = 16_383;
// Beyond this a tile is a few pixels wide at any sensible sheet size.
const MAX_CONTACT_SHEET_FRAMES = 100;

export interface ResolvedPreviewOptions {
  blur: number;
  greyscale: boolean;
  maxSide: number;
  format: PreviewFormat;
  maxPixels: number;
}

export interface ResolvedContactSheetOptions extends ResolvedPreviewOptions {
  columns: number;
  frames: number;
  timeoutMs: number | undefined;
}

/** Defaults applied and ranges checked; a bad option is a programming error, hence RangeError. */
export function resolvePreviewOptions(options: PreviewOptions): ResolvedPreviewOptions {
  const { blur, greyscale } = options;
  if (!(Number.isFinite(blur) && blur >= 0 && blur <= 100)) throw new RangeError(`blur must be between 0 and 100, got ${blur}`);
  if (typeof greyscale !== 'boolean') throw new RangeError(`greyscale must be a boolean, got ${String(greyscale)}`);
  const maxSide = options.maxSide ?? DEFAULT_PREVIEW_MAX_SIDE;
  if (!(Number.isInteger(maxSide) && maxSide > 0 && maxSide <= MAX_SIDE_LIMIT)) {
    throw new RangeError(`maxSide must be an integer between 1 and ${MAX_SIDE_LIMIT}, got ${maxSide}`);
  }
  const format = options.format ?? 'jpeg';
  if (format !== 'jpeg' && format !== 'webp') throw new RangeError(`format must be jpeg or webp, got ${String(format)}`);
  const maxPixels = options.maxPixels ?? DEFAULT_PREVIEW_MAX_PIXELS;
  if (!(Number.isInteger(maxPixels) && maxPixels > 0)) throw new RangeError(`maxPixels must be a positive integer, got ${maxPixels}`);
  return { blur, greyscale, maxSide, format, maxPixels };
}

export function resolveContactSheetOptions(options: ContactSheetOptions): ResolvedContactSheetOptions {
  const base = resolvePreviewOptions(options);
  const columns = options.columns ?? DEFAULT_CONTACT_SHEET_COLUMNS;
  if (!(Number.isInteger(columns) && columns > 0)) throw new RangeError(`columns must be a positive integer, got ${columns}`);
  const frames = options.frames ?? DEFAULT_CONTACT_SHEET_FRAMES;
  if (!(Number.isInteger(frames) && frames > 0 && frames <= MAX_CONTACT_SHEET_FRAMES)) {
    throw new RangeError(`frames must be an integer between 1 and ${MAX_CONTACT_SHEET_FRAMES}, got ${frames}`);
  }
  const { timeoutMs } = options;
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${timeoutMs}`);
  return { ...base, columns, frames, timeoutMs };
}
