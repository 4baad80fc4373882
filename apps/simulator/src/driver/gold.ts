/**
 * Gold checks, as a platform's quality team runs them: before the day, some
 * history items are made gold items with their true answer (POST
 * /v1/review/gold), and the default queue hands out a gold task in place of
 * real work at its gold rate (PUT /v1/review/queues/default). Loupe shows a
 * gold task like any other; the simulator knows it by its content, a
 * history item, and the moderator judges it as they judge anything.
 *
 * Without gold, every judgement Loupe can score is scored by something that
 * selects it: a consensus stands only where reviewers agreed, an appeal
 * follows a removal its creator thought wrong. Gold is the one sample of a
 * moderator's work that is scored whatever they answered.
 */
import type { LoupeHttp } from '../loupe/http';
import { ANY_POLICY, LOOKALIKE_POLICY, WorldItem } from '../world/world';
import type { GoldRecord } from './ledger';

export interface GoldLabel {
  policyId: string;
  violating: boolean;
  nuance?: string;
}

/**
 * The known answer for an item, named as a reviewer of the quality team
 * would: the policies it violates; for a benign item, the policy it looks
 * like (or one of the rest in turn) as not violating. Every policy it does
 * not name is not violated, which is how Loupe reads an answer.
 */
export function goldAnswer(item: WorldItem): GoldLabel[] {
  const nuanced = (policyId: string, violating: boolean): GoldLabel =>
    policyId === 'eating_disorder_promotion' && item.nuance ? { policyId, violating, nuance: item.nuance } : { policyId, violating };
  if (item.violates.length > 0) return item.violates.map((policyId) => nuanced(policyId, true));
  return [nuanced(LOOKALIKE_POLICY[item.category] ?? ANY_POLICY[item.index % ANY_POLICY.length], false)];
}

/** Registers the gold items (by content id, as uploaded), then sets the default queue's gold rate. */
export async function registerGold(admin: LoupeHttp, gold: ReadonlyMap<string, WorldItem>, rate: number, errors: string[]): Promise<GoldRecord> {
  const record: GoldRecord = { items: 0, rate: null, reviews: [] };
  for (const [contentId, item] of gold) {
    try {
      await admin.post('/v1/review/gold', { contentId, labels: goldAnswer(item) });
      record.items++;
    } catch (error) {
      errors.push(`gold item ${item.index}: ${(error as Error).message}`);
    }
  }
  if (record.items === 0 || rate <= 0) return record;
  try {
    const queues = await admin.get<{ id: string; name: string; description: string; policyIds: string[]; languages: string[]; regions: string[]; seniorOnly: boolean; slaMinutes: number; consensusReviews: number }[]>(
      '/v1/review/queues',
    );
    const queue = queues.find((q) => q.id === 'default');
    if (!queue) throw new Error('no default queue');
    // The queue as it is, with its gold rate: a PUT replaces the whole queue.
    const { name, description, policyIds, languages, regions, seniorOnly, slaMinutes, consensusReviews } = queue;
    await admin.put('/v1/review/queues/default', { name, description, policyIds, languages, regions, seniorOnly, slaMinutes, consensusReviews, goldRate: rate });
    record.rate = rate;
  } catch (error) {
    errors.push(`gold rate: ${(error as Error).message}`);
  }
  return record;
}
