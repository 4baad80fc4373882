import { Injectable, Logger, Optional } from '@nestjs/common';
import { ClassifyTaskResult, ComputePool } from '@loupe/compute';
import { LoupeConfig } from '@loupe/config';
import { ContentRow, ModelScoreInsert, PolicyRepository, PolicyRow } from '@loupe/database';
import { MediaStore } from '@loupe/media';
import { LoupeMetrics } from '@loupe/metrics';
import { NSFW_INPUT_SIZE } from '@loupe/ml';
import { PermanentJobError } from '@loupe/queue';
import type { PlannedHead } from '../learning/serving/serving-plan';
import { ServingStateService } from '../learning/serving/serving-state.service';
import { scorePolicies } from '../policy/policy-scoring';
import type { FrameEmbedding } from './embedding-rows';
import { MODEL_INPUT_FILE } from './model-input-file';
import { ScoresAhead } from './scores-ahead';

// A classify job follows its media job within seconds; a minute covers a long queue, and the count a burst of videos.
const AHEAD_KEPT_MS = 60_000;
const AHEAD_ITEMS = 64;

/** Per key, the largest value of the records (from 0): how a video's frames make the item's scores. */
export function maxPerKey(records: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const record of records) for (const [key, value] of Object.entries(record)) out[key] = Math.max(out[key] ?? 0, value);
  return out;
}

/**
 * A served head's scores of an item: the policies it decides take its
 * scores in `deciding`, its version joins `versions` when it decides any,
 * and the row to store is returned.
 */
export function applyHead(contentId: string, head: PlannedHead, scores: Record<string, number>, deciding: Record<string, number>, versions: string[]): ModelScoreInsert {
  for (const policyId of head.decides) deciding[policyId] = scores[policyId];
  if (head.decides.length > 0) versions.push(`${head.version.modelName}@${head.version.version}`);
  return {
    contentId,
    modelId: head.version.modelName,
    modelVersion: String(head.version.version),
    backend: 'onnxruntime',
    outputs: scores,
    policyScores: scores,
    servingRole: head.role,
    acted: head.decides.length > 0,
  };
}

/** A video's frames as its media job makes them, scored in a compute thread meanwhile (ContentScorer.scoreAhead). */
export interface FramesAhead {
  add(rgb: Uint8Array): void;
  finish(): void;
  discard(): void;
}

const NOTHING_AHEAD: FramesAhead = { add: () => undefined, finish: () => undefined, discard: () => undefined };

/** Which heads a set of results came from: scores made ahead are used only with the same heads. */
function headsKey(heads: { sha256: string }[]): string {
  return heads.map((h) => h.sha256).join(',');
}

/** An item scored by everything the registry serves now: rows to store, and the scores that decide. */
export interface ItemScoring {
  rows: ModelScoreInsert[];
  /** Per policy, the score of the model that decides it: its champion head, else the baseline. */
  deciding: Record<string, number>;
  /** The deciding models, `name@version`, comma-separated (the decision's model_version). */
  modelVersion: string;
  /** Per frame, the backbone's embedding and its class outputs; empty when the backbone did not run. */
  embeddings: FrameEmbedding[];
  /** The policy catalog the baseline was scored against, read as the scores came: routing decides by the same thresholds without reading it again. */
  catalog: PolicyRow[];
}

/**
 * Scores an item from its stored model input: the baseline image model and
 * the heads the registry serves (champions, and a challenger's shadow or
 * canary), in one pass per frame of a compute thread. Ingest's classify job
 * uses it, and so do re-checks of allowed content (virality, retro-hunts),
 * so a re-check scores exactly as ingest would with today's champion.
 */
@Injectable()
export class ContentScorer {
  private readonly logger = new Logger(ContentScorer.name);
  private readonly ahead: ScoresAhead<ClassifyTaskResult>;

  constructor(
    private readonly policies: PolicyRepository,
    private readonly store: MediaStore,
    private readonly compute: ComputePool,
    private readonly serving: ServingStateService,
    private readonly config: LoupeConfig,
    @Optional() private readonly metrics?: LoupeMetrics,
  ) {
    this.ahead = new ScoresAhead(AHEAD_KEPT_MS, AHEAD_ITEMS, () => metrics?.scoresAhead.inc({ outcome: 'dropped' }));
  }

