import { dominant, HOUR_MS, type TrendCandidate } from './trend-bins';

export interface ItemVector {
  readonly contentId: string;
  readonly postedAt: Date;
  readonly vector: readonly number[];
  readonly policyIds: readonly string[];
}

export interface VisualClusterOptions {
  /** Cosine similarity at or above which two items look alike. */
  readonly threshold: number;
  /** Items a cluster needs before it is a trend. */
  readonly minSize: number;
  readonly maxItems?: number;
}

/**
 * Chosen for the pooled 1280-wide MobileNetV2 features the classifier
 * stores: they are non-negative (after ReLU), so unrelated images already
 * share a good part of their direction; 0.9 keeps near-duplicates, crops and
 * re-encodes of one picture together and lets different pictures apart.
 */
export const VISUAL_CLUSTER_DEFAULTS: VisualClusterOptions = { threshold: 0.9, minSize: 3 };

export function normalise(vector: readonly number[]): Float64Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  const out = new Float64Array(vector.length);
  if (norm === 0) return out;
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i] * inv;
  return out;
}

/** Cosine of two unit vectors. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  return dot(normalise(a), normalise(b));
}

export interface Cluster {
  /** The item that founded it (the oldest): the cluster's key. */
  readonly leader: number;
  readonly members: number[];
}

/**
 * Leader clustering, oldest item first: an item joins the first cluster
 * whose leader it is at least `threshold` alike to, else founds one. One
 * pass, and the same items always give the same clusters and leaders, so a
 * later scan names a cluster as the earlier one did.
 */
export function leaderClusters(units: readonly Float64Array[], threshold: number): Cluster[] {
  const clusters: Cluster[] = [];
  for (let i = 0; i < units.length; i++) {
    const home = clusters.find((c) => dot(units[c.leader], units[i]) >= threshold);
    if (home) home.members.push(i);
    else clusters.push({ leader: i, members: [i] });
  }
  return clusters;
}

/**
 * New visual clusters: clusters of at least `minSize` recent violating
 * items with no baseline item within the threshold of any member (a picture
 * that was already being removed before is not new, however often it comes
 * back; a bank surge shows that). Vectors of different lengths (another
 * backbone) are the caller's to keep apart.
 */
export function newVisualClusters(recent: readonly ItemVector[], baseline: readonly ItemVector[], options: Partial<VisualClusterOptions> = {}): TrendCandidate[] {
  const o = { ...VISUAL_CLUSTER_DEFAULTS, ...options };
  const ordered = [...recent].sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime() || (a.contentId < b.contentId ? -1 : 1));
  const units = ordered.map((item) => normalise(item.vector));
  const base = baseline.map((item) => normalise(item.vector));
  const candidates: TrendCandidate[] = [];
  for (const cluster of leaderClusters(units, o.threshold)) {
    if (cluster.members.length < o.minSize) continue;
    let nearestBaseline = -1;
    for (const m of cluster.members) for (const b of base) nearestBaseline = Math.max(nearestBaseline, dot(units[m], b));
    if (nearestBaseline >= o.threshold) continue;
    const members = cluster.members.map((m) => ordered[m]);
    const similarities = cluster.members.map((m) => dot(units[cluster.leader], units[m]));
    const policy = dominant(members.flatMap((m) => m.policyIds));
    const hour = (d: Date) => new Date(Math.floor(d.getTime() / HOUR_MS) * HOUR_MS);
    candidates.push({
      kind: 'visual_cluster',
      subject: `cluster:${ordered[cluster.leader].contentId}`,
      policyId: policy.value,
      firstSeenAt: hour(members[0].postedAt),
      lastSeenAt: hour(members[members.length - 1].postedAt),
      count: members.length,
      // No counterpart in the baseline: nothing predicted it, and a pseudo-count of 1 keeps the lift finite.
      baseline: 0,
      lift: members.length,
      contentIds: members.slice(0, o.maxItems ?? 500).map((m) => m.contentId),
      evidence: {
        leader: ordered[cluster.leader].contentId,
        items: members.length,
        threshold: o.threshold,
        minSimilarity: Math.min(...similarities),
        nearestBaselineSimilarity: nearestBaseline < 0 ? null : nearestBaseline,
        baselineItems: baseline.length,
        policies: policy.counts,
      },
    });
  }
  return candidates;
}
