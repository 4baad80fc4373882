import { createHash } from 'node:crypto';
import type { ServedVersion, ServingRole, ServingState } from '@loupe/vocabulary';

/** A version the registry serves, as a classifier needs it: where its graph is, and what it scores. */
export interface ServableVersion extends ServedVersion {
  artefactSha256: string;
  policies: string[];
}

/** One version to run on one item, and how its scores count. */
export interface PlannedHead {
  version: ServableVersion;
  role: ServingRole;
  /** The policies whose decision these scores make for this item (none for a shadow). */
  decides: string[];
}

/**
 * Where in 0..100 an item falls, from a hash of its id: the same item always
 * lands in the same arm, in every process, and the share of items below p is
 * p% within sampling error.
 */
export function stableBucket(contentId: string): number {
  const digest = createHash('sha256').update(contentId).digest();
  return (digest.readUInt32BE(0) / 0x1_0000_0000) * 100;
}

/**
 * Which versions score an item, and which of them decide which policy:
 * - each policy's champion decides it;
 * - a canary's challenger decides its policies for the items in its share
 *   (the champion still scores them, beside, so the arms can be compared);
 * - a shadow's challenger scores its share of the items and decides nothing.
 */
export function planHeads(state: ServingState, versions: ReadonlyMap<string, ServableVersion>, contentId: string): PlannedHead[] {
  const bucket = stableBucket(contentId);
  const canaryTakes = new Map<string, ServableVersion>();
  const planned: PlannedHead[] = [];
  for (const experiment of Object.values(state.experiments)) {
    const version = versions.get(experiment.versionId);
    if (!version || bucket >= experiment.percent) continue;
    if (experiment.mode === 'canary') {
      for (const policyId of version.policies) canaryTakes.set(policyId, version);
      planned.push({ version, role: 'canary', decides: version.policies });
    } else {
      planned.push({ version, role: 'shadow', decides: [] });
    }
  }
  const champions = new Map<string, PlannedHead>();
  for (const [policyId, served] of Object.entries(state.policies)) {
    const version = versions.get(served.versionId);
    if (!version) continue;
    const head = champions.get(version.versionId) ?? { version, role: 'champion' as const, decides: [] };
    if (!canaryTakes.has(policyId)) head.decides.push(policyId);
    champions.set(version.versionId, head);
  }
  // A version that is both champion and challenger runs once, as champion.
  return [...champions.values(), ...planned.filter((p) => !champions.has(p.version.versionId))];
}
