import type { StoredViolation } from '@loupe/database';
import type { NearestBankedHash, Violation } from './misses.types';

/**
 * A violation as the rollup stores it (miss_violations): the record in JSON
 * (its times as ISO text) and the columns a report filters on.
 */
export function toStoredViolation(violation: Violation, nearest: NearestBankedHash | null): StoredViolation {
  return {
    contentId: violation.contentId,
    policyId: violation.policyId,
    confirmedAt: violation.confirmedAt,
    kind: violation.kind,
    region: violation.region,
    language: violation.language,
    missed: violation.allowed !== null,
    record: JSON.parse(JSON.stringify(violation)) as Record<string, unknown>,
    nearest: nearest ? { ...nearest } : null,
  };
}

/** The violation back, with its times as Dates again. */
export function fromStoredViolation(stored: StoredViolation): { violation: Violation; nearest: NearestBankedHash | null } {
  const record = stored.record as unknown as Violation & { uploadedAt: string; confirmedAt: string; removedAt: string | null; allowed: (Violation['allowed'] & { at: string }) | null };
  const violation: Violation = {
    ...record,
    uploadedAt: new Date(record.uploadedAt),
    confirmedAt: new Date(record.confirmedAt),
    removedAt: record.removedAt === null ? null : new Date(record.removedAt),
    allowed: record.allowed === null ? null : { ...record.allowed, at: new Date(record.allowed.at) },
  };
  return { violation, nearest: stored.nearest as unknown as NearestBankedHash | null };
}

/** The order of a report's violations: by confirmation, then item, then policy. */
export function compareViolations(a: Violation, b: Violation): number {
  return a.confirmedAt.getTime() - b.confirmedAt.getTime() || a.contentId.localeCompare(b.contentId) || a.policyId.localeCompare(b.policyId);
}
