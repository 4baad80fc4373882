import type { MissesRepository } from '@loupe/database';
import { HashProbe, hashProbe, nearerBankedHash, withWords } from './miss-causes';
import type { NearestBankedHash, Violation } from './misses.types';

/** Banked hashes are scanned in pages of this many, so a large bank never sits in memory whole. */
const BANK_PAGE = 5_000;

export type LetThrough = Violation & { allowed: NonNullable<Violation['allowed']> };

export const violationKey = (v: { contentId: string; policyId: string }): string => `${v.contentId}/${v.policyId}`;

/**
 * For each missed item, the nearest banked hash just beyond its bank's
 * threshold, if any, by violationKey. Only matches within a bank's
 * threshold are stored, so this is computed: the missed items' hashes
 * against every block bank's hashes added before the latest of them was
 * let through, a page at a time.
 */
export async function nearestBankedHashes(records: MissesRepository, missed: LetThrough[], hashMargin: number): Promise<Map<string, NearestBankedHash>> {
  const found = new Map<string, NearestBankedHash>();
  if (missed.length === 0) return found;
  const hashes = await records.contentHashes([...new Set(missed.map((m) => m.contentId))]);
  const hashesOf = new Map<string, typeof hashes>();
  for (const h of hashes) {
    const own = hashesOf.get(h.contentId);
    if (own) own.push(h);
    else hashesOf.set(h.contentId, [h]);
  }
  const probes: HashProbe[] = missed
    .map((m) => hashProbe(m.contentId, m.policyId, m.allowed.at, hashesOf.get(m.contentId) ?? []))
    .filter((p) => p.hashes.length > 0);
  if (probes.length === 0) return found;
  const before = new Date(Math.max(...probes.map((p) => p.allowedAt.getTime())));
  for (let after = 0; ; ) {
    const page = await records.bankedHashes(before, after, BANK_PAGE);
    const banked = withWords(page);
    for (const probe of probes) {
      const nearer = nearerBankedHash(found.get(violationKey(probe)) ?? null, probe, banked, hashMargin);
      if (nearer) found.set(violationKey(probe), nearer);
    }
    if (page.length < BANK_PAGE) break;
    after = page[page.length - 1].itemId;
  }
  return found;
}
