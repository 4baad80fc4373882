import { createHash } from 'node:crypto';
import type { HashBankEntryRow, HashBankRow } from '@loupe/database';
import type { BankAction } from '@loupe/vocabulary';

export type MatchDisposition =
  /** A block match that takes effect. */
  | 'actioned'
  /** A block match vetoed by an allow-bank match on the same query. */
  | 'allow_listed'
  /** Outside the bank's enabled ratio: recorded, not actioned. */
  | 'ratio'
  /** The query or the entry is below the PDQ quality floor: too flat to trust. */
  | 'low_quality'
  /** A match in an allow bank itself; allow banks never action. */
  | 'allow_bank';

export interface RawMatch {
  bank: HashBankRow;
  entry: HashBankEntryRow;
  distance: number;
  queryMatchPercent?: number;
  comparedMatchPercent?: number;
}

export interface DecidedMatch extends RawMatch {
  disposition: MatchDisposition;
}

/**
 * Whether a subject falls inside a bank's enabled ratio. Deterministic, so
 * the same content is treated the same way by every process and on retry.
 */
export function withinRatio(sampleKey: string, bankId: string, ratio: number): boolean {
  if (ratio >= 1) return true;
  if (ratio <= 0) return false;
  const digest = createHash('sha256').update(`${bankId}:${sampleKey}`).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000 < ratio;
}

const ACTION_STRENGTH: Record<BankAction, number> = { review: 1, remove: 2 };

/**
 * Decides what each raw match does. Allow banks win over block banks, then
 * low quality and the enabled ratio keep a match from acting. Returns the
 * matches with their disposition and the strongest action among the actioned.
 */
export function decideMatches(
  matches: RawMatch[],
  options: { queryQuality: number; qualityFloor: number; sampleKey: string },
): { matches: DecidedMatch[]; action: DecidedMatch | null } {
  const allowListed = matches.some((m) => m.bank.kind === 'allow');
  const decided = matches.map<DecidedMatch>((m) => {
    if (m.bank.kind === 'allow') return { ...m, disposition: 'allow_bank' };
    if (allowListed) return { ...m, disposition: 'allow_listed' };
    if (options.queryQuality < options.qualityFloor || m.entry.quality < options.qualityFloor) return { ...m, disposition: 'low_quality' };
    if (!withinRatio(options.sampleKey, m.bank.id, m.bank.enabledRatio)) return { ...m, disposition: 'ratio' };
    return { ...m, disposition: 'actioned' };
  });
  let action: DecidedMatch | null = null;
  for (const m of decided) {
    if (m.disposition !== 'actioned') continue;
    if (
      !action ||
      ACTION_STRENGTH[m.bank.action] > ACTION_STRENGTH[action.bank.action] ||
      (m.bank.action === action.bank.action && m.distance < action.distance)
    ) {
      action = m;
    }
  }
  return { matches: decided, action };
}
