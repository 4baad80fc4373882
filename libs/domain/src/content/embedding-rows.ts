import type { ContentEmbeddingInsert } from '@loupe/database';
import type { ImageEmbedding } from '@loupe/ml';

function mean(vectors: Float32Array[]): number[] {
  const out = new Array<number>(vectors[0].length).fill(0);
  for (const vector of vectors) for (let i = 0; i < out.length; i++) out[i] += vector[i] / vectors.length;
  return out;
}

/** A frame's embedding, with the backbone's class outputs on it when the pass gave them. */
export type FrameEmbedding = ImageEmbedding & { outputs?: Record<string, number> };

/**
 * The item's vector (frame null) and, for a video, each sampled frame's: the
 * item's is the mean of its frames, as its scores are their maximum. A
 * frame's row keeps the backbone's outputs on it, so a re-score can take the
 * worst frame without the backbone (StoredFeatureScorer).
 */
export function embeddingRows(contentId: string, frames: FrameEmbedding[]): ContentEmbeddingInsert[] {
  const backbone = frames[0].backbone;
  const item = {
    contentId,
    backbone,
    frameIndex: null,
    pooled: mean(frames.map((f) => f.pooled)),
    dense: mean(frames.map((f) => f.dense)),
    midGem: mean(frames.map((f) => f.midGem)),
  };
  if (frames.length === 1) return [item];
  return [
    item,
    ...frames.map((f, frameIndex) => ({
      contentId,
      backbone,
      frameIndex,
      pooled: Array.from(f.pooled),
      dense: Array.from(f.dense),
      midGem: Array.from(f.midGem),
      outputs: f.outputs ?? null,
    })),
  ];
}

