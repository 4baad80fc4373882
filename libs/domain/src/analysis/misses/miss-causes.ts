import type { BankedHashRecord } from '@loupe/database';
import { pdqHammingDistanceWords, pdqHexToWords } from '@loupe/hashing';
import type { SignalType } from '@loupe/vocabulary';
import type { MissCause, MissEvidence, NearestBankedHash, Violation } from './misses.types';

export interface CauseOptions {
  /** A score this close under the review threshold is near it; further under, the model did not see the item. */
  margin: number;
  /** A banked hash at most this many bits beyond its bank's threshold makes the item a hash variant. */
  hashMargin: number;
}

export const DEFAULT_CAUSE_OPTIONS: CauseOptions = { margin: 0.1, hashMargin: 15 };

/** A missed item's perceptual hashes, in word form, and what a banked hash must precede to count. */
export interface HashProbe {
  contentId: string;
  policyId: string;
  allowedAt: Date;
  /** `allowedAt` in milliseconds, compared against every banked hash. */
  allowedMs: number;
  hashes: { signalType: SignalType; words: Uint32Array }[];
}

/**
 * A banked hash with its word form and its times in milliseconds (a null
 * quarantine as never), converted once per page for every probe.
 */
export type BankedHashWords = BankedHashRecord & { words: Uint32Array; createdMs: number; updatedMs: number; quarantinedMs: number };

export function withWords(page: BankedHashRecord[]): BankedHashWords[] {
  return page.map((banked) => ({
    ...banked,
    words: pdqHexToWords(banked.hash),
    createdMs: banked.entryCreatedAt.getTime(),
    updatedMs: banked.entryUpdatedAt.getTime(),
    quarantinedMs: banked.quarantinedAt === null ? Infinity : banked.quarantinedAt.getTime(),
  }));
}

export function hashProbe(contentId: string, policyId: string, allowedAt: Date, hashes: { signalType: SignalType; hash: string }[]): HashProbe {
  return {
    contentId,
    policyId,
    allowedAt,
    allowedMs: allowedAt.getTime(),
    hashes: hashes.map((h) => ({ signalType: h.signalType, words: pdqHexToWords(h.hash) })),
  };
}

/**
 * The nearer of `current` and the page's banked hashes just beyond their
 * bank's threshold (by at most `hashMargin` bits), among those that could
 * have matched when the item was let through: a block bank's entry for
 * the policy (or for any), added before, live then (not yet disabled or
 * quarantined), and not the item's own (its removal banks it). For a
 * video the distance is the nearest pair of frames, not vPDQ's bag-of-frames
 * match: it says how near the banked video came, not that it would match.
 */
export function nearerBankedHash(current: NearestBankedHash | null, probe: HashProbe, page: BankedHashWords[], hashMargin: number): NearestBankedHash | null {
  let best = current;
  let bestBeyond = best ? best.distance - best.bankThreshold : Infinity;
  const allowedMs = probe.allowedMs;
  for (const banked of page) {
    if (banked.createdMs >= allowedMs || banked.entryContentId === probe.contentId) continue;
    if (banked.bankPolicyId !== null && banked.bankPolicyId !== probe.policyId) continue;
    if (!banked.entryEnabled && banked.updatedMs <= allowedMs) continue;
    if (banked.quarantinedMs <= allowedMs) continue;
    for (const hash of probe.hashes) {
      if (hash.signalType !== banked.signalType) continue;
      const distance = pdqHammingDistanceWords(hash.words, banked.words);
      const beyond = distance - banked.pdqDistance;
      // Within the threshold it matched (and was not actioned for another reason): not a variant beyond it.
      if (beyond <= 0 || beyond > hashMargin) continue;
      if (!best || beyond < bestBeyond || (beyond === bestBeyond && distance < best.distance)) {
        best = { bankId: banked.bankId, bankName: banked.bankName, entryId: banked.entryId, distance, bankThreshold: banked.pdqDistance };
        bestBeyond = beyond;
      }
    }
  }
  return best;
}

/**
 * One cause per missed item and policy, the first that applies:
 * a moderator let it through (human error); a banked hash lay just beyond
 * its bank's threshold (hash variant); no model scored the policy (no
 * model); the score fell within `margin` under the review threshold (near
 * threshold); else the model scored it low (blind spot). A human saw the
 * item, and a near-banked copy is known content, whatever the model said;
 * so those come first.
 */
export function attributeCause(
  missed: Violation & { allowed: NonNullable<Violation['allowed']> },
  nearestHash: NearestBankedHash | null,
  fallbackReviewThreshold: number | null,
  options: CauseOptions = DEFAULT_CAUSE_OPTIONS,
): { cause: MissCause; evidence: MissEvidence } {
  const { allowed, arrival } = missed;
  if (allowed.by === 'human') {
    return {
      cause: 'human_error',
      evidence: {
        cause: 'human_error',
        allowDecisionId: allowed.decisionId,
        moderatorId: allowed.actorId,
        allowedAt: allowed.at.toISOString(),
        reviewedOn: allowed.caseSource,
        overturnedBy: missed.confirmedBy,
        confirmationId: missed.confirmationId,
      },
    };
  }
  if (nearestHash) {
    return { cause: 'hash_variant', evidence: { cause: 'hash_variant', ...nearestHash, bitsBeyond: nearestHash.distance - nearestHash.bankThreshold } };
  }
  const threshold = arrival.reviewThreshold ?? fallbackReviewThreshold;
  if (arrival.score === null || threshold === null) {
    return { cause: 'no_model', evidence: { cause: 'no_model', policyId: missed.policyId, scoredBy: arrival.modelVersion } };
  }
  const score = arrival.score;
  if (score >= threshold - options.margin) {
    return {
      cause: 'near_threshold',
      evidence: { cause: 'near_threshold', score, reviewThreshold: threshold, margin: options.margin, belowBy: round(threshold - score), modelVersion: arrival.modelVersion },
    };
  }
  return { cause: 'blind_spot', evidence: { cause: 'blind_spot', score, reviewThreshold: threshold, margin: options.margin, modelVersion: arrival.modelVersion, kind: missed.kind } };
}

/** The score's band, tenths: [0.7, 0.8) is "0.7-0.8", and 1 falls in the top band; "none" when unscored. */
export function scoreBand(score: number | null): string {
  if (score === null) return 'none';
  const tenth = Math.min(9, Math.max(0, Math.floor(score * 10 + 1e-9)));
  return `${(tenth / 10).toFixed(1)}-${((tenth + 1) / 10).toFixed(1)}`;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
