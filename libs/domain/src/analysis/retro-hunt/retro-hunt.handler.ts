import { Logger } from '@nestjs/common';
import { ContentRepository, ContentRow, HashBankRow, BankRepository, ModelRegistryRepository, RetroHuntRepository, RetroHuntRow, TrainingLabelRepository } from '@loupe/database';
import { LoupeConfig } from '@loupe/config';
import { pdqHammingDistance } from '@loupe/hashing';
import { JobContext, JobHandler, JobHandlerFor, JobPayload, PermanentJobError } from '@loupe/queue';
import { RecheckOutcome, RecheckService } from '../recheck/recheck.service';

const PAGE = 100;
const DAY_MS = 86_400_000;

/**
 * Runs a retro-hunt over the allowed content uploaded in its window, a page
 * at a time in id order; the cursor and counts are saved after each page,
 * so a retried job resumes where the last try stopped. A bank hunt looks
 * only at items whose hashes lie within the bank's distance of one of its
 * new entries, then lets the matcher decide as at ingest (allow-lists,
 * ratio, quality floor); a model hunt re-scores each item with what serves
 * now (from its stored features, a page at a time: StoredFeatureScorer),
 * and leaves alone the policies a person already judged not violating
 * on that item (their label stands over a model's later score: otherwise
 * every promotion would send back to review what moderators cleared). A
 * model hunt removes what the new champion is sure of, and by default
 * sends nothing to review (RETRO_HUNT_MODEL_REVIEW): it looks at a week of
 * uploads at once, and the review band of a week would reach the queue in
 * one step, ahead of the day's new content; an old item that gains views
 * again is re-scored at its virality tier and reviewed then.
 * Every catch is a finding, credited to the entry or model version.
 */
@JobHandlerFor('analysis.retro-hunt')
export class RetroHuntHandler implements JobHandler<'analysis.retro-hunt'> {
  private readonly logger = new Logger(RetroHuntHandler.name);

  constructor(
    private readonly hunts: RetroHuntRepository,
    private readonly contents: ContentRepository,
    private readonly banks: BankRepository,
    private readonly registry: ModelRegistryRepository,
    private readonly recheck: RecheckService,
    private readonly labels: TrainingLabelRepository,
    private readonly config: LoupeConfig,
  ) {}

  async handle({ huntId }: JobPayload<'analysis.retro-hunt'>, context: JobContext): Promise<void> {
    let hunt = await this.hunts.findById(huntId);
    if (!hunt) throw new PermanentJobError('retro_hunt.not_found', `No retro-hunt ${huntId}`);
    if (hunt.status === 'succeeded' || hunt.status === 'failed') return;
    const startedAt = hunt.startedAt ?? new Date();
    const from = new Date(startedAt.getTime() - hunt.windowDays * DAY_MS);
    if (hunt.status === 'queued') {
      hunt = (await this.hunts.update(huntId, { status: 'running', startedAt, total: await this.hunts.countCandidates(from, startedAt) }))!;
    }
    const look = await this.looker(hunt);
    let { cursor, done, found } = hunt;
    for (;;) {
      const page = await this.hunts.candidates(from, startedAt, cursor, PAGE);
      if (page.length === 0) break;
      // A bank hunt reads only the items near a new entry: the page's hashes say which, without a read per item.
      const wanted = page.filter((candidate) => look.wants(candidate.hashes));
      const rows = new Map((await this.contents.findByIds(wanted.map((candidate) => candidate.id))).map((row) => [row.id, row]));
      const allowed = wanted.flatMap((candidate) => {
        const content = rows.get(candidate.id);
        return content && content.status === 'allowed' ? [{ hashes: candidate.hashes, content }] : [];
      });
      const prepared = await look.prepare(allowed.map((a) => a.content));
      for (const { hashes, content } of allowed) {
        const outcome = await look.one(hashes, content, prepared.get(content.id));
        if (outcome?.result && (await this.record(hunt, content.id, outcome))) found += 1;
      }
      done += page.length;
      cursor = page[page.length - 1].id;
      await this.hunts.update(huntId, { cursor, done, found });
      await context.progress(Math.min(99, Math.floor((100 * done) / Math.max(1, hunt.total))));
    }
    await this.hunts.update(huntId, { status: 'succeeded', finishedAt: new Date(), total: Math.max(hunt.total, done) });
    this.logger.log(`Retro-hunt ${huntId} (${hunt.trigger}): ${found} found among ${done} allowed items`);
  }

