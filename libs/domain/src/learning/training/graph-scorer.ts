import { Injectable } from '@nestjs/common';
import { ComputePool, ScoreHeadsTaskInput } from '@loupe/compute';
import type { SparseVector } from '@loupe/ml';
import { FeatureStore, HEADS_READOUT, ImageReadout } from '../features/feature-store.service';
import { ModelInputs } from '../features/model-inputs';
import { ModelArtefacts } from '../registry/model-artefacts';

/** contentId → policyId → score. */
export type GraphScores = Map<string, Record<string, number>>;

/** An item to score: its stored features, and where its pixels are, for a graph that reads them. */
export interface GraphItem {
  contentId: string;
  mediaSha256: string;
  /** The embedding of the readout the caller says (score's `readout`). */
  image: Float32Array | null;
  text: SparseVector | null;
}

/** An item by its frames (a video): each frame's stored embeddings by readout, in frame order. */
export interface FramedGraphItem {
  contentId: string;
  mediaSha256: string;
  frames: Array<Partial<Record<ImageReadout, ArrayLike<number> | null>>>;
  text: SparseVector | null;
}

/** Items per task for a graph that reads features: a few MB of features. */
const FEATURE_BATCH = 256;
/**
 * Frames per task for a graph that reads pixels: 16 frames are 2.4 MB of
 * bytes and 9.6 MB of float input, whatever the size of the evaluation.
 */
const FRAME_BATCH = 16;

/**
 * Scores items with a stored graph in the compute threads, as serving runs
 * it: on the stored features, or, for a graph that reads pixels, on every
 * frame of the item's stored model input, the item scoring as its most
 * violating frame (as ClassificationHandler scores a video). Items whose
 * model input is gone are left out, and the evaluation counts them missing.
 */
@Injectable()
export class GraphScorer {
  constructor(
    private readonly compute: ComputePool,
    private readonly artefacts: ModelArtefacts,
    private readonly inputs: ModelInputs,
    private readonly features: FeatureStore,
  ) {}

  /**
   * @param sha256 the stored graph
   * @param readout the embedding the items' `image` is; a graph that reads another is given that one, from the store
   */
  async score(sha256: string, items: GraphItem[], readout: ImageReadout = HEADS_READOUT): Promise<GraphScores> {
    const heads = { sha256, path: this.artefacts.path(sha256) };
    // The graph's own metadata says what it reads, as it does when it serves.
    const graph = await this.compute.describeHeads(heads);
    if (graph.reads === 'pixels') return this.byFrames(heads, items);
    return this.byFeatures(heads, graph.readout && graph.readout !== readout ? await this.withReadout(items, graph.readout) : items);
  }

  /**
   * Items of several frames, each scored as its most violating frame: a graph
   * that reads features runs on each frame's stored embedding of the readout
   * it reads, one that reads pixels on each frame of the stored model input.
   * An item missing a frame's embedding of that readout is left out.
   */
  async scoreFramed(sha256: string, items: FramedGraphItem[]): Promise<GraphScores> {
    const heads = { sha256, path: this.artefacts.path(sha256) };
    const graph = await this.compute.describeHeads(heads);
    if (graph.reads === 'pixels') return this.byFrames(heads, items);
    const readout = graph.readout ?? HEADS_READOUT;
    const complete = items.filter((item) => item.frames.every((frame) => frame[readout]));
    const frames = complete.flatMap((item) =>
      item.frames.map((frame, n) => ({ contentId: `${item.contentId}#${n}`, mediaSha256: item.mediaSha256, image: Float32Array.from(frame[readout]!), text: item.text })),
    );
    const byFrame = await this.byFeatures(heads, frames);
    const scores: GraphScores = new Map();
    for (const item of complete) {
      const entry: Record<string, number> = {};
      item.frames.forEach((_, n) => maxInto(entry, byFrame.get(`${item.contentId}#${n}`)!));
      scores.set(item.contentId, entry);
    }
    return scores;
  }

  /** The items with the embedding the graph reads (an uploaded model's 1280-wide pooled one, beside heads on midGem); items without it are left out. */
  private async withReadout(items: GraphItem[], readout: ImageReadout): Promise<GraphItem[]> {
    const { vectors } = await this.features.imageVectors(items.map((item) => item.contentId), readout);
    return items.filter((item) => vectors.has(item.contentId)).map((item) => ({ ...item, image: vectors.get(item.contentId)! }));
  }

  private async byFeatures(heads: ScoreHeadsTaskInput['heads'], items: GraphItem[]): Promise<GraphScores> {
    const scores: GraphScores = new Map();
    for (let i = 0; i < items.length; i += FEATURE_BATCH) {
      const chunk = items.slice(i, i + FEATURE_BATCH);
      const out = await this.compute.scoreHeads({ heads, items: chunk.map((r) => ({ image: r.image, text: r.text })) });
      chunk.forEach((item, n) => scores.set(item.contentId, row(out.policies, out.scores, n)));
    }
    return scores;
  }

  private async byFrames(heads: ScoreHeadsTaskInput['heads'], items: Array<Pick<GraphItem, 'contentId' | 'mediaSha256'>>): Promise<GraphScores> {
    const scores: GraphScores = new Map();
    let batch: { contentId: string; pixels: Uint8Array }[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const frames = batch;
      batch = [];
      const out = await this.compute.scoreHeads({ heads, items: frames.map((f) => ({ image: null, text: null, pixels: f.pixels })) });
      frames.forEach((frame, n) => {
        // A video's frames may fall in two batches: the maximum is taken across them.
        const entry = scores.get(frame.contentId) ?? {};
        maxInto(entry, row(out.policies, out.scores, n));
        scores.set(frame.contentId, entry);
      });
    };
    for (const item of items) {
      const frames = await this.inputs.frames(item.mediaSha256);
      if (!frames) continue;
      for (const pixels of frames) batch.push({ contentId: item.contentId, pixels });
      if (batch.length >= FRAME_BATCH) await flush();
    }
    await flush();
    return scores;
  }
}

/**
 * Takes each policy's larger score into `entry`. Not from 0: a score below 0
 * (or NaN) must reach the caller, which refuses it.
 */
function maxInto(entry: Record<string, number>, scores: Record<string, number>): void {
  for (const [policyId, score] of Object.entries(scores)) entry[policyId] = policyId in entry ? Math.max(entry[policyId], score) : score;
}

function row(policies: string[], scores: Float32Array, n: number): Record<string, number> {
  const entry: Record<string, number> = {};
  policies.forEach((policyId, p) => (entry[policyId] = scores[n * policies.length + p]));
  return entry;
}
