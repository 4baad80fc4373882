import type { RemovalRecord } from '@loupe/database';
import { ALL, transparencyCsv, transparencyFigures } from './transparency-figures';

const HOUR = 3_600_000;
const t0 = new Date('2026-12-01T00:00:00Z').getTime();
const removal = (over: Partial<RemovalRecord> & { contentId: string }): RemovalRecord => ({
  decisionId: `d-${over.contentId}`,
  kind: 'image',
  region: 'DE',
  language: 'de',
  caseSource: null,
  policyIds: ['adult_nudity'],
  source: 'model',
  reason: 'r',
  uploadedAt: new Date(t0),
  postedAt: new Date(t0),
  removedAt: new Date(t0 + HOUR),
  reportedBefore: false,
  viewsAtRemoval: 0,
  ...over,
});

describe('transparencyFigures', () => {
  const rows = transparencyFigures(
    [
      // Proactive, before any view, within a day.
      removal({ contentId: 'a', source: 'hash' }),
      // By the model, but after a report and 50 views: neither proactive nor before any view.
      removal({ contentId: 'b', reportedBefore: true, viewsAtRemoval: 50, removedAt: new Date(t0 + 3 * HOUR) }),
      // By a moderator, two days after upload, in France, under two policies.
      removal({ contentId: 'c', source: 'human', region: 'FR', policyIds: ['adult_nudity', 'hate_symbols'], removedAt: new Date(t0 + 48 * HOUR) }),
    ],
    [{ contentId: 'c', region: 'FR', policyIds: ['adult_nudity', 'hate_symbols'], at: new Date(t0 + 50 * HOUR) }],
    [{ contentId: 'c', region: 'FR', policyIds: ['adult_nudity', 'hate_symbols'], at: new Date(t0 + 60 * HOUR) }],
  );
  const row = (policyId: string, country: string) => rows.find((r) => r.policyId === policyId && r.country === country)!;

  it('counts every item once in the totals', () => {
    expect(rows[0]).toMatchObject({ policyId: ALL, country: ALL });
    expect(row(ALL, ALL)).toEqual({
      policyId: ALL,
      country: ALL,
      removed: 3,
      proactive: 1,
      proactiveShare: 1 / 3,
      removedBeforeAnyView: 2,
      removedBeforeAnyViewShare: 2 / 3,
      removedWithin24h: 2,
      removedWithin24hShare: 2 / 3,
      automated: 2,
      automatedShare: 2 / 3,
      humanReviewed: 1,
      appeals: 1,
      reinstatements: 1,
      medianSecondsToAction: 3 * 3600,
    });
  });

  it('splits by policy and country; an item under two policies counts in both', () => {
    expect(row('adult_nudity', ALL)).toMatchObject({ removed: 3 });
    expect(row('hate_symbols', ALL)).toMatchObject({ removed: 1, humanReviewed: 1, appeals: 1, reinstatements: 1, removedWithin24h: 0 });
    expect(row('adult_nudity', 'DE')).toMatchObject({ removed: 2, proactive: 1, appeals: 0 });
    expect(row(ALL, 'FR')).toMatchObject({ removed: 1, medianSecondsToAction: 48 * 3600 });
  });

  it('writes CSV with a header and empty cells for undefined shares', () => {
    const csv = transparencyCsv(transparencyFigures([], [{ contentId: 'x', region: 'DE', policyIds: ['spam'], at: new Date(t0) }], []));
    const [header, first] = csv.trim().split('\n');
    expect(header.split(',')).toContain('removedBeforeAnyViewShare');
    expect(first).toBe('*,*,0,0,,0,,0,,0,,0,1,0,');
  });
});
