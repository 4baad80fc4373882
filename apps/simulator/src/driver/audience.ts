/**
 * The audience of the simulated platform, as pure functions of an item and
 * its visible time: how many views it has had, when the first came, and
 * whether new views bring a user report. The driver applies them to the
 * ledger and sends what follows to Loupe.
 */
import { ANY_POLICY, HOUR, LOOKALIKE_POLICY, MINUTE, WorldItem } from '../world/world';

/** Views after `exposureMs` of visible time: none until the first view's delay, then a saturating curve toward the item's reach. */
export function viewsAfter(reach: WorldItem['reach'], exposureMs: number): number {
  const delay = reach.firstViewAfterMinutes * MINUTE;
  return exposureMs <= delay ? 0 : Math.floor(reach.total * (1 - Math.exp(-(exposureMs - delay) / (reach.tauHours * HOUR))));
}

/** The visible time at which the curve reaches its first view. */
export function firstViewExposure(reach: WorldItem['reach']): number {
  return reach.firstViewAfterMinutes * MINUTE - reach.tauHours * HOUR * Math.log(1 - 1 / Math.max(reach.total, 1.000001));
}

/**
 * The policy a user reports the item under, when `added` new views bring a
 * report; null when they do not. Per view, true violations are reported
 * most; look-alikes (art, recovery stories) are misreported under the policy
 * they resemble; anything else now and then, under any policy.
 */
export function reportedPolicy(item: WorldItem, added: number, random: () => number): string | null {
  const lookalike = LOOKALIKE_POLICY[item.category];
  const perView = item.violates.length > 0 ? 1 / 60 : lookalike ? 1 / 400 : 1 / 20_000;
  if (random() >= 1 - Math.pow(1 - perView, added)) return null;
  return item.violates[0] ?? lookalike ?? ANY_POLICY[Math.floor(random() * ANY_POLICY.length)];
}
