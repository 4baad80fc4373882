import { Injectable } from '@nestjs/common';
import { ContentEmbeddingRepository, ContentRepository } from '@loupe/database';
import { MediaStore } from '@loupe/media';
import { PIXEL_FRAME_BYTES } from '@loupe/ml';
import { MODEL_INPUT_FILE } from '../../content/model-input-file';

/** An item whose stored model input a graph that reads pixels can be run on. */
export interface PixelSource {
  contentId: string;
  mediaSha256: string;
}

/**
 * The pixels that models reading an image are evaluated and tried on: each
 * item's stored model input (MODEL_INPUT_FILE: 224 × 224 RGB frames, one for
 * an image, a few for a video), the frames serving scored. Read one item at
 * a time, so that a caller holds no more than it scores next.
 */
@Injectable()
export class ModelInputs {
  constructor(
    private readonly contents: ContentRepository,
    private readonly embeddings: ContentEmbeddingRepository,
    private readonly store: MediaStore,
  ) {}

  /** The item's frames, each a view into one read of the file; null when its model input is gone. */
  async frames(mediaSha256: string): Promise<Uint8Array[] | null> {
    const inputPath = this.store.derivedPath(mediaSha256, MODEL_INPUT_FILE);
    if (!(await this.store.exists(inputPath))) return null;
    const input = await this.store.read(inputPath);
    const frames: Uint8Array[] = [];
    for (let offset = 0; offset + PIXEL_FRAME_BYTES <= input.length; offset += PIXEL_FRAME_BYTES) frames.push(input.subarray(offset, offset + PIXEL_FRAME_BYTES));
    return frames.length > 0 ? frames : null;
  }

  /** The most recently classified items (an uploaded model is tried on them); whether their input is still there is for frames() to say. */
  async recent(limit: number): Promise<PixelSource[]> {
    const out: PixelSource[] = [];
    for (const row of await this.embeddings.recentItemVectors(limit)) {
      const content = await this.contents.findById(row.contentId);
      if (content) out.push({ contentId: content.id, mediaSha256: content.mediaSha256 });
    }
    return out;
  }
}