  /**
   * Starts scoring a video's model inputs while its media job still decodes
   * it: `add` takes each frame as it is made, `finish` follows the last, and
   * `discard` forgets them if the job fails. The item's classify job, when it
   * runs in this process with the same heads, uses these results instead of
   * running the backbone after the decode. Best effort: when the serving
   * plan cannot be read, nothing is scored ahead and the classify job
   * scores the frames as before.
   */
  async scoreAhead(content: ContentRow): Promise<FramesAhead> {
    if (!this.config.video.scoreAhead) return NOTHING_AHEAD;
    const inputs = await this.taskInputs(content).catch((error: Error) => {
      this.logger.warn(`Not scoring ${content.id} during its decode: ${error.message}`);
      return null;
    });
    if (!inputs) return NOTHING_AHEAD;
    const { heads, text } = inputs;
    const entry = this.ahead.begin(content.id, headsKey(heads));
    return { add: (rgb) => entry.add(this.compute.classify({ rgb, heads, text })), finish: entry.finish, discard: entry.discard };
  }

  /**
   * `fromAhead`: the classify job that follows the media job takes the
   * frames scored during the decode (scoreAhead); a re-check scores afresh.
   */
  async score(content: ContentRow, onProgress?: (fraction: number) => Promise<void>, fromAhead = false): Promise<ItemScoring> {
    const contentId = content.id;
    const inputPath = this.store.derivedPath(content.mediaSha256, MODEL_INPUT_FILE);
    if (!(await this.store.exists(inputPath))) {
      throw new PermanentJobError('content.not_decoded', 'The media job has not produced the model input');
    }
    const input = await this.store.read(inputPath);
    const { plan, heads, text } = await this.taskInputs(content);
    const frameBytes = NSFW_INPUT_SIZE * NSFW_INPUT_SIZE * 3;
    let results = fromAhead ? await this.ahead.take(contentId, headsKey(heads), Math.floor(input.length / frameBytes)) : undefined;
    if (results !== undefined) this.metrics?.scoresAhead.inc({ outcome: results ? 'used' : 'scored_again' });
    if (results) await onProgress?.(1);
    else {
      results = [];
      for (let offset = 0; offset + frameBytes <= input.length; offset += frameBytes) {
        results.push(await this.compute.classify({ rgb: input.subarray(offset, offset + frameBytes), heads, text }));
        await onProgress?.((offset + frameBytes) / input.length);
      }
    }
    if (results.length === 0) throw new PermanentJobError('content.not_decoded', 'The model input is empty');
    const catalog = await this.policies.list();
    // A video scores as its most violating frame, per policy and per class.
    const baselineScores = maxPerKey(results.map((r) => scorePolicies(catalog, r.modelId, r.outputs)));
    const outputs = maxPerKey(results.map((r) => r.outputs));
    const { modelId, modelVersion, backend } = results[0];
    const rows: ModelScoreInsert[] = [{ contentId, modelId, modelVersion, backend, outputs, policyScores: baselineScores, servingRole: 'champion', acted: true }];
    const deciding = { ...baselineScores };
    const versions = [`${modelId}@${modelVersion}`];
    for (const head of plan) {
      const outcomes = results.map((r) => r.heads[head.version.artefactSha256]);
      const failed = outcomes.find((o) => o && 'error' in o);
      if (!outcomes.every((o) => o && 'scores' in o)) {
        // The item is still decided: by the baseline where it covers the policy, else by no model.
        this.logger.warn(`${head.version.modelName} version ${head.version.version} did not score ${contentId}: ${failed && 'error' in failed ? failed.error : 'no result'}`);
        continue;
      }
      const scores = maxPerKey(outcomes.map((o) => (o as { scores: Record<string, number> }).scores));
      rows.push(applyHead(contentId, head, scores, deciding, versions));
    }
    return { rows, deciding, modelVersion: versions.join(', '), embeddings: results.map((r) => ({ ...r.embedding, outputs: r.outputs })), catalog };
  }

  /** What a classify task of the item takes besides its pixels: the heads served to it now, and its text. */
  private async taskInputs(content: ContentRow) {
    const plan = await this.serving.plan(content.id);
    const heads = plan.map((p) => ({ sha256: p.version.artefactSha256, path: p.path }));
    const text = { caption: content.caption, hashtags: content.hashtags, language: content.language };
    return { plan, heads, text };
  }
}
