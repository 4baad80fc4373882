import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { headsSignature, HeadsSignature, ImageEmbedding, OnnxModel, runHeads, TEXT_FEATURES_VERSION, TextFeatureInput, TextFeaturizer } from '@loupe/ml';
import type { DescribeHeadsTaskResult, HeadsOutcome, HeadsRef, ScoreHeadsTaskInput, ScoreHeadsTaskResult } from './compute.tasks';

interface LoadedHeads {
  model: OnnxModel;
  signature: HeadsSignature;
  readout: keyof Pick<ImageEmbedding, 'pooled' | 'dense' | 'midGem'> | null;
  backbone: string | null;
  featurizer: TextFeaturizer | null;
}

/**
 * The heads graphs a compute thread has loaded: one onnxruntime session per
 * graph and thread, loaded on first use and kept (a graph's bytes never
 * change: it is named by its hash). A graph that fails to load is not
 * retried on every item; it is retried after a minute.
 */
export class HeadsCache {
  private readonly loaded = new Map<string, Promise<LoadedHeads>>();
  private readonly failedAt = new Map<string, { at: number; error: string }>();

  /** Every graph on one frame: its embedding and the item's text, or, for a graph that reads pixels, the frame (224 × 224 RGB bytes). */
  async run(refs: HeadsRef[], embedding: ImageEmbedding, text: TextFeatureInput, pixels: Uint8Array): Promise<Record<string, HeadsOutcome>> {
    const out: Record<string, HeadsOutcome> = {};
    for (const ref of refs) {
      try {
        const heads = await this.get(ref);
        out[ref.sha256] = { scores: await score(heads, embedding, text, pixels) };
      } catch (error) {
        out[ref.sha256] = { error: (error as Error).message };
      }
    }
    return out;
  }

  /** Scores a batch of items: the features as stored, not recomputed from pixels; or, for a graph that reads pixels, one frame each. */
  async score(input: ScoreHeadsTaskInput): Promise<ScoreHeadsTaskResult> {
    const heads = await this.get(input.heads);
    const scores = await runHeads(heads.model, heads.signature, input.items);
    return { policies: heads.signature.policies, scores };
  }

  async describe(ref: HeadsRef): Promise<DescribeHeadsTaskResult> {
    const { signature, readout } = await this.get(ref);
    return { policies: signature.policies, reads: signature.pixelsInput ? 'pixels' : 'features', readout };
  }

  private get(ref: HeadsRef): Promise<LoadedHeads> {
    const failure = this.failedAt.get(ref.sha256);
    if (failure && Date.now() - failure.at < 60_000) return Promise.reject(new Error(failure.error));
    let loading = this.loaded.get(ref.sha256);
    if (!loading) {
      loading = load(ref).catch((error: Error) => {
        this.loaded.delete(ref.sha256);
        this.failedAt.set(ref.sha256, { at: Date.now(), error: error.message });
        throw error;
      });
      this.loaded.set(ref.sha256, loading);
    }
    return loading;
  }
}

async function load(ref: HeadsRef): Promise<LoadedHeads> {
  const bytes = await readFile(ref.path);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== ref.sha256) throw new Error(`The heads artefact ${ref.path} does not match its hash`);
  const model = await OnnxModel.load(bytes);
  const signature = headsSignature(model);
  let readout: LoadedHeads['readout'] = null;
  let backbone: string | null = null;
  if (signature.imageDim > 0) {
    const at = signature.imageFeatures?.lastIndexOf('/') ?? -1;
    const name = at >= 0 ? signature.imageFeatures!.slice(at + 1) : '';
    if (name !== 'pooled' && name !== 'dense' && name !== 'midGem') throw new Error(`The heads read image features ${signature.imageFeatures}, which this backbone does not give`);
    readout = name;
    backbone = signature.imageFeatures!.slice(0, at);
  }
  let featurizer: TextFeaturizer | null = null;
  if (signature.textDim > 0) {
    if (!signature.textFeatures?.startsWith(`${TEXT_FEATURES_VERSION}/`)) throw new Error(`The heads read text features ${signature.textFeatures}, not ${TEXT_FEATURES_VERSION}`);
    featurizer = new TextFeaturizer({ dimension: signature.textDim });
  }
  return { model, signature, readout, backbone, featurizer };
}

async function score(heads: LoadedHeads, embedding: ImageEmbedding, text: TextFeatureInput, pixels: Uint8Array): Promise<Record<string, number>> {
  if (heads.backbone && heads.backbone !== embedding.backbone) throw new Error(`The heads were trained on ${heads.backbone}, this item was embedded by ${embedding.backbone}`);
  const item = { image: heads.readout ? embedding[heads.readout] : null, text: heads.featurizer?.featurize(text) ?? null, pixels: heads.signature.pixelsInput ? pixels : null };
  const out = await runHeads(heads.model, heads.signature, [item]);
  return Object.fromEntries(heads.signature.policies.map((policyId, i) => [policyId, out[i]]));
}
