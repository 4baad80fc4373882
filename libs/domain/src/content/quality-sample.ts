import { createHash } from 'node:crypto';

/**
 * Where a content id falls in [0, 1): the first 48 bits of its SHA-256. A
 * hash rather than Math.random, so that a retried job, or a second process
 * routing the same item, makes the same choice.
 */
export function sampleDraw(contentId: string): number {
  return createHash('sha256').update(contentId).digest().readUIntBE(0, 6) / 2 ** 48;
}

/**
 * Whether an item the model allowed also goes to human review as part of the
 * quality sample: the share `rate` of items, chosen by their ids. A rate of 0
 * samples nothing and 1 everything, whatever the draw.
 */
export function inQualitySample(contentId: string, rate: number): boolean {
  return rate > 0 && sampleDraw(contentId) < rate;
}
