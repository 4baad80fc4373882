import { OperatingThresholds, policyMetrics, PolicyMetrics } from './metrics';

export const SLICE_DIMENSIONS = ['region', 'language', 'kind'] as const;
/** A way to cut the sample: a model that is good overall can still fail one region, language or kind of content. */
export type SliceDimension = (typeof SLICE_DIMENSIONS)[number];

/** One scored, labelled item of one policy, with what it can be sliced by; a null region or language is a slice of its own. */
export interface SliceItem {
  score: number;
  truth: boolean;
  weight?: number;
  region: string | null;
  language: string | null;
  kind: string;
}

export interface SliceOptions {
  dimensions?: readonly SliceDimension[];
  /**
   * A slice is measured only with at least this many items and this many
   * violating ones: below that its metrics are noise, and a gate or a reader
   * would take a swing of one item for a finding.
   */
  minItems?: number;
  minPositives?: number;
}

export const DEFAULT_SLICE_OPTIONS: Required<SliceOptions> = { dimensions: SLICE_DIMENSIONS, minItems: 30, minPositives: 5 };

export interface MeasuredSlice {
  dimension: SliceDimension;
  value: string | null;
  metrics: PolicyMetrics;
}

/** A slice too small to measure, with what it holds. */
export interface SmallSlice {
  dimension: SliceDimension;
  value: string | null;
  items: number;
  positives: number;
}

export interface SliceReport {
  measured: MeasuredSlice[];
  tooFew: SmallSlice[];
}

/** Null values last, the rest in code-point order: the same slices always come out in the same order. */
function byValue(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/**
 * One policy's metrics per slice, at the model's operating thresholds. Each
 * dimension cuts the whole sample, so an item is in one slice per dimension.
 * Slices come in the order of `dimensions`, then by value.
 */
export function sliceMetrics(items: readonly SliceItem[], thresholds: OperatingThresholds, options: SliceOptions = {}): SliceReport {
  const { dimensions, minItems, minPositives } = { ...DEFAULT_SLICE_OPTIONS, ...options };
  const report: SliceReport = { measured: [], tooFew: [] };
  for (const dimension of dimensions) {
    const groups = new Map<string | null, SliceItem[]>();
    for (const item of items) {
      const group = groups.get(item[dimension]);
      if (group) group.push(item);
      else groups.set(item[dimension], [item]);
    }
    for (const value of [...groups.keys()].sort(byValue)) {
      const group = groups.get(value)!;
      const positives = group.filter((i) => i.truth).length;
      if (group.length < minItems || positives < minPositives) {
        report.tooFew.push({ dimension, value, items: group.length, positives });
        continue;
      }
      const weighted = group.some((i) => i.weight !== undefined);
      const metrics = policyMetrics(
        group.map((i) => i.score),
        group.map((i) => i.truth),
        thresholds,
        weighted ? group.map((i) => i.weight ?? 1) : undefined,
      );
      report.measured.push({ dimension, value, metrics });
    }
  }
  return report;
}