  async onFailed({ huntId }: JobPayload<'analysis.retro-hunt'>, error: Error): Promise<void> {
    await this.hunts.update(huntId, { status: 'failed', failedReason: error.message, finishedAt: new Date() });
  }

  /**
   * How the hunt looks at a page of allowed items: `wants` picks the items
   * worth a look from their hashes alone (a bank hunt: those within the
   * bank's distance of a new entry), `prepare` runs once per page (a model
   * hunt re-scores the whole page: RecheckService.rescoreMany), then `one`
   * per item.
   */
  private async looker(hunt: RetroHuntRow): Promise<Looker> {
    if (hunt.trigger === 'bank') {
      const bank = await this.banks.findById(hunt.bankId!);
      if (!bank) throw new PermanentJobError('bank.not_found', `The bank ${hunt.bankId} is gone`);
      const entries = await this.hunts.entryHashesSince(bank.id, hunt.entriesSince);
      const origin = `retro-hunt of bank ${bank.name}`;
      return { wants: (hashes) => near(hashes, entries, bank), prepare: async () => new Map(), one: async (_hashes, content) => this.recheck.rematch(content, origin) };
    }
    const version = await this.registry.findVersionById(hunt.modelVersionId!);
    if (!version) throw new PermanentJobError('model.not_found', `The model version ${hunt.modelVersionId} is gone`);
    const origin = `retro-hunt of ${version.modelName} version ${version.version}`;
    const actOn = this.config.analysis.retroHuntModelReview ? 'review' : 'removed';
    return {
      wants: () => true,
      prepare: async (contents) => {
        const standing = await this.labels.latestByContents(contents.map((content) => content.id));
        const cleared = new Map([...standing].map(([contentId, row]) => [contentId, new Set(row.labels.filter((l) => !l.violating).map((l) => l.policyId))]));
        return this.recheck.rescoreMany(contents, origin, cleared, actOn);
      },
      one: async (_hashes, _content, outcome) => (outcome?.by === 'model' ? outcome : null),
    };
  }

  private async record(hunt: RetroHuntRow, contentId: string, outcome: RecheckOutcome): Promise<boolean> {
    const version = hunt.modelVersionId ? await this.registry.findVersionById(hunt.modelVersionId) : undefined;
    return this.hunts.addFinding({
      huntId: hunt.id,
      contentId,
      outcome: outcome.result!.outcome,
      bankEntryId: outcome.bankEntryId,
      distance: outcome.distance,
      modelVersion: version ? `${version.modelName}@${version.version}` : null,
      score: outcome.result!.policyIds.length > 0 ? Math.max(...outcome.result!.policyIds.map((p) => outcome.scores[p] ?? 0)) || null : null,
      policyIds: outcome.result!.policyIds,
      caseId: outcome.result!.caseId,
    });
  }
}

interface Looker {
  wants(hashes: string[]): boolean;
  prepare(contents: ContentRow[]): Promise<Map<string, RecheckOutcome>>;
  one(hashes: string[], content: ContentRow, prepared: RecheckOutcome | undefined): Promise<RecheckOutcome | null>;
}

/** Whether any of an item's hashes lies within the bank's distance of a new entry. */
function near(hashes: string[], entries: Array<{ hash: string }>, bank: HashBankRow): boolean {
  return hashes.some((h) => entries.some((e) => pdqHammingDistance(h, e.hash) <= bank.pdqDistance));
}
