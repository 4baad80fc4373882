import type { HashBankEntryRow, HashBankRow } from '@loupe/database';
import { decideMatches, RawMatch, withinRatio } from './match-rules';

const bank = (over: Partial<HashBankRow>): HashBankRow =>
  ({ id: 'b', name: 'b', kind: 'block', action: 'remove', enabledRatio: 1, pdqDistance: 31, ...over }) as HashBankRow;
const entry = (over: Partial<HashBankEntryRow> = {}): HashBankEntryRow => ({ id: 'e', quality: 90, ...over }) as HashBankEntryRow;
const match = (b: Partial<HashBankRow>, distance = 5, e: Partial<HashBankEntryRow> = {}): RawMatch => ({ bank: bank(b), entry: entry(e), distance });
const options = { queryQuality: 90, qualityFloor: 50, sampleKey: 'content-1' };

describe('decideMatches', () => {
  it('actions a block match, preferring remove over review and then the nearest', () => {
    const { matches, action } = decideMatches(
      [match({ id: 'r', action: 'review' }, 1), match({ id: 'far', action: 'remove' }, 20), match({ id: 'near', action: 'remove' }, 3)],
      options,
    );
    expect(matches.every((m) => m.disposition === 'actioned')).toBe(true);
    expect(action?.bank.id).toBe('near');
  });

  it('lets an allow-bank match veto every block match', () => {
    const { matches, action } = decideMatches([match({ id: 'block' }), match({ id: 'allow', kind: 'allow' })], options);
    expect(matches.map((m) => m.disposition)).toEqual(['allow_listed', 'allow_bank']);
    expect(action).toBeNull();
  });

  it('never actions a low-quality query or entry', () => {
    expect(decideMatches([match({})], { ...options, queryQuality: 49 }).action).toBeNull();
    expect(decideMatches([match({}, 5, { quality: 30 })], options).matches[0].disposition).toBe('low_quality');
  });

  it('records but does not action matches outside the enabled ratio', () => {
    expect(decideMatches([match({ enabledRatio: 0 })], options).matches[0].disposition).toBe('ratio');
  });
});

describe('withinRatio', () => {
  it('is deterministic and close to the ratio over many subjects', () => {
    expect(withinRatio('x', 'bank', 0.5)).toBe(withinRatio('x', 'bank', 0.5));
    const inside = Array.from({ length: 4000 }, (_, i) => withinRatio(`c${i}`, 'bank', 0.25)).filter(Boolean).length;
    expect(inside / 4000).toBeGreaterThan(0.2);
    expect(inside / 4000).toBeLessThan(0.3);
    expect(withinRatio('x', 'bank', 1)).toBe(true);
    expect(withinRatio('x', 'bank', 0)).toBe(false);
  });
});
