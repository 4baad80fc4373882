/**
 * The platform's history, before simulated 0. A platform adopting Loupe has
 * moderated before: its users reported, its moderators labelled, and its
 * existing policies have data a model can learn from. The simulator plays
 * that day through the same public API, quickly and outside simulated time:
 * it uploads the history items (posted the day before), reports the ones
 * Loupe allows (users reported what they saw: the violations under their
 * policy, the look-alikes under the policy they resemble, the rest under a
 * policy in turn), and has the moderators claim and decide every task, with
 * their accuracies. The driver then trains on those labels at simulated 0.
 * Only the trend is new to Loupe when the day starts.
 */
import type { LoupeHttp } from '../loupe/http';
import { ANY_POLICY, HOUR, LOOKALIKE_POLICY, MINUTE, WorldItem } from '../world/world';
import { pool } from './concurrency';
import type { DecisionFeed } from './decision-feed';
import type { HistoryRecord } from './ledger';
import { judge, Moderator } from './moderators';
import { uploadAndSettle } from './upload';

export interface HistoryContext {
  items: WorldItem[];
  service: LoupeHttp;
  /** Loupe's decisions by webhook; null: poll. */
  feed: DecisionFeed | null;
  moderators: Moderator[];
  /** The wall time of a simulated instant (negative: before the run). */
  wall(sim: number): Date;
  concurrency: number;
  log(line: string): void;
  errors: string[];
  /** Filled with every history item uploaded, by content id (gold tasks show them again later). */
  contents: Map<string, WorldItem>;
}

/** History items played at a time: upload, report, review, then the next. */
const CHUNK = 50;

export async function playHistory(ctx: HistoryContext): Promise<HistoryRecord> {
  const started = Date.now();
  const record: HistoryRecord = { items: ctx.items.length, uploaded: 0, ingest: {}, reported: 0, reviews: [], leftOpen: 0, realSeconds: 0 };
  // In time order, a chunk at a time: the labels come in the order the day before gave them, every policy's spread
  // over it, as a forward test split expects (not one policy after another, by the queue's priorities).
  for (let from = 0; from < ctx.items.length; from += CHUNK) {
    const chunk = ctx.items.slice(from, from + CHUNK);
    const byContent = new Map<string, WorldItem>();
    const allowed: { id: string; item: WorldItem }[] = [];
    await pool(chunk, ctx.concurrency, async (item) => {
      try {
        const { id, content } = await uploadAndSettle(ctx.service, item, ctx.wall(item.uploadAt), ctx.feed);
        byContent.set(id, item);
        ctx.contents.set(id, item);
        record.uploaded++;
        record.ingest[content.status] = (record.ingest[content.status] ?? 0) + 1;
        if (content.status === 'allowed') allowed.push({ id, item });
      } catch (error) {
        ctx.errors.push(`history upload ${item.index}: ${(error as Error).message}`);
      }
    });
    await reportAllowed(ctx, allowed, record);
    await reviewAll(ctx, byContent, record);
    ctx.log(`history: ${record.uploaded} of ${record.items} uploaded, ${record.reported} reported, ${record.reviews.length} reviews, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  record.realSeconds = (Date.now() - started) / 1000;
  return record;
}

/** Users report what they saw: violations under their policy, look-alikes under the one they resemble, ordinary items under three policies in turn (so every policy has not-violating labels too). */
async function reportAllowed(ctx: HistoryContext, allowed: { id: string; item: WorldItem }[], record: HistoryRecord): Promise<void> {
  const reports = allowed
    .sort((a, b) => a.item.index - b.item.index)
    .flatMap(({ id, item }) => {
      const named = item.violates[0] ?? LOOKALIKE_POLICY[item.category];
      const policies = named ? [named] : [0, 2, 4].map((k) => ANY_POLICY[(item.index + k) % ANY_POLICY.length]);
      return policies.map((policyId) => ({ id, item, policyId }));
    });
  await pool(reports, 4, async ({ id, item, policyId }) => {
    try {
      await ctx.service.post(`/v1/contents/${id}/reports`, {
        policyId,
        reason: 'reported by a simulated user (history)',
        reporterRef: `sim-user-h${item.index}-${policyId}`,
        reportedAt: ctx.wall(Math.min(item.uploadAt + 30 * MINUTE, -HOUR / 2)).toISOString(),
      });
      record.reported++;
    } catch (error) {
      ctx.errors.push(`history report ${item.index}: ${(error as Error).message}`);
    }
  });
}

/**
 * The moderators in turn claim and decide until none gets a history task.
 * Consensus cases come back for a second moderator; the round bound keeps a
 * deployment whose queue never empties from holding the run.
 */
async function reviewAll(ctx: HistoryContext, byContent: Map<string, WorldItem>, record: HistoryRecord): Promise<void> {
  const { moderators } = ctx;
  let idle = 0;
  const bound = byContent.size * 4 + moderators.length;
  for (let k = 0; k < bound && idle < moderators.length; k++) {
    const m = moderators[k % moderators.length];
    let task: any = null;
    try {
      const answer = await m.http.send<any>('GET', '/v1/review/next', undefined, [200, 204, 423]);
      if (answer.status === 200) task = answer.body;
    } catch (error) {
      ctx.errors.push(`history claim by ${m.profile.name}: ${(error as Error).message}`);
    }
    const item = task ? byContent.get(task.content.id) : undefined;
    if (!task || !item) {
      // Nothing for them, a wellbeing break, or not a history item (a shared deployment): given back.
      if (task) await m.http.post(`/v1/review/tasks/${task.id}/release`, { reason: 'simulator: not history content' }).catch(() => undefined);
      idle++;
      continue;
    }
    idle = 0;
    const { labels, correct } = judge(m, item, task.policyIds ?? [], m.draws(item.index, `history:${task.source}`));
    try {
      await m.http.post(`/v1/review/tasks/${task.id}/decision`, { labels, note: 'simulated review (history)' });
      record.reviews.push({ moderator: m.profile.name, source: task.source, correct, labels: labels.map((l) => ({ policyId: l.policyId, violating: l.violating, truth: item.violates.includes(l.policyId) })) });
    } catch (error) {
      ctx.errors.push(`history decision by ${m.profile.name} on ${item.index}: ${(error as Error).message}`);
    }
  }
}
