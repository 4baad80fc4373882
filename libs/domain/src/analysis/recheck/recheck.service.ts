import { Injectable, Logger } from '@nestjs/common';
import { ContentEmbeddingRepository, ContentRepository, ContentRow, TransactionManager } from '@loupe/database';
import { PermanentJobError } from '@loupe/queue';
import type { CaseSource } from '@loupe/vocabulary';
import { ContentScorer, ItemScoring } from '../../content/content-scorer.service';
import { embeddingRows } from '../../content/embedding-rows';
import { routeByScores } from '../../content/routing-rules';
import { RecheckAction, recheckActs, RecheckResult, RoutingService } from '../../content/routing.service';
import { StoredFeatureScorer } from '../../content/stored-feature-scorer.service';
import { HashMatchService, MatchOutcome } from '../../matching/hash-match.service';

/** What a re-check of an allowed item found: what acted (if anything), and the scores it had. */
export interface RecheckOutcome {
  by: 'bank' | 'model' | null;
  result: RecheckResult | null;
  /** The deciding scores of this re-check, per policy. */
  scores: Record<string, number>;
  modelVersion: string;
  bankEntryId: string | null;
  distance: number | null;
}

/**
 * Looks again at content that was allowed, as ingest would today: its
 * stored hashes against the banks as they are now, then its stored model
 * input scored by the models served now. A match or a score over today's
 * thresholds acts as it would on new content; `origin` says in the
 * decision's reason what asked (a virality tier, a retro-hunt).
 */
@Injectable()
export class RecheckService {
  private readonly logger = new Logger(RecheckService.name);

  constructor(
    private readonly contents: ContentRepository,
    private readonly embeddings: ContentEmbeddingRepository,
    private readonly matcher: HashMatchService,
    private readonly scorer: ContentScorer,
    private readonly routing: RoutingService,
    private readonly transactions: TransactionManager,
    private readonly storedScorer: StoredFeatureScorer,
  ) {}

  async recheck(content: ContentRow, origin: string, caseSource?: Exclude<CaseSource, 'gold'>): Promise<RecheckOutcome> {
    return (await this.rematch(content, origin)) ?? this.rescore(content, origin, caseSource);
  }

  /** Today's banks only: the outcome when a match acted, else null. */
  async rematch(content: ContentRow, origin: string): Promise<RecheckOutcome | null> {
    const match = await this.match(content);
    if (!match.action) return null;
    await this.matcher.recordForContent(content.id, match.matches);
    const result = await this.routing.recheckMatch(content, match.action, origin);
    return result ? { by: 'bank', result, scores: {}, modelVersion: '', bankEntryId: match.action.entry.id, distance: match.action.distance } : null;
  }

  /**
   * Today's models only: scored, stored, and routed when today's thresholds
   * say so. Policies in `settled` (judged by a person) are stored but do not
   * route. With `actOn` 'removed', only a removal acts: what would go to
   * review stays allowed (its scores are stored all the same). `scored`:
   * the item's scoring when the caller has it already (a retro-hunt scores
   * a page from stored features, StoredFeatureScorer).
   */
  async rescore(
    content: ContentRow,
    origin: string,
    caseSource?: Exclude<CaseSource, 'gold'>,
    settled: ReadonlySet<string> = new Set(),
    actOn: RecheckAction = 'review',
    scored?: ItemScoring,
  ): Promise<RecheckOutcome> {
    const scoring = scored ?? (await this.scorer.score(content));
    const deciding = Object.fromEntries(Object.entries(scoring.deciding).filter(([policyId]) => !settled.has(policyId)));
    return this.transactions.run(async () => {
      for (const row of scoring.rows) await this.contents.addScores(row);
      if (scoring.embeddings.length > 0) await this.embeddings.addAll(embeddingRows(content.id, scoring.embeddings));
      const result = await this.routing.recheckScores(content, { policyScores: deciding, modelVersion: scoring.modelVersion, catalog: scoring.catalog }, origin, caseSource, actOn);
      return { by: result ? 'model' : null, result, scores: scoring.deciding, modelVersion: scoring.modelVersion, bankEntryId: null, distance: null } as RecheckOutcome;
    });
  }

  /**
   * rescore for a page of items at once (a model retro-hunt): scored from
   * their stored features (StoredFeatureScorer), the scores of all stored in
   * one statement, and only the items whose route would act go through
   * rescore one by one. A week of uploads is mostly items that stay allowed,
   * and each of them cost a transaction, a read of the catalog and the
   * writes of a full re-score. Items the stored features cannot score take
   * rescore's full pass; an item that pass cannot score either (no model
   * input) is left out of the answer, and the page goes on. `settled`: per
   * item, the policies a person judged.
   */
  async rescoreMany(
    items: readonly ContentRow[],
    origin: string,
    settled: ReadonlyMap<string, ReadonlySet<string>>,
    actOn: RecheckAction,
  ): Promise<Map<string, RecheckOutcome>> {
    const scorings = await this.storedScorer.scoreAll(items);
    await this.contents.addScoresMany([...scorings.values()].flatMap((scoring) => scoring.rows));
    const out = new Map<string, RecheckOutcome>();
    const unscorable: string[] = [];
    for (const content of items) {
      const mine = settled.get(content.id) ?? new Set<string>();
      const scoring = scorings.get(content.id);
      if (scoring) {
        const deciding = Object.fromEntries(Object.entries(scoring.deciding).filter(([policyId]) => !mine.has(policyId)));
        // The catalog the page was scored against: the same thresholds rescore would route by.
        if (!recheckActs(routeByScores(scoring.catalog, deciding).outcome, actOn)) {
          out.set(content.id, { by: null, result: null, scores: scoring.deciding, modelVersion: scoring.modelVersion, bankEntryId: null, distance: null });
          continue;
        }
      }
      try {
        out.set(content.id, await this.rescore(content, origin, undefined, mine, actOn, scoring));
      } catch (error) {
        // Neither stored features nor a model input (media deleted, or never decoded): this item cannot be scored
        // today, and the rest of the page can. It keeps its decision; a retry would find the same.
        if (!(error instanceof PermanentJobError && error.code === 'content.not_decoded')) throw error;
        unscorable.push(content.id);
      }
    }
    if (unscorable.length > 0) this.logger.warn(`${origin}: ${unscorable.length} items left as they are, with neither stored features nor a model input (${unscorable.join(', ')})`);
    return out;
  }

  private async match(content: ContentRow): Promise<MatchOutcome> {
    const hashes = await this.contents.findHashes(content.id);
    const pdq = hashes.find((h) => h.signalType === 'pdq');
    if (pdq) return this.matcher.matchImage({ pdq: pdq.hash, quality: pdq.quality }, content.id);
    const frames = hashes
      .filter((h) => h.signalType === 'vpdq')
      .map((h) => ({ frameNumber: h.frameIndex ?? 0, timestamp: h.timestampSeconds ?? 0, quality: h.quality, pdq: h.hash }));
    if (frames.length > 0) return this.matcher.matchVideo(frames, content.id);
    return { matches: [], action: null };
  }
}
