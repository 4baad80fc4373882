/*
 * The cost model behind the adaptive method, from bench/index.bench.ts and
 * the kernel measurements on the reference machine (2-core AMD EPYC Zen 3 at
 * 2.45 GHz, node 20). Only the ratios matter: they decide, per segment and
 * per search, whether MIH's exact candidate count is worth visiting.
 *
 * - A scan costs per entry and per group of 8 queries about 6.3 ns with the
 *   128-bit prefix test (t <= 47), 8.4 ns with 192 bits (t <= 79) and 15.8 ns
 *   for the full distance; a query outside a group of 8 is a pass of its own
 *   at 1.3 / 1.8 / 2.1 ns per entry (assembly/scan.ts, fewBelow).
 * - MIH costs per candidate (a random read of the entry's prefix, which a
 *   scan reads in order, plus its share of bucket reads): 16 ns in a lone
 *   1M-entry segment with warm tables, 30 to 40 ns in the benchmark's shards
 *   (500K to 5M entries, two threads sharing the L3). 32 ns is used.
 * - Planning and bucket reads cost a few microseconds per query and segment
 *   (272 bucket reads at t = 31), charged as a fixed 5 us.
 *
 * With uniform hashes at t = 31 MIH visits 272 buckets per query, about
 * 0.4% of the entries per query, and answers 4 to 6 times faster than the
 * scan in the benchmark (1M and 10M hashes); at t = 47 the two are close; at
 * t >= 63 (radius 3 in every slot) MIH would visit more entries than there
 * are (forced, it is 6x slower than the scan), and the planner, handed the
 * break-even count as a limit, gives up after a few buckets. On skewed data
 * the planner steers around crowded bucket values, and when it cannot, the
 * count says so and the segment is scanned: the reference tracker's "a scan
 * is 6x faster than MIH on real data" is honoured where it holds without
 * giving up MIH where it does not.
 */

const SCAN_NS_PER_ENTRY_GROUP: Record<number, number> = { 128: 6.3, 192: 8.4, 256: 15.8 };
const SCAN_NS_PER_ENTRY_SINGLE: Record<number, number> = { 128: 1.3, 192: 1.8, 256: 2.1 };
const MIH_NS_PER_CANDIDATE = 32;
const MIH_NS_PER_QUERY_PLAN = 5000;

export function scanPrefixBits(maxDistance: number): 128 | 192 | 256 {
  // Mirrors scanPrefixBits in assembly/scan.ts.
  return maxDistance <= 47 ? 128 : maxDistance <= 79 ? 192 : 256;
}

/** Estimated nanoseconds for scanning `entries` with `queries` queries. */
export function scanCostNs(entries: number, queries: number, maxDistance: number): number {
  const bits = scanPrefixBits(maxDistance);
  const rest = queries % 8;
  const restNs = rest === 0 ? 0 : rest < (bits === 256 ? 8 : 5) ? rest * SCAN_NS_PER_ENTRY_SINGLE[bits] : SCAN_NS_PER_ENTRY_GROUP[bits];
  return entries * (Math.floor(queries / 8) * SCAN_NS_PER_ENTRY_GROUP[bits] + restNs);
}

/** Candidates at which MIH stops paying off against a scan costing `scanNs`. */
export function mihCandidateLimit(scanNs: number, queries: number): number {
  return Math.max(0, (scanNs - queries * MIH_NS_PER_QUERY_PLAN) / MIH_NS_PER_CANDIDATE);
}
