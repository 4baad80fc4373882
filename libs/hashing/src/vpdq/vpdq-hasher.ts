import { PdqHasher } from '../pdq/pdq-hasher';
import type { VpdqFeature, VpdqFrameInput } from './vpdq-feature';

/**
 * vPDQ hashing: PDQ of each frame, as the reference (vpdq/cpp hasher.h,
 * hashFrame) does it: the whole frame as decoded (or as the decoder was
 * asked to scale it), luma from RGB, no 512-px pre-shrink. Which frames
 * arrive is the frame source's business (VideoCodec.frames follows the
 * reference's selection).
 *
 * One difference: a frame under 5 px on a side makes the reference fail the
 * whole video; here it yields PDQ's zero hash with quality 0, which matching
 * then ignores like any low-quality frame.
 *
 * Synchronous per frame and not re-entrant (it owns a PdqHasher's buffers):
 * use one instance per worker thread.
 */
export class VpdqHasher {
  constructor(private readonly pdq: PdqHasher = new PdqHasher()) {}

  hashFrame(frame: VpdqFrameInput): VpdqFeature {
    const frameNumber = frame.frameNumber ?? frame.index;
    if (frameNumber === undefined || !Number.isSafeInteger(frameNumber) || frameNumber < 0) {
      throw new RangeError(`A frame needs a non-negative integer frameNumber or index, got ${String(frameNumber)}`);
    }
    const { hash, quality } = this.pdq.hash(frame.rgb, frame.width, frame.height);
    return { frameNumber, timestamp: frame.timestamp, quality, pdq: hash };
  }

  /** Hashes frames as they arrive (a decoder can run ahead while a frame is hashed). */
  async *features(frames: AsyncIterable<VpdqFrameInput> | Iterable<VpdqFrameInput>): AsyncGenerator<VpdqFeature, void, undefined> {
    for await (const frame of frames) yield this.hashFrame(frame);
  }

  /** All features of a video, ordered by frame number as the reference outputs them. */
  async hashFrames(frames: AsyncIterable<VpdqFrameInput> | Iterable<VpdqFrameInput>): Promise<VpdqFeature[]> {
    const features: VpdqFeature[] = [];
    for await (const feature of this.features(frames)) features.push(feature);
    return features.sort((a, b) => a.frameNumber - b.frameNumber);
  }
}
