import { cosine, leaderClusters, newVisualClusters, normalise, type ItemVector } from './visual-clusters';
import { seededRandom } from '@loupe/common';

const rng = seededRandom(7);
const randomVector = () => Array.from({ length: 64 }, () => rng());
/** A point within a small angle of `base`. */
const near = (base: number[]) => base.map((x) => x + (rng() - 0.5) * 0.05);
let n = 0;
const item = (vector: number[], minutes: number, policyIds = ['adult_nudity']): ItemVector => ({ contentId: `c${++n}`, postedAt: new Date(Date.UTC(2026, 11, 1, 10) + minutes * 60_000), vector, policyIds });

describe('cosine and leader clustering', () => {
  it('measures direction, not length', () => {
    expect(cosine([1, 0], [2, 0])).toBeCloseTo(1);
    expect(cosine([1, 0], [0, 3])).toBeCloseTo(0);
    expect(cosine([0, 0], [1, 1])).toBe(0);
  });

  it('puts each item with the first leader it resembles, oldest first', () => {
    const units = [[1, 0], [0.99, 0.1], [0, 1], [0.05, 1]].map(normalise);
    expect(leaderClusters(units, 0.9)).toEqual([{ leader: 0, members: [0, 1] }, { leader: 2, members: [2, 3] }]);
  });
});

describe('newVisualClusters', () => {
  // Make the random vectors less alike: centred, the way different pictures differ.
  const centred = () => randomVector().map((x) => x - 0.5);

  it('reports a cluster of recent items with no counterpart before, keyed by its oldest item', () => {
    const fresh = centred();
    const old = centred();
    const recent = [item(near(fresh), 5), item(near(fresh), 1), item(near(fresh), 9, ['violent_extremism']), item(near(old), 2), item(near(old), 3), item(near(old), 4), item(centred(), 6)];
    const baseline = [item(near(old), -600)];
    const [cluster, ...others] = newVisualClusters(recent, baseline);
    expect(others).toEqual([]);
    expect(cluster).toMatchObject({ kind: 'visual_cluster', subject: `cluster:${recent[1].contentId}`, count: 3, baseline: 0, policyId: 'adult_nudity' });
    expect(cluster.contentIds).toEqual([recent[1], recent[0], recent[2]].map((i) => i.contentId));
    expect(cluster.firstSeenAt).toEqual(new Date(Date.UTC(2026, 11, 1, 10)));
    expect(cluster.evidence.minSimilarity as number).toBeGreaterThan(0.9);
  });

  it('needs the minimum size', () => {
    const fresh = centred();
    expect(newVisualClusters([item(near(fresh), 1), item(near(fresh), 2)], [])).toEqual([]);
    expect(newVisualClusters([item(near(fresh), 1), item(near(fresh), 2)], [], { minSize: 2 })).toHaveLength(1);
  });
});
