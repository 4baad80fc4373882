import { Injectable } from '@nestjs/common';
import { ContentEmbeddingRepository, ContentRepository, ContentRow, ModelScoreInsert, ModelScoreRow, PolicyRepository } from '@loupe/database';
import { NSFW_MODEL_ID } from '@loupe/ml';
import { FeatureStore, HEADS_READOUT } from '../learning/features/feature-store.service';
import { ServingStateService } from '../learning/serving/serving-state.service';
import { GraphScorer } from '../learning/training/graph-scorer';
import { scorePolicies } from '../policy/policy-scoring';
import { applyHead, type ItemScoring } from './content-scorer.service';

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
 * An item is left out, and the caller scores it with ContentScorer's full
 * pass, when ingest stored no baseline scores or no item embedding for it,
 * when its embedding comes from another backbone than its baseline scores,
 * or when it has several frames (a video scores as its worst frame, which
 * the item's mean embedding does not give).
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
    const [baselines, vectors, framed, catalog] = await Promise.all([
      this.contents.scoresOfModel(ids, NSFW_MODEL_ID),
      this.embeddings.itemVectors(ids),
      this.embeddings.withFrames(ids),
      this.policies.list(),
    ]);
    // Rows come oldest first: the last is what the item was last scored with.
    const baseline = new Map<string, ModelScoreRow>(baselines.map((row) => [row.contentId, row]));
    const vector = new Map(vectors.flatMap((row) => (row[HEADS_READOUT] ? [[row.contentId, { backbone: row.backbone, values: Float32Array.from(row[HEADS_READOUT]!) }] as const] : [])));
    const ready = items.filter((item) => {
      const base = baseline.get(item.id);
      const stored = vector.get(item.id);
      return base && stored && !framed.has(item.id) && stored.backbone === `${base.modelId}@${base.modelVersion}`;
    });
    const plans = new Map(await Promise.all(ready.map(async (item) => [item.id, await this.serving.plan(item.id)] as const)));
    // Each item's features once, and each head graph once, over the items whose plan includes it.
    const featured = ready.map((item) => ({ contentId: item.id, mediaSha256: item.mediaSha256, image: vector.get(item.id)!.values, text: this.features.text(item) }));
    const headScores = new Map<string, Map<string, Record<string, number>>>();
    for (const sha256 of new Set([...plans.values()].flatMap((plan) => plan.map((head) => head.version.artefactSha256)))) {
      const scored = featured.filter((item) => plans.get(item.contentId)!.some((head) => head.version.artefactSha256 === sha256));
      headScores.set(sha256, await this.graphs.score(sha256, scored));
    }
    for (const item of ready) {
      const base = baseline.get(item.id)!;
      const deciding = scorePolicies(catalog, base.modelId, base.outputs);
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
      if (complete) out.set(item.id, { rows, deciding, modelVersion: versions.join(', '), embeddings: [] });
    }
    return out;
  }
}
