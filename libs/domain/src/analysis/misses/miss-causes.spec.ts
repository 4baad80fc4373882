import type { BankedHashRecord } from '@loupe/database';
import { attributeCause, BankedHashWords, hashProbe, nearerBankedHash, scoreBand, withWords } from './miss-causes';
import type { NearestBankedHash, Violation } from './misses.types';
import { at } from './testing/miss-history';

/** A hash `bits` bits away from `hash` (the last ones flipped). */
function flip(hash: string, bits: number): string {
  const nibbles = hash.split('').map((c) => parseInt(c, 16));
  for (let bit = 0; bit < bits; bit++) nibbles[63 - Math.floor(bit / 4)] ^= 1 << bit % 4;
  return nibbles.map((n) => n.toString(16)).join('');
}

const HASH = 'f8f8f0cee0f4a84f06370a32038f67f0b36e2ed596623e1d33e6339c4e9c9b22';

const missed = (over: Partial<Violation> = {}): Violation & { allowed: NonNullable<Violation['allowed']> } => ({
  contentId: 'a',
  policyId: 'adult_nudity',
  kind: 'image',
  region: 'DE',
  language: 'de',
  uploadedAt: at(0),
  confirmedBy: 'report',
  confirmedAt: at(30),
  confirmationId: 'rm',
  removedAt: at(30),
  allowed: { decisionId: 'allow', by: 'model', at: at(1), actorId: null, caseSource: null },
  arrival: { score: 0.78, modelVersion: 'nsfwjs@1', reviewThreshold: 0.85 },
  viewsBeforeRemoval: 0,
  secondsToRemoval: 1800,
  ...(over as object),
}) as Violation & { allowed: NonNullable<Violation['allowed']> };

const banked = (hash: string, over: Partial<BankedHashRecord> = {}): BankedHashWords => withWords([record(hash, over)])[0];
const record = (hash: string, over: Partial<BankedHashRecord> = {}): BankedHashRecord => ({
  itemId: 1,
  entryId: 'e1',
  signalType: 'pdq',
  hash,
  entryContentId: null,
  entryCreatedAt: at(-60),
  entryEnabled: true,
  entryUpdatedAt: at(-60),
  quarantinedAt: null,
  bankId: 'b1',
  bankName: 'known',
  bankPolicyId: 'adult_nudity',
  pdqDistance: 10,
  ...over,
});

describe('attributeCause', () => {
  const options = { margin: 0.1, hashMargin: 15 };
  const variant: NearestBankedHash = { bankId: 'b1', bankName: 'known', entryId: 'e1', distance: 20, bankThreshold: 10 };

  it('blames a moderator who let the item through first, whatever the model and the banks said', () => {
    const item = missed({ allowed: { decisionId: 'allow', by: 'human', at: at(5), actorId: 'alice', caseSource: 'model' } });
    expect(attributeCause(item, variant, 0.85, options)).toEqual({
      cause: 'human_error',
      evidence: { cause: 'human_error', allowDecisionId: 'allow', moderatorId: 'alice', allowedAt: at(5).toISOString(), reviewedOn: 'model', overturnedBy: 'report', confirmationId: 'rm' },
    });
  });

  it('names a banked hash just beyond its bank’s threshold before any score', () => {
    expect(attributeCause(missed(), variant, 0.85, options)).toEqual({ cause: 'hash_variant', evidence: { cause: 'hash_variant', ...variant, bitsBeyond: 10 } });
  });

  it('says no model when none scored the policy', () => {
    const item = missed({ policyId: 'graphic_violence', arrival: { score: null, modelVersion: 'nsfwjs@1', reviewThreshold: null } });
    expect(attributeCause(item, null, 0.5, options)).toEqual({ cause: 'no_model', evidence: { cause: 'no_model', policyId: 'graphic_violence', scoredBy: 'nsfwjs@1' } });
  });

  it('tells a score within the margin under the threshold in force from a low one, the margin inclusive', () => {
    expect(attributeCause(missed(), null, 0.6, options)).toEqual({
      cause: 'near_threshold',
      evidence: { cause: 'near_threshold', score: 0.78, reviewThreshold: 0.85, margin: 0.1, belowBy: 0.07, modelVersion: 'nsfwjs@1' },
    });
    expect(attributeCause(missed({ arrival: { score: 0.75, modelVersion: 'm', reviewThreshold: 0.85 } }), null, 0.6, options).cause).toBe('near_threshold');
    expect(attributeCause(missed({ arrival: { score: 0.2, modelVersion: 'm', reviewThreshold: 0.85 }, kind: 'video' }), null, 0.6, options)).toEqual({
      cause: 'blind_spot',
      evidence: { cause: 'blind_spot', score: 0.2, reviewThreshold: 0.85, margin: 0.1, modelVersion: 'm', kind: 'video' },
    });
    // Without the thresholds of the time, today's.
    expect(attributeCause(missed({ arrival: { score: 0.55, modelVersion: 'm', reviewThreshold: null } }), null, 0.6, options).cause).toBe('near_threshold');
  });
});

describe('nearerBankedHash', () => {
  const probe = hashProbe('a', 'adult_nudity', at(1), [{ signalType: 'pdq', hash: HASH }]);

  it('finds a banked hash beyond the threshold by up to the margin, and not one within it or further', () => {
    expect(nearerBankedHash(null, probe, [banked(flip(HASH, 25))], 15)).toEqual({ bankId: 'b1', bankName: 'known', entryId: 'e1', distance: 25, bankThreshold: 10 });
    expect(nearerBankedHash(null, probe, [banked(flip(HASH, 26))], 15)).toBeNull();
    expect(nearerBankedHash(null, probe, [banked(flip(HASH, 10))], 15)).toBeNull();
    expect(nearerBankedHash(null, probe, [banked(flip(HASH, 11))], 15)?.distance).toBe(11);
  });

  it('keeps the one least beyond its own bank’s threshold, across pages', () => {
    const first = nearerBankedHash(null, probe, [banked(flip(HASH, 20), { entryId: 'far' })], 15);
    const second = nearerBankedHash(first, probe, [banked(flip(HASH, 24), { entryId: 'loose', pdqDistance: 20 }), banked(flip(HASH, 22), { entryId: 'worse' })], 15);
    expect(second).toMatchObject({ entryId: 'loose', distance: 24, bankThreshold: 20 });
  });

  it('ignores entries the item could not have met: later, its own, another policy’s, disabled or quarantined before, another signal', () => {
    const near = flip(HASH, 15);
    for (const over of [
      { entryCreatedAt: at(2) },
      { entryContentId: 'a' },
      { bankPolicyId: 'spam' },
      { entryEnabled: false, entryUpdatedAt: at(0) },
      { quarantinedAt: at(0) },
      { signalType: 'vpdq' as const },
    ]) {
      expect(nearerBankedHash(null, probe, [banked(near, over)], 15)).toBeNull();
    }
    // Disabled after the item passed, or a bank for every policy: it was there to match.
    expect(nearerBankedHash(null, probe, [banked(near, { entryEnabled: false, entryUpdatedAt: at(5) })], 15)).not.toBeNull();
    expect(nearerBankedHash(null, probe, [banked(near, { bankPolicyId: null })], 15)).not.toBeNull();
  });
});

describe('scoreBand', () => {
  it('bands scores by tenths, 1 in the top band', () => {
    expect([0, 0.05, 0.1, 0.78, 0.8, 0.99, 1, null].map(scoreBand)).toEqual(['0.0-0.1', '0.0-0.1', '0.1-0.2', '0.7-0.8', '0.8-0.9', '0.9-1.0', '0.9-1.0', 'none']);
  });
});
