import { Injectable } from '@nestjs/common';
import { ContentEmbeddingRepository, ContentEmbeddingRow, ContentRepository, ContentRow, ModelScoreInsert, ModelScoreRow, PolicyRepository } from '@loupe/database';
import { NSFW_MODEL_ID } from '@loupe/ml';
import { FeatureStore, HEADS_READOUT } from '../learning/features/feature-store.service';
import { ServingStateService } from '../learning/serving/serving-state.service';
import type { PlannedHead } from '../learning/serving/serving-plan';
import { GraphScorer, GraphScores } from '../learning/training/graph-scorer';
import { scorePolicies } from '../policy/policy-scoring';
import { applyHead, maxPerKey, type ItemScoring } from './content-scorer.service';

/**
 * What ingest stored of an item: its embedding rows (an image's own row, or
 * each frame's row of a video) and the baseline model's outputs on each.
 */
interface StoredItem {
  rows: ContentEmbeddingRow[];
  outputs: Record<string, number>[];
}

/**
 * Scores allowed items again with the heads served now, from what ingest
 * stored (the image embedding the heads read, the baseline model's outputs)
 * and the text features, without running the backbone. A retro-hunt after
 * a promotion re-scores a week of uploads: the backbone pass, the read of
 * each model input and the rewrite of each embedding cost it about as much
 * as ingest itself, for the same embedding, since a promotion changes the
 * heads and not the backbone. The heads run in batches in the compute
 * threads, as the candidate's evaluation runs them (GraphScorer).
 *
 * A video (or an animated image) scores as its worst frame, as ingest
 * scores it: from each frame's stored embedding and the baseline's outputs
 * on that frame. An item is left out, and the caller scores it with
 * ContentScorer's full pass, when ingest stored no baseline scores or no
 * embedding for it (nor each frame's outputs, for a video stored before they
 * were kept), or when its embedding comes from another backbone than its
 * baseline scores.
 */
@Injectable()
export class StoredFeatureScorer {
  constructor(
    private readonly contents: ContentRepository,
    private readonly embeddings: ContentEmbeddingRepository,
    private readonly policies: PolicyRepository,
    private readonly serving: ServingStateService,
    private readonly graphs: GraphScorer,
    private readonly features: FeatureStore,
  ) {}

  async scoreAll(items: readonly ContentRow[]): Promise<Map<string, ItemScoring>> {
    const out = new Map<string, ItemScoring>();
    if (items.length === 0) return out;
    const ids = items.map((item) => item.id);
    const [baselines, vectors, frameRows, catalog] = await Promise.all([
      this.contents.scoresOfModel(ids, NSFW_MODEL_ID),
      this.embeddings.itemVectors(ids),
      this.embeddings.frameVectors(ids),
      this.policies.list(),
    ]);
    // Rows come oldest first: the last is what the item was last scored with.
    const baseline = new Map<string, ModelScoreRow>(baselines.map((row) => [row.contentId, row]));
    const stored = storedItems(items, baseline, vectors, frameRows);
    const ready = items.filter((item) => stored.has(item.id));
    const plans = new Map(await Promise.all(ready.map(async (item) => [item.id, await this.serving.plan(item.id)] as const)));
    const headScores = await this.scoreHeads(ready, stored, plans);
    for (const item of ready) {
      const base = baseline.get(item.id)!;
      // As ContentScorer: per policy, the most violating frame's baseline score.
      const deciding = maxPerKey(stored.get(item.id)!.outputs.map((outputs) => scorePolicies(catalog, base.modelId, outputs)));
      const versions = [`${base.modelId}@${base.modelVersion}`];
      const rows: ModelScoreInsert[] = [];
      let complete = true;
      for (const head of plans.get(item.id)!) {
        const scores = headScores.get(head.version.artefactSha256)?.get(item.id);
        if (!scores) {
          complete = false;
          break;
        }
        rows.push(applyHead(item.id, head, scores, deciding, versions));
      }
      if (complete) out.set(item.id, { rows, deciding, modelVersion: versions.join(', '), embeddings: [], catalog });
    }
    return out;
  }

  /** Each head graph once, over the items whose plan includes it: per graph, item → policy → score. */
  private async scoreHeads(ready: ContentRow[], stored: Map<string, StoredItem>, plans: Map<string, PlannedHead[]>): Promise<Map<string, GraphScores>> {
    // Each item's inputs once, whatever number of graphs read them: an image by its own vector, a video by its frames.
    const inputs = ready.map((item) => {
      const { rows } = stored.get(item.id)!;
      const base = { contentId: item.id, mediaSha256: item.mediaSha256, text: this.features.text(item) };
      return rows[0].frameIndex === null ? { single: { ...base, image: Float32Array.from(rows[0][HEADS_READOUT]!) } } : { framed: { ...base, frames: rows } };
    });
    const headScores = new Map<string, GraphScores>();
    for (const sha256 of new Set([...plans.values()].flatMap((plan) => plan.map((head) => head.version.artefactSha256)))) {
      const wanted = inputs.filter((_, i) => plans.get(ready[i].id)!.some((head) => head.version.artefactSha256 === sha256));
      const scores = await this.graphs.score(sha256, wanted.flatMap((input) => (input.single ? [input.single] : [])));
      const framed = wanted.flatMap((input) => (input.framed ? [input.framed] : []));
      if (framed.length > 0) for (const [contentId, entry] of await this.graphs.scoreFramed(sha256, framed)) scores.set(contentId, entry);
      headScores.set(sha256, scores);
    }
    return headScores;
  }
}

/**
 * The items whose stored features can score them: an image by its own
 * vectors and its baseline row's outputs, a video by each frame's vectors
 * and outputs; all from the backbone version of the baseline scores. (A
 * frame without the readout a graph reads leaves its video to the full pass:
 * GraphScorer.scoreFramed.)
 */
function storedItems(
  items: readonly ContentRow[],
  baseline: Map<string, ModelScoreRow>,
  vectors: ContentEmbeddingRow[],
  frameRows: ContentEmbeddingRow[],
): Map<string, StoredItem> {
  const own = new Map(vectors.map((row) => [row.contentId, row]));
  const frames = new Map<string, ContentEmbeddingRow[]>();
  for (const row of frameRows) {
    const rows = frames.get(row.contentId);
    if (rows) rows.push(row);
    else frames.set(row.contentId, [row]);
  }
  const out = new Map<string, StoredItem>();
  for (const item of items) {
    const base = baseline.get(item.id);
    if (!base) continue;
    const backbone = `${base.modelId}@${base.modelVersion}`;
    const framed = frames.get(item.id);
    if (framed) {
      const usable = framed.filter((row) => row.backbone === backbone);
      if (usable.length === 0 || usable.some((row) => !row.outputs)) continue;
      out.set(item.id, { rows: usable, outputs: usable.map((row) => row.outputs!) });
      continue;
    }
    const row = own.get(item.id);
    if (!row || !row[HEADS_READOUT] || row.backbone !== backbone) continue;
    out.set(item.id, { rows: [row], outputs: [base.outputs] });
  }
  return out;
}
