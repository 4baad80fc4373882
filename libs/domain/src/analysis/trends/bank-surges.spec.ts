import { bankSurgeCandidates, type MatchEvent } from './bank-surges';
import { hourBins, HOUR_MS } from './trend-bins';

const START = Date.UTC(2026, 11, 1);
const at = (hour: number) => new Date(START + hour * HOUR_MS + 60_000);

describe('bankSurgeCandidates', () => {
  const bins = hourBins(new Date(START + 24 * HOUR_MS), 24);
  const uploads = new Map(Array.from({ length: 24 }, (_, h) => [h, h === 20 ? 12 : 4] as [number, number]));
  let n = 0;
  const match = (hour: number, entryId: string, bankId = 'b1'): MatchEvent => ({ contentId: `c${++n}`, entryId, bankId, at: at(hour) });

  it('flags the entry and the bank whose share of the uploads jumps, not the one that matches steadily', () => {
    const matches = [
      ...Array.from({ length: 24 }, (_, h) => match(h, 'steady', 'b2')),
      ...Array.from({ length: 8 }, () => match(20, 'wave')),
    ];
    const candidates = bankSurgeCandidates(matches, uploads, bins, [{ id: 'b1', name: 'csam-hashes', policyId: 'child_safety' }, { id: 'b2', name: 'spam', policyId: 'spam' }]);
    expect(candidates.map((c) => c.subject).sort()).toEqual(['bank:b1', 'entry:wave']);
    const entry = candidates.find((c) => c.subject === 'entry:wave')!;
    expect(entry).toMatchObject({ kind: 'bank_surge', policyId: 'child_safety', count: 8, firstSeenAt: new Date(START + 20 * HOUR_MS) });
    expect(entry.contentIds).toHaveLength(8);
    expect(entry.evidence).toMatchObject({ scope: 'entry', bankId: 'b1', bankName: 'csam-hashes', entryId: 'wave', items: 8 });
  });

  it('counts an item once per bank however many of its entries it matched', () => {
    const matches = Array.from({ length: 8 }, (_, i) => [
      { contentId: `x${i}`, entryId: 'e1', bankId: 'b1', at: at(20) },
      { contentId: `x${i}`, entryId: 'e2', bankId: 'b1', at: at(20) },
    ]).flat();
    const bank = bankSurgeCandidates(matches, uploads, bins, []).find((c) => c.subject === 'bank:b1')!;
    expect(bank.count).toBe(8);
    expect(bank.policyId).toBeNull();
  });
});
