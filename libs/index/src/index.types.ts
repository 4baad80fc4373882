/** One match: query `query` (its position in the batch) is within `distance` of entry `id`. */
export interface IndexHit {
  query: number;
  id: number;
  distance: number;
}

/** A hash as 64 hex characters (reference order) or 8 words (pdqHexToWords). */
export type PdqHashInput = string | Uint32Array;

export interface IndexEntry {
  id: number;
  hash: PdqHashInput;
}

/**
 * How a search runs over a segment. `adaptive` (the default) plans MIH per
 * segment and takes it when its exact candidate count costs less than a scan;
 * `mih` always uses MIH where the segment has tables and the threshold allows
 * it (a scan otherwise); `scan` always scans. The forced ones are for
 * measurement and tests.
 */
export type SearchMethod = 'adaptive' | 'mih' | 'scan';

export interface SearchOptions {
  method?: SearchMethod;
}

/** How the segments of the last search were answered. */
export interface SearchReport {
  mihSegments: number;
  scanSegments: number;
  mihCandidates: number;
  scannedEntries: number;
}

export interface PdqIndexStats {
  size: number;
  memoryBytes: number;
  method: SearchMethod;
  segments: number;
  /** Entries still held but removed (reclaimed by compaction). */
  deadEntries: number;
  /** True while background merges are pending. */
  maintenancePending: boolean;
  lastSearch: SearchReport;
}
