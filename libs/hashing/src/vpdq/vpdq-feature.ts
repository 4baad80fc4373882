/** One hashed video frame, as the reference's vpdqFeature. */
export interface VpdqFeature {
  /** 0-based index among all decoded frames of the video. */
  frameNumber: number;
  /** Seconds: frameNumber / frame rate. */
  timestamp: number;
  /** PDQ quality, 0..100. */
  quality: number;
  /** PDQ hash, 64 lowercase hex characters. */
  pdq: string;
}

/** What matching needs of a feature. */
export type VpdqHashLike = Pick<VpdqFeature, 'pdq' | 'quality'>;

/**
 * A decoded frame to hash: packed 8-bit RGB, row-major. Structurally the
 * media library's VideoFrame, without depending on it. `frameNumber` wins over
 * `index` when both are given.
 */
export interface VpdqFrameInput {
  frameNumber?: number;
  index?: number;
  timestamp: number;
  width: number;
  height: number;
  rgb: Uint8Array;
}
