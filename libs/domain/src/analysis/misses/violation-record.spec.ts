import type { NearestBankedHash, Violation } from './misses.types';
import { compareViolations, fromStoredViolation, toStoredViolation } from './violation-record';

const violation = (overrides: Partial<Violation> = {}): Violation => ({
  contentId: '00000000-0000-4000-8000-000000000001',
  policyId: 'adult_nudity',
  kind: 'image',
  region: 'DE',
  language: 'de',
  uploadedAt: new Date('2026-11-01T10:00:00.000Z'),
  confirmedBy: 'report',
  confirmedAt: new Date('2026-11-02T08:30:00.000Z'),
  confirmationId: 'd-2',
  removedAt: new Date('2026-11-02T08:30:00.000Z'),
  allowed: { decisionId: 'd-1', by: 'model', at: new Date('2026-11-01T10:00:01.000Z'), actorId: null, caseSource: null },
  arrival: { score: 0.71, modelVersion: 'nsfw@1', reviewThreshold: 0.8 },
  viewsBeforeRemoval: 250,
  secondsToRemoval: 81_000,
  ...overrides,
});

describe('violation records (the rollup)', () => {
  it('round-trips a missed violation with its nearest banked hash, times as Dates again', () => {
    const nearest: NearestBankedHash = { bankId: 'b', bankName: 'known', entryId: 'e', distance: 40, bankThreshold: 31 };
    const stored = toStoredViolation(violation(), nearest);
    expect(stored).toMatchObject({ policyId: 'adult_nudity', region: 'DE', missed: true, confirmedAt: new Date('2026-11-02T08:30:00.000Z') });
    // What the database gives back is JSON: no Date survives unless revived.
    const back = fromStoredViolation(JSON.parse(JSON.stringify({ ...stored, confirmedAt: stored.confirmedAt })) as typeof stored);
    expect(back.violation).toEqual(violation());
    expect(back.violation.allowed?.at).toBeInstanceOf(Date);
    expect(back.nearest).toEqual(nearest);
  });

  it('keeps a caught violation caught, and one never removed without a removal time', () => {
    const caught = violation({ allowed: null, removedAt: null, secondsToRemoval: null, confirmedBy: 'gold' });
    const stored = toStoredViolation(caught, null);
    expect(stored.missed).toBe(false);
    expect(fromStoredViolation(JSON.parse(JSON.stringify(stored)) as typeof stored)).toEqual({ violation: caught, nearest: null });
  });

  it('orders by confirmation, then item, then policy', () => {
    const a = violation({ contentId: 'b', policyId: 'x' });
    const b = violation({ contentId: 'a', policyId: 'y' });
    const c = violation({ contentId: 'a', policyId: 'x' });
    const d = violation({ confirmedAt: new Date('2026-11-01T00:00:00.000Z'), contentId: 'z' });
    expect([a, b, c, d].sort(compareViolations)).toEqual([d, c, b, a]);
  });
});
