import { Injectable } from '@nestjs/common';
import { ComputePool } from '@loupe/compute';
import { ContentEmbeddingRepository, ContentEmbeddingRow, ContentRepository } from '@loupe/database';
import { MediaStore } from '@loupe/media';
import { NSFW_INPUT_SIZE, SparseVector, TEXT_FEATURES_VERSION, TextFeatureInput, TextFeaturizer } from '@loupe/ml';
import { embeddingRows } from '../../content/embedding-rows';
import { MODEL_INPUT_FILE } from '../../content/model-input-file';
import { DatasetFiles } from '../datasets/dataset-files';
import type { DatasetRecord } from '../datasets/dataset.service';

/** A dataset row with its features, ready to train or evaluate. */
export interface FeaturedRow {
  record: DatasetRecord;
  image: Float32Array;
  text: SparseVector;
}

/** Which of the stored embeddings the heads read: the middle block's GeM pool, by measurement (docs/benchmarks.md, "Heads: readout and trainer"). */
export type ImageReadout = 'pooled' | 'dense' | 'midGem';
export const HEADS_READOUT: ImageReadout = 'midGem';
/** Buckets of the hashed text features the heads read: wide enough for few collisions, narrow enough to batch densely. */
export const HEADS_TEXT_DIM = 1 << 14;

export interface ItemFeatures {
  image: Float32Array;
  text: SparseVector;
}

/** The features' names, as a model's signature records them. */
export function featureNames(backbone: string, readout: ImageReadout = HEADS_READOUT, textDim = HEADS_TEXT_DIM) {
  return { imageFeatures: `${backbone}/${readout}`, textFeatures: `${TEXT_FEATURES_VERSION}/${textDim}` };
}

/**
 * Features of content items for training and evaluation: the stored image
 * embedding (computed now, from the stored model input, for items that
 * predate embeddings: the backfill) and the text features, computed from
 * the item's text by the versioned featuriser.
 */
@Injectable()
export class FeatureStore {
  private readonly featurizer = new TextFeaturizer({ dimension: HEADS_TEXT_DIM });

  constructor(
    private readonly contents: ContentRepository,
    private readonly embeddings: ContentEmbeddingRepository,
    private readonly store: MediaStore,
    private readonly compute: ComputePool,
    private readonly files: DatasetFiles,
  ) {}

  /**
   * A dataset's rows with their features; rows whose media has no model input
   * left are dropped. `onProgress` may throw to stop (a cancelled run).
   */
  async featuredRows(datasetId: string, onProgress?: (done: number, total: number) => Promise<void>): Promise<{ rows: FeaturedRow[]; backbone: string | null }> {
    const records: DatasetRecord[] = [];
    for await (const record of this.files.rows<DatasetRecord>(datasetId)) records.push(record);
    const { vectors, backbone } = await this.imageVectors(
      records.map((r) => r.content_id),
      HEADS_READOUT,
      onProgress,
    );
    const rows = records
      .filter((r) => vectors.has(r.content_id))
      .map((record) => ({ record, image: vectors.get(record.content_id)!, text: this.text({ caption: record.caption, hashtags: record.hashtags, language: record.language }) }));
    return { rows, backbone };
  }

  /** The features of the most recent items: what an uploaded model is tried on before it is accepted. */
  async recent(limit: number, readout: ImageReadout, textDim: number): Promise<{ image: Float32Array; text: SparseVector }[]> {
    const featurizer = textDim === HEADS_TEXT_DIM ? this.featurizer : new TextFeaturizer({ dimension: textDim });
    const out = [];
    for (const row of await this.embeddings.recentItemVectors(limit)) {
      const content = await this.contents.findById(row.contentId);
      const vector = row[readout];
      if (content && vector) out.push({ image: Float32Array.from(vector), text: featurizer.featurize({ caption: content.caption, hashtags: content.hashtags, language: content.language }) });
    }
    return out;
  }

  text(input: TextFeatureInput): SparseVector {
    return this.featurizer.featurize(input);
  }

  /**
   * Each item's image vector; items without a stored one get it computed and
   * stored first. Items whose model input is gone (a failed upload) are left
   * out, and reported as missing.
   */
  async imageVectors(
    contentIds: string[],
    readout: ImageReadout,
    onProgress?: (done: number, total: number) => void | Promise<void>,
  ): Promise<{ vectors: Map<string, Float32Array>; backbone: string | null; missing: string[] }> {
    const vectors = new Map<string, Float32Array>();
    let backbone: string | null = null;
    const keep = (row: ContentEmbeddingRow) => {
      const vector = row[readout];
      // A row stored before this readout existed lacks it: the item is embedded again.
      if (!vector) return;
      vectors.set(row.contentId, Float32Array.from(vector));
      backbone ??= row.backbone;
    };
    for (let i = 0; i < contentIds.length; i += 500) (await this.embeddings.itemVectors(contentIds.slice(i, i + 500))).forEach(keep);
    const absent = contentIds.filter((id) => !vectors.has(id));
    const missing: string[] = [];
    let done = contentIds.length - absent.length;
    await onProgress?.(done, contentIds.length);
    for (const contentId of absent) {
      const row = await this.backfill(contentId);
      if (row) keep(row);
      else missing.push(contentId);
      done++;
      await onProgress?.(done, contentIds.length);
    }
    return { vectors, backbone, missing };
  }

  /** Computes and stores one item's embedding from its stored model input; null when it has none. */
  async backfill(contentId: string): Promise<ContentEmbeddingRow | null> {
    const content = await this.contents.findById(contentId);
    if (!content) return null;
    const inputPath = this.store.derivedPath(content.mediaSha256, MODEL_INPUT_FILE);
    if (!(await this.store.exists(inputPath))) return null;
    const input = await this.store.read(inputPath);
    const frameBytes = NSFW_INPUT_SIZE * NSFW_INPUT_SIZE * 3;
    const frames = [];
    for (let offset = 0; offset + frameBytes <= input.length; offset += frameBytes) {
      const result = await this.compute.classifyNsfw(input.subarray(offset, offset + frameBytes));
      frames.push({ ...result.embedding, outputs: result.outputs });
    }
    if (frames.length === 0) return null;
    await this.embeddings.addAll(embeddingRows(contentId, frames));
    return (await this.embeddings.itemVectors([contentId]))[0] ?? null;
  }
}
