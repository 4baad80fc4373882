export type PreviewFormat = 'jpeg' | 'webp';

export interface PreviewOptions {
  /** 0..100: 0 leaves the picture sharp, 100 leaves only colour blobs (see preview-blur.ts). */
  blur: number;
  greyscale: boolean;
  /** Longest side of the output in pixels; smaller inputs are never enlarged. Default 720. */
  maxSide?: number;
  /** Default jpeg. */
  format?: PreviewFormat;
  /** Refuse inputs with more pixels than this before decoding them (decompression bombs). */
  maxPixels?: number;
}

export interface ContactSheetOptions extends PreviewOptions {
  /** Tiles per row. Default 3. */
  columns?: number;
  /** Frames to show, spread evenly over the duration. Default 9; short videos may give fewer. */
  frames?: number;
  /** Wall-clock limit for probing plus decoding, in milliseconds (VideoCodec's defaults otherwise). */
  timeoutMs?: number;
}

export interface RenderedPreview {
  data: Buffer;
  /** `image/jpeg` or `image/webp`. */
  contentType: string;
  width: number;
  height: number;
}

export interface RenderedContactSheet extends RenderedPreview {
  /** Seconds into the video of each tile, in reading order (left to right, then top to bottom). */
  timestamps: number[];
}
